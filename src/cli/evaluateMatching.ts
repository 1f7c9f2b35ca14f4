import { parseArgs } from 'node:util';
import { evaluateMatching } from '../identity/evaluate';

const USAGE = `Measures identity matching against the synthetic ground truth and prints one JSON object.

  npx tsx src/cli/evaluateMatching.ts --people 20000 --seed 11
      [--umis-coverage 0.35] [--yois-pnc-coverage 0.95] [--changed 0.01] [--names extended|search]

Coverage defaults are the seed generators' own.

--names search leaves out the identity module's own name groups (src/identity/nameEquivalents.ts),
to show how much the result depends on them.`;

function numberOption<T extends number | undefined>(name: string, value: string | undefined, fallback: T, check: (n: number) => boolean): number | T {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name}: unexpected value '${value}'`);
  return n;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      'umis-coverage': { type: 'string' },
      'yois-pnc-coverage': { type: 'string' },
      changed: { type: 'string' },
      names: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const share = (n: number) => n >= 0 && n <= 1;
  const names = values.names ?? 'extended';
  if (names !== 'extended' && names !== 'search') throw new Error("--names must be 'extended' or 'search'");
  const report = evaluateMatching({
    people: numberOption('people', values.people, 20_000, (n) => Number.isInteger(n) && n > 0),
    seed: numberOption('seed', values.seed, 11, Number.isInteger),
    umisCoverage: numberOption('umis-coverage', values['umis-coverage'], undefined, share),
    yoisPncCoverage: numberOption('yois-pnc-coverage', values['yois-pnc-coverage'], undefined, share),
    changedShare: numberOption('changed', values.changed, 0.01, share),
    nameKnowledge: names,
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
  process.exitCode = 1;
}
