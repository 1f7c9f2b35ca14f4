import type { SourceGapFinding } from '../../adapters/types';
import { SourceFailure } from '../../adapters/types';
import type { PersonSystem } from '../access/systemVisibility';

/** One set of data-quality checks: the systems it reads, and its findings as of a date. */
export interface GapCheck {
  /** What it checks, for logs. */
  name: string;
  /** Every system it reads; a finding of it names records in some of them. */
  systems: readonly PersonSystem[];
  /** Findings as of `asOf` (ISO date), reading only `systems` where it can (the ones the caller may see). */
  run(asOf: string, systems: ReadonlySet<PersonSystem>): Promise<SourceGapFinding[]>;
}

export interface GapRun {
  findings: SourceGapFinding[];
  /** Systems whose checks could not complete: their findings are missing, not absent. */
  failed: Array<{ system: PersonSystem; reason: string }>;
}

/**
 * Runs the checks that only read systems in `systems` (the ones the caller may see findings of),
 * each independently: one source failing leaves the others' findings in the report.
 */
export async function runGapChecks(checks: readonly GapCheck[], systems: ReadonlySet<PersonSystem>, asOf: string): Promise<GapRun> {
  const wanted = checks.filter((check) => check.systems.some((system) => systems.has(system)));
  const results = await Promise.all(
    wanted.map((check) =>
      check.run(asOf, systems).then(
        (findings) => ({ findings, failure: null }),
        (error: unknown) => ({ findings: [] as SourceGapFinding[], failure: { check, error } }),
      ),
    ),
  );
  const failed = new Map<PersonSystem, string>();
  for (const { failure } of results) {
    if (!failure) continue;
    const { check, error } = failure;
    const named = (error as { source?: unknown } | null)?.source;
    const source = check.systems.find((system) => system === named) ?? null;
    // A check over several systems that failed without naming one: each system it reads is unchecked.
    for (const system of source ? [source] : check.systems) if (systems.has(system)) failed.set(system, error instanceof SourceFailure ? error.reason : 'the check did not complete');
  }
  return { findings: results.flatMap((r) => r.findings), failed: [...failed].map(([system, reason]) => ({ system, reason })) };
}
