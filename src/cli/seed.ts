import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '../../adapters/drivers/createDatabase';
import type { DmsTables } from '../../adapters/dms/tables';
import { folderFileStore } from '../../adapters/dms/folderFileStore';
import { installSyntheticData, type SyntheticDatabases } from '../../adapters/synthetic/installSyntheticData';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { UmisTables } from '../../adapters/umis/tables';
import { openYoisDatabase } from '../../adapters/yois/openYoisDatabase';

const USAGE = `Creates a legacy system's tables on a database server and fills them with synthetic data.

  npm run seed -- --system IYSS --url mysql://user:pass@host:3306/iyss
  npm run seed -- --system all --url mysql://root@127.0.0.1:3306/trial      (all four in one database)

  --system IYSS|UMIS|YOIS|DMS|all   repeatable; DMS documents point at the others' records
  --url <database URL>               sqlite:<file>, mysql://..., mssql://... (the gateway's own URL forms)
  --volume <n>                       synthetic young people (default 2000, as npm start)
  --seed <n>                         PRNG seed (default 20261124, as npm start): the same seed gives the same data
  --files <folder>                   where DMS document content goes (default data/dms-files)
  --allow-non-empty                  seed a database that already holds other tables

Give every system the same --volume and --seed: the systems share one population, so links between
them (and DMS documents) are only right when they come from the same one.`;

const SYSTEMS = ['IYSS', 'UMIS', 'YOIS', 'DMS'] as const;
type System = (typeof SYSTEMS)[number];

class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number above 0`);
  return n;
}

function open(system: System, url: string): Database<unknown> {
  if (system === 'YOIS') return openYoisDatabase(url) as Database<unknown>;
  return createDatabase<IyssTables | UmisTables | DmsTables>(url) as Database<unknown>;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      system: { type: 'string', multiple: true },
      url: { type: 'string' },
      volume: { type: 'string' },
      seed: { type: 'string' },
      files: { type: 'string' },
      'allow-non-empty': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const asked = (values.system ?? []).flatMap((s) => (s.toLowerCase() === 'all' ? [...SYSTEMS] : [s.toUpperCase()]));
  const unknown = asked.filter((s) => !(SYSTEMS as readonly string[]).includes(s));
  if (asked.length === 0 || unknown.length) throw new UsageError(`--system must be IYSS, UMIS, YOIS, DMS or all${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`);
  if (!values.url) throw new UsageError('--url is required');
  const systems = [...new Set(asked as System[])];
  const volume = positiveInteger('--volume', values.volume, 2000);
  const prngSeed = positiveInteger('--seed', values.seed, 20261124);

  const databases = new Map(systems.map((system) => [system, open(system, values.url!)]));
  try {
    // A database that already holds tables is someone's data (or a half-finished trial): refuse unless told.
    const existing = await [...databases.values()][0]!.db.introspection.getTables();
    if (existing.length && !values['allow-non-empty']) {
      process.stderr.write(
        `Refusing to seed: the database already holds ${existing.length} table(s) (${existing.slice(0, 5).map((t) => t.name).join(', ')}${existing.length > 5 ? ', ...' : ''}). ` +
          'Use a new, empty database, or pass --allow-non-empty to add these systems beside them.\n',
      );
      return 1;
    }
    const started = Date.now();
    const byKey = Object.fromEntries(systems.map((system) => [system.toLowerCase(), databases.get(system)])) as Partial<SyntheticDatabases>;
    const files = folderFileStore(path.resolve(values.files ?? 'data/dms-files'));
    const dataset = await installSyntheticData(byKey, files, { prngSeed, volume });
    const skipped = systems.filter((system) => !dataset.created.includes(system));
    process.stdout.write(
      `${JSON.stringify({
        seeded: dataset.created,
        alreadyThere: skipped,
        people: volume,
        prngSeed,
        records: {
          ...(dataset.created.includes('IYSS') ? { IYSS: dataset.iyss.truth.length } : {}),
          ...(dataset.created.includes('UMIS') ? { UMIS: dataset.umis.truth.length } : {}),
          ...(dataset.created.includes('YOIS') ? { YOIS: dataset.yois.truth.length } : {}),
        },
        ms: Date.now() - started,
      })}\n`,
    );
    if (skipped.length) process.stderr.write(`Already there, left as they were: ${skipped.join(', ')}\n`);
    return 0;
  } finally {
    await Promise.allSettled([...databases.values()].map((database) => database.close()));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    // Driver errors name the server and the cause (refused, unknown database, access denied), which is what the person seeding needs.
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
