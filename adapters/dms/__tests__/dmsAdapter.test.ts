/**
 * The DMS adapter against real databases: SQLite always, MariaDB when MYSQL_URL is set (and failing,
 * not skipping, when it is set but unreachable). Each engine gets a fresh database and a fresh folder
 * file store, installed from the same seed; expectations are derived from the seed rows with the
 * meanings written out here, not from the adapter's own mapping code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line import/no-restricted-paths -- a test reusing the shared test-database helper; production adapter code never imports test/
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import { createDatabase, type Database } from '../../drivers/createDatabase';
import { generatePopulation } from '../../synthetic/population';
import { RecordNotFound, type DmsAdapter, type DocumentRecord, type DocumentType } from '../../types';
import { createDmsAdapter } from '../createDmsAdapter';
import { SYNTHETIC_BANNER } from '../documentContent';
import { folderFileStore } from '../folderFileStore';
import { installDms } from '../../synthetic/dms/installDms';
import type { DmsSeed } from '../../synthetic/dms/seedRows';
import type { DmsTables } from '../tables';
import { testSubjects } from './testSubjects';

type DocumentRow = DmsTables['dm_document'];

const SEED = 11;
const population = generatePopulation({ seed: SEED, size: 400 });
const subjects = testSubjects(population, SEED);

const SYSTEM_BY_CODE = { YS: 'IYSS', UM: 'UMIS', YO: 'YOIS' } as const;
const TIER_BY_MARKING = new Map<string | null, number>([
  ['OFFICIAL', 1],
  ['OFFICIAL-SENSITIVE', 2],
  ['OFFICIAL SENSITIVE', 2],
  ['RESTRICTED', 3],
  [null, 3],
]);
const TYPE_BY_GROUP: Record<string, DocumentType> = {
  ASSESS: 'ASSESSMENT',
  CORR: 'LETTER',
  COURT: 'COURT_REPORT',
  SCAN: 'SCANNED_PAPER_RECORD',
  REFER: 'REFERRAL_FORM',
  PLAN: 'PLAN',
};

describe.each(testEngines())('DMS adapter on %s', (engine) => {
  let storeFolder: string;
  let database: Database<DmsTables>;
  let adapter: DmsAdapter;
  let seed: DmsSeed;
  let drop: (() => Promise<void>) | undefined;
  let workDir: string;

  const documents = () => seed.rows.dm_document;
  const live = () => documents().filter((d) => d.purged === '0');
  const purged = () => documents().filter((d) => d.purged === '1');
  const problem = (kind: string) => seed.plannedProblems.filter((p) => p.kind === kind).map((p) => Number(p.documentId));
  const rowById = (id: number) => documents().find((d) => d.doc_id === id) as DocumentRow;

  function expectedDocument(row: DocumentRow): DocumentRecord {
    const kind = seed.rows.dm_doc_type.find((k) => k.doc_type_cd === row.doc_type_cd)!;
    const user = seed.rows.dm_user.find((u) => u.user_login === row.author_login);
    const system = SYSTEM_BY_CODE[row.subject_system as keyof typeof SYSTEM_BY_CODE];
    return {
      source: 'DMS',
      documentId: String(row.doc_id),
      title: row.doc_title,
      documentType: TYPE_BY_GROUP[kind.doc_group_cd]!,
      subject: { system, sourceId: system === 'UMIS' ? row.subject_ref.replace(/[{}]/g, '').toLowerCase() : row.subject_ref },
      classificationTier: TIER_BY_MARKING.get(row.security_class)!,
      createdAt: `${row.created_ts.replace(' ', 'T')}.000Z`,
      modifiedAt: `${row.modified_ts.replace(' ', 'T')}.000Z`,
      authorName: user?.display_name ?? row.author_login,
      contentType: 'text/plain; charset=utf-8',
      sizeBytes: row.byte_size,
      contentKey: row.storage_path,
    };
  }

  /** The subject key of a row, as another system would spell it. */
  const keyOf = (row: DocumentRow) => {
    const expected = expectedDocument(row);
    return `${expected.subject.system}:${expected.subject.sourceId}`;
  };

  /** documentsBySubjects never puts an Error in a list's place; fail if it does. */
  async function listsFor(keys: string[]): Promise<DocumentRecord[][]> {
    const results = await adapter.documentsBySubjects(keys);
    for (const result of results) expect(result).toBeInstanceOf(Array);
    return results as DocumentRecord[][];
  }

  const newestFirst = (a: DocumentRow, b: DocumentRow) =>
    b.created_ts.localeCompare(a.created_ts) || b.doc_id - a.doc_id;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), `dms-${engine}-`));
    storeFolder = path.join(workDir, 'files');
    let url = `sqlite:${path.join(workDir, 'dms.db')}`;
    if (engine === 'mysql') ({ url, drop } = await createScratchMysqlDatabase('dms_adapter'));
    database = createDatabase<DmsTables>(url);
    const installed = await installDms(database, folderFileStore(storeFolder), { prngSeed: SEED, subjects, population });
    expect(installed.created).toBe(true);
    seed = installed.seed!;
    adapter = createDmsAdapter(database, folderFileStore(storeFolder));
  });

  afterAll(async () => {
    await database?.close();
    await drop?.();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('installs once: a second install finds the schema and writes nothing', async () => {
    expect(live().length).toBeGreaterThan(100);
    expect(purged().length).toBeGreaterThan(0);
    const before = fs.readdirSync(storeFolder, { recursive: true }).length;
    const again = await installDms(database, folderFileStore(storeFolder), { prngSeed: SEED + 1, subjects, population });
    expect(again).toEqual({ created: false });
    expect(fs.readdirSync(storeFolder, { recursive: true }).length).toBe(before);
    const [count] = await database.db.selectFrom('dm_document').select((eb) => eb.fn.countAll<number>().as('n')).execute();
    expect(Number(count!.n)).toBe(documents().length);
  });

  it('answers ping', async () => {
    await expect(adapter.ping()).resolves.toBeUndefined();
  });

  describe('documentsByIds', () => {
    it('returns every live document exactly as the seed row means it', async () => {
      const ids = live().map((d) => String(d.doc_id));
      const results = await adapter.documentsByIds(ids);
      const wrong = live().filter((row, i) => JSON.stringify(results[i]) !== JSON.stringify(expectedDocument(row)));
      expect(wrong.slice(0, 3).map((row) => ({ row, got: results[live().indexOf(row)] }))).toEqual([]);
    });

    it('answers in key order, repeats duplicates, and puts RecordNotFound where a key is unknown, malformed or purged', async () => {
      const [first, second] = live();
      const gone = purged()[0]!;
      const keys = [String(second!.doc_id), 'abc', String(first!.doc_id), '999999', String(gone.doc_id), String(second!.doc_id), '', '-1', `0${first!.doc_id}`];
      const results = await adapter.documentsByIds(keys);
      expect(results).toHaveLength(keys.length);
      expect((results[0] as DocumentRecord).documentId).toBe(String(second!.doc_id));
      expect((results[2] as DocumentRecord).documentId).toBe(String(first!.doc_id));
      expect(results[5]).toEqual(results[0]);
      expect((results[8] as DocumentRecord).documentId).toBe(String(first!.doc_id));
      for (const i of [1, 3, 4, 6, 7]) {
        expect(results[i]).toBeInstanceOf(RecordNotFound);
        expect(results[i]).toMatchObject({ source: 'DMS', key: keys[i] });
      }
    });

    it('costs one statement for a batch', async () => {
      const before = database.stats.statements;
      await adapter.documentsByIds(documents().map((d) => String(d.doc_id)));
      expect(database.stats.statements - before).toBe(1);
    });
  });

  describe('documentsBySubjects', () => {
    it("lists each subject's live documents newest first, and [] for subjects without any", async () => {
      const keys = subjects.map((s) => `${s.system}:${s.sourceId}`);
      const before = database.stats.statements;
      const results = await listsFor(keys);
      // All subjects of every system, in one statement (their stored spellings number under 2,000).
      expect(database.stats.statements - before).toBe(1);
      const expected = keys.map((key) =>
        live().filter((row) => keyOf(row) === key).sort(newestFirst).map(expectedDocument),
      );
      const wrong = keys.filter((_, i) => JSON.stringify(results[i]) !== JSON.stringify(expected[i]));
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(results.filter((list) => list.length === 0).length).toBeGreaterThan(keys.length / 3);
      expect(results.some((list) => list.length >= 3)).toBe(true);
    });

    it('finds UMIS documents however the GUID is spelled, stored or asked for', async () => {
      const braced = live().filter((row) => row.subject_system === 'UM' && row.subject_ref.startsWith('{'));
      expect(braced.length).toBeGreaterThan(0);
      const row = braced[0]!;
      const guid = expectedDocument(row).subject.sourceId;
      const [lower, upper, withBraces] = await listsFor([
        `UMIS:${guid}`,
        `UMIS:${guid.toUpperCase()}`,
        `UMIS:{${guid.toUpperCase()}}`,
      ]);
      expect(lower!.map((d) => d.documentId)).toContain(String(row.doc_id));
      expect(upper).toEqual(lower);
      expect(withBraces).toEqual(lower);
      for (const document of lower!) expect(document.subject).toEqual({ system: 'UMIS', sourceId: guid });
    });

    it('answers in key order with [] for unknown, malformed and foreign keys, and never mixes systems', async () => {
      const iyssRow = live().find((row) => row.subject_system === 'YS' && !problem('SUBJECT_NOT_FOUND').includes(row.doc_id))!;
      const id = iyssRow.subject_ref;
      const keys = [`IYSS:${id}`, `YOIS:${id}`, 'IYSS:99999999', 'IYSS:abc', id, `DMS:${iyssRow.doc_id}`, "IYSS:1' OR '1'='1", `IYSS:00${id}`];
      const results = await listsFor(keys);
      expect(results).toHaveLength(keys.length);
      expect(results[0]!.map((d) => d.documentId)).toContain(String(iyssRow.doc_id));
      expect(results[0]!.every((d) => d.subject.system === 'IYSS' && d.subject.sourceId === id)).toBe(true);
      expect(results[1]!.every((d) => d.subject.system === 'YOIS')).toBe(true);
      expect(results.slice(2, 7)).toEqual([[], [], [], [], []]);
      expect(results[7]).toEqual(results[0]);
    });

    it('leaves purged documents out', async () => {
      const gone = purged()[0]!;
      const [list] = await listsFor([keyOf(gone)]);
      expect(list!.map((d) => d.documentId)).not.toContain(String(gone.doc_id));
    });
  });

  describe('legacy formats', () => {
    it('reads protective markings as tiers: old spellings, missing markings failing closed', async () => {
      const oldSpelling = live().find((row) => row.security_class === 'OFFICIAL SENSITIVE')!;
      const unmarked = problem('UNCLASSIFIED')[0]!;
      const safeguarding = live().find((row) => row.subject_system === 'YS' && row.security_class === 'RESTRICTED')!;
      const ids = [oldSpelling.doc_id, unmarked, safeguarding.doc_id].map(String);
      const [sensitive, unclassified, restricted] = (await adapter.documentsByIds(ids)) as DocumentRecord[];
      expect(sensitive!.classificationTier).toBe(2);
      expect(unclassified!.classificationTier).toBe(3);
      expect(restricted).toMatchObject({ classificationTier: 3, documentType: 'LETTER', subject: { system: 'IYSS' } });
    });

    it('names authors from dm_user, falling back to a deleted leaver\'s login, or null', async () => {
      const leaver = live().find((row) => row.author_login === 'jnowak' || row.author_login === 'rbaptiste')!;
      const scanned = live().find((row) => row.author_login === 'scan.bureau')!;
      const anonymous = live().find((row) => row.author_login === null)!;
      const staff = live().find((row) => row.author_login === 'sokoro')!;
      const results = (await adapter.documentsByIds([leaver, scanned, anonymous, staff].map((r) => String(r.doc_id)))) as DocumentRecord[];
      expect(results.map((d) => d.authorName)).toEqual([leaver.author_login, 'Scanning Bureau', null, 'Sam Okoro']);
    });

    it('maps document kinds through dm_doc_type to every unified type', async () => {
      const results = (await adapter.documentsByIds(live().map((d) => String(d.doc_id)))) as DocumentRecord[];
      expect(new Set(results.map((d) => d.documentType))).toEqual(new Set(Object.values(TYPE_BY_GROUP)));
      expect(results.filter((d) => d.documentType === 'COURT_REPORT').every((d) => d.subject.system === 'YOIS')).toBe(true);
    });
  });

  describe('planted problems, visible through the adapter', () => {
    it('keeps a document whose subject reference names no record, as filed', async () => {
      const ids = problem('SUBJECT_NOT_FOUND');
      expect(ids).toHaveLength(3);
      const known = new Set(subjects.map((s) => `${s.system}:${s.sourceId}`));
      for (const result of await adapter.documentsByIds(ids.map(String))) {
        const document = result as DocumentRecord;
        expect(known.has(`${document.subject.system}:${document.subject.sourceId}`)).toBe(false);
      }
    });

    it('reports modifiedAt before createdAt where the row says so', async () => {
      const results = (await adapter.documentsByIds(problem('MODIFIED_BEFORE_CREATED').map(String))) as DocumentRecord[];
      expect(results).toHaveLength(2);
      for (const document of results) expect(document.modifiedAt < document.createdAt).toBe(true);
    });

    it('reports an under-classified YOIS document at the tier it is marked', async () => {
      const [document] = (await adapter.documentsByIds(problem('UNDER_CLASSIFIED').map(String))) as DocumentRecord[];
      expect(document).toMatchObject({ classificationTier: 1, subject: { system: 'YOIS' } });
    });
  });

  describe('readContent', () => {
    it('reads the synthetic content from the file store, sizeBytes bytes long', async () => {
      const sample = live().filter((row) => !problem('CONTENT_MISSING').includes(row.doc_id)).filter((_, i) => i % 7 === 0);
      const records = (await adapter.documentsByIds(sample.map((row) => String(row.doc_id)))) as DocumentRecord[];
      for (const record of records) {
        const content = await adapter.readContent(record);
        expect(content.length).toBe(record.sizeBytes);
        expect(content.toString('utf8')).toBe(seed.files.find((f) => f.contentKey === record.contentKey)!.content);
        expect(content.toString('utf8').startsWith(SYNTHETIC_BANNER)).toBe(true);
      }
    });

    it('answers RecordNotFound naming the document, not the storage key, when the content is missing', async () => {
      const [record] = (await adapter.documentsByIds([String(problem('CONTENT_MISSING')[0])])) as DocumentRecord[];
      const error = await adapter.readContent(record!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecordNotFound);
      expect((error as RecordNotFound).key).toContain(record!.documentId);
      expect((error as Error).message).not.toContain(record!.contentKey);
    });

    it('refuses a record whose content key reaches outside the store', async () => {
      fs.writeFileSync(path.join(workDir, 'outside.txt'), 'outside the store');
      const [record] = (await adapter.documentsByIds([String(live()[0]!.doc_id)])) as DocumentRecord[];
      for (const contentKey of ['../outside.txt', path.join(workDir, 'outside.txt'), '2025/../../outside.txt']) {
        await expect(adapter.readContent({ ...record!, contentKey })).rejects.toBeInstanceOf(RecordNotFound);
      }
    });
  });

  it('seeds the subjects it was given: every filed reference but the planted ones names a subject', () => {
    const known = new Set(subjects.map((s) => `${s.system}:${s.sourceId}`));
    const planted = new Set(problem('SUBJECT_NOT_FOUND'));
    expect(documents().filter((row) => !planted.has(row.doc_id) && !known.has(keyOf(row))).slice(0, 3)).toEqual([]);
    const truth = new Map(seed.truth.map((t) => [t.sourceId, t.personKey]));
    const personOf = new Map(subjects.map((s) => [`${s.system}:${s.sourceId}`, s.personKey]));
    expect(documents().filter((row) => !planted.has(row.doc_id) && truth.get(String(row.doc_id)) !== personOf.get(keyOf(row))).slice(0, 3)).toEqual([]);
    expect(rowById(problem('SUBJECT_NOT_FOUND')[0]!).purged).toBe('0');
  });
});
