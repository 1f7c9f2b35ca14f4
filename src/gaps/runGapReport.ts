import type { SourceGapFinding } from '../../adapters/types';
import { PERSON_SYSTEMS, SYSTEM_TIER, type PersonSystem, type SourceCheck } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode, hasErrorCode } from '../errors/ErrorCode';
import { BadUserInputError } from '../errors/errors';
import { MAX_PERIOD_DAYS } from '../reports/runReport';
import { runGapChecks } from './gapChecks';

/** The coordinate whose grant (and purposes) decide who may run a gap report. */
export const GAP_REPORT_COORDINATE = 'Query.gapReport';
/** The default period: the week ending today. */
export const GAP_REPORT_DEFAULT_DAYS = 7;

export interface GapRecordView {
  system: PersonSystem;
  classificationTier: number;
  recordType: string;
  recordId: string;
  personRecordId: string;
  personId: string;
  note: string | null;
}

export interface GapFindingView {
  kind: string;
  classificationTier: number;
  systems: PersonSystem[];
  personId: string;
  records: GapRecordView[];
}

export interface GapReportView {
  from: string;
  to: string;
  asOf: string;
  findings: GapFindingView[];
  counts: Array<{ kind: string; count: number }>;
  notChecked: SourceCheck[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The period asked, or the week ending today; BAD_USER_INPUT naming what is wrong. */
export function gapReportPeriod(from: string | null | undefined, to: string | null | undefined, today: string): { from: string; to: string } {
  for (const date of [from, to]) if (date != null && !ISO_DATE.test(date)) throw new BadUserInputError('from and to must be dates, YYYY-MM-DD.', 'BAD_GAP_REPORT_REQUEST');
  const end = to ?? (from != null ? isoOf(dayOf(from) + GAP_REPORT_DEFAULT_DAYS) : today);
  const start = from ?? isoOf(dayOf(end) - GAP_REPORT_DEFAULT_DAYS);
  const days = dayOf(end) - dayOf(start);
  if (!(days > 0)) throw new BadUserInputError('to must be after from (the period is from inclusive, to exclusive).', 'BAD_GAP_REPORT_REQUEST');
  if (days > MAX_PERIOD_DAYS) throw new BadUserInputError(`A gap report covers at most ${MAX_PERIOD_DAYS} days; split the period.`, 'BAD_GAP_REPORT_REQUEST');
  return { from: start, to: end };
}

/**
 * Which systems' findings this caller may see, and why each other system is left out: a system above
 * the tier their roles reach is never checked for them; UMIS and YOIS (tier 2/3) also need a purpose
 * their roles allow on the gap report.
 */
function reachOf(context: GatewayContext): { systems: Set<PersonSystem>; notChecked: SourceCheck[] } {
  const decision = context.authz.decide(GAP_REPORT_COORDINATE);
  const purposeOk = decision.allowed && context.authz.purpose !== null && decision.purposes.has(context.authz.purpose);
  const systems = new Set<PersonSystem>();
  const notChecked: SourceCheck[] = [];
  for (const system of PERSON_SYSTEMS) {
    const tier = SYSTEM_TIER[system];
    if (tier > context.authz.tier) notChecked.push({ system, cause: 'ABOVE_CLEARANCE', reason: 'Not checked: above your clearance' });
    else if (tier >= 2 && !purposeOk) {
      notChecked.push({ system, cause: 'PURPOSE_REQUIRED', reason: `Not checked: ${system} findings are tier ${tier}; state a purpose your roles allow in X-Purpose` });
    } else systems.add(system);
  }
  return { systems, notChecked };
}

const recordKey = (system: PersonSystem, sourceId: string): string => `${system}:${sourceId}`;

/**
 * Runs the gap checks as of the period's end and returns the findings this caller may see: every
 * record a finding names must be in a system they may see (reachOf), and every young person holding a
 * UMIS or YOIS record it names must be one they need to know (allocation to one of their Core Units, an
 * acknowledged hand-off, or their own break-glass). A finding with any record they may not see is left
 * out whole, so no finding is shown in part. A finding left out because need to know could not be judged
 * (allocations unreadable) puts its system in `notChecked` as NEED_TO_KNOW_UNAVAILABLE: missing, not absent.
 */
export async function runGapReport(
  context: GatewayContext,
  args: { from?: string | null; to?: string | null; kinds?: readonly string[] | null },
): Promise<GapReportView> {
  const now = context.services.clock.now();
  const period = gapReportPeriod(args.from, args.to, now.toISOString().slice(0, 10));
  const reach = reachOf(context);
  const run = await runGapChecks(context.services.gapChecks, reach.systems, period.to);
  const kinds = args.kinds?.length ? new Set(args.kinds) : null;
  const candidates = run.findings.filter(
    (finding: SourceGapFinding) => (!kinds || kinds.has(finding.kind)) && finding.records.length > 0 && finding.records.every((record) => reach.systems.has(record.system)),
  );

  const keys = [...new Set(candidates.flatMap((finding) => finding.records.map((record) => recordKey(record.system, record.personRecordId))))];
  const people = await context.loaders.personForRecord.loadMany(keys);
  const personOf = new Map<string, string | null>(keys.map((key, i) => {
    const person = people[i];
    return [key, person && !(person instanceof Error) ? person.personId : null];
  }));
  // Need to know, once per young person holding a tier-2/3 record named.
  const mustKnow = new Set(
    candidates.flatMap((finding) => finding.records.filter((record) => SYSTEM_TIER[record.system] >= 2).map((record) => personOf.get(recordKey(record.system, record.personRecordId)) ?? '')),
  );
  mustKnow.delete('');
  const known = new Set<string>();
  // Need to know that could not be judged (allocations unreadable): such findings are left out, and said to be.
  const unjudged = new Map<string, string>();
  await Promise.all(
    [...mustKnow].map(async (personId) => {
      const answer = await context.authz.mayKnowDetail(personId);
      if (answer === true) known.add(personId);
      else if (hasErrorCode(answer, ErrorCode.SOURCE_UNAVAILABLE)) unjudged.set(personId, String(answer.extensions.source ?? 'a system'));
    }),
  );
  const heldBack = new Map<PersonSystem, SourceCheck>();

  const findings: GapFindingView[] = [];
  for (const finding of candidates) {
    const records: GapRecordView[] = [];
    for (const record of finding.records) {
      const personId = personOf.get(recordKey(record.system, record.personRecordId));
      const tier = SYSTEM_TIER[record.system];
      if (!personId || (tier >= 2 && !known.has(personId))) {
        const unreadable = personId ? unjudged.get(personId) : undefined;
        if (unreadable && !heldBack.has(record.system)) {
          heldBack.set(record.system, {
            system: record.system,
            cause: 'NEED_TO_KNOW_UNAVAILABLE',
            reason: `Checked, but some findings are left out: whether you need to know their young people could not be judged (${unreadable} allocations could not be read); try again later`,
          });
        }
        break;
      }
      records.push({ ...record, classificationTier: tier, personId });
    }
    if (records.length !== finding.records.length) continue;
    const systems = PERSON_SYSTEMS.filter((system) => records.some((record) => record.system === system));
    findings.push({ kind: finding.kind, classificationTier: Math.max(...records.map((r) => r.classificationTier)), systems, personId: records[0]!.personId, records });
  }
  findings.sort((a, b) => (a.kind === b.kind ? compareIds(a.records[0]!.recordId, b.records[0]!.recordId) : a.kind < b.kind ? -1 : 1));
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  const failed: SourceCheck[] = run.failed.map(({ system, reason }) => ({ system, cause: 'SOURCE_UNAVAILABLE', reason }));
  return {
    ...period,
    asOf: now.toISOString(),
    findings,
    counts: [...counts].map(([kind, count]) => ({ kind, count })),
    notChecked: PERSON_SYSTEMS.flatMap((system) => [...failed, ...reach.notChecked, ...heldBack.values()].filter((check) => check.system === system).slice(0, 1)),
  };
}

/** Numeric IDs in number order, others as text. */
function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
