import { generatePopulation } from '../../population';
import { SYNTHETIC_BANNER } from '../../../dms/documentContent';
import { resolveInside } from '../../../dms/folderFileStore';
import { generateDmsRows, type DmsProblemKind, type DmsSeed, type DmsSubject } from '../seedRows';
import type { DmsTables } from '../../../dms/tables';
import { testSubjects } from '../../../dms/__tests__/testSubjects';

const population = generatePopulation({ seed: 21, size: 3000 });
const subjects = testSubjects(population, 21);
const seed = generateDmsRows(population, { seed: 21, subjects });
const { rows, files, truth, plannedProblems } = seed;
const documents = rows.dm_document;
type DocumentRow = DmsTables['dm_document'];

const share = (part: number, whole: number) => part / whole;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const SYSTEM_BY_CODE: Record<string, DmsSubject['system']> = { YS: 'IYSS', UM: 'UMIS', YO: 'YOIS' };
/** The subject's reference as the other system spells it (the seed's test GUIDs are lower case). */
const canonicalRef = (row: DocumentRow): string => row.subject_ref.replace(/^\{(.*)\}$/, '$1').toLowerCase();
const subjectKeyOf = (row: DocumentRow): string => `${SYSTEM_BY_CODE[row.subject_system]}:${canonicalRef(row)}`;
const subjectByKey = new Map(subjects.map((s) => [`${s.system}:${s.sourceId}`, s]));
const problemsOf = (kind: DmsProblemKind) => plannedProblems.filter((p) => p.kind === kind);
const planted = new Set(plannedProblems.map((p) => p.documentId));
const unspoiled = documents.filter((d) => !planted.has(String(d.doc_id)));
const failing = <T>(items: readonly T[], ok: (item: T) => boolean): T[] => items.filter((item) => !ok(item)).slice(0, 5);
const byId = (documentId: string): DocumentRow => documents.find((d) => String(d.doc_id) === documentId) as DocumentRow;

describe('generateDmsRows', () => {
  it('is deterministic for the same subjects and seed, and differs for another seed', () => {
    const again = generateDmsRows(generatePopulation({ seed: 21, size: 3000 }), { seed: 21, subjects: testSubjects(population, 21) });
    expect(JSON.stringify(again)).toBe(JSON.stringify(seed));
    expect(JSON.stringify(generateDmsRows(population, { seed: 22, subjects }).rows.dm_document)).not.toBe(JSON.stringify(documents));
  });

  it("draws each subject's documents from its own stream, so more subjects never change existing ones", () => {
    const extra: DmsSubject[] = population.slice(0, 200).map((p, i) => ({ system: 'YOIS', sourceId: String(90_000 + i), personKey: p.personKey }));
    const more = generateDmsRows(population, { seed: 21, subjects: [...subjects, ...extra] });
    const fingerprint = (seedRows: DmsSeed) => {
      const spoiled = new Set(seedRows.plannedProblems.map((p) => p.documentId));
      return seedRows.rows.dm_document
        .filter((d) => d.subject_system !== 'YO' && !spoiled.has(String(d.doc_id)))
        .map((d) => `${d.subject_ref}|${d.doc_type_cd}|${d.created_ts}|${d.security_class}|${d.author_login}`)
        .sort();
    };
    const before = fingerprint(seed);
    const after = new Set(fingerprint(more));
    // Only documents chosen for planted problems may differ (the problem picks see a longer list).
    expect(before.filter((f) => !after.has(f)).length).toBeLessThanOrEqual(12);
  });

  it('files documents for about half of the subjects, 1 to 5 each', () => {
    const perSubject = new Map<string, number>();
    for (const d of unspoiled) perSubject.set(subjectKeyOf(d), (perSubject.get(subjectKeyOf(d)) ?? 0) + 1);
    expect(share(perSubject.size, subjects.length)).toBeGreaterThan(0.45);
    expect(share(perSubject.size, subjects.length)).toBeLessThan(0.55);
    expect(Math.max(...perSubject.values())).toBe(5);
    expect(Math.min(...perSubject.values())).toBe(1);
    for (const system of ['IYSS', 'UMIS', 'YOIS']) {
      expect(unspoiled.some((d) => SYSTEM_BY_CODE[d.subject_system] === system)).toBe(true);
    }
  });

  it('numbers documents in filing order and stamps them within the last five years', () => {
    expect(documents.map((d) => d.doc_id)).toEqual(documents.map((_, i) => 500001 + i));
    const created = documents.map((d) => d.created_ts);
    expect(created).toEqual([...created].sort());
    expect(failing(documents, (d) => DATETIME.test(d.created_ts) && DATETIME.test(d.modified_ts))).toEqual([]);
    expect(created[0]! >= '2021-11-01').toBe(true);
    expect(created[created.length - 1]! < '2026-11-01').toBe(true);
    expect(failing(unspoiled, (d) => d.modified_ts >= d.created_ts)).toEqual([]);
    expect(unspoiled.some((d) => d.modified_ts > d.created_ts)).toBe(true);
  });

  it('has ground truth for every document, pointing at the person its subject record is', () => {
    expect(truth.map((t) => t.sourceId)).toEqual(documents.map((d) => String(d.doc_id)));
    const notFound = new Set(problemsOf('SUBJECT_NOT_FOUND').map((p) => p.documentId));
    const mismatched = documents.filter((d, i) => {
      if (notFound.has(String(d.doc_id))) return false;
      return subjectByKey.get(subjectKeyOf(d))?.personKey !== truth[i]?.personKey;
    });
    expect(mismatched.slice(0, 5)).toEqual([]);
    const populationKeys = new Set(population.map((p) => p.personKey));
    expect(failing(truth, (t) => populationKeys.has(t.personKey))).toEqual([]);
  });

  it('writes references in DMS conventions: its own system codes, UMIS GUIDs sometimes as {UPPER}', () => {
    expect(failing(documents, (d) => ['YS', 'UM', 'YO'].includes(d.subject_system))).toEqual([]);
    expect(failing(documents.filter((d) => d.subject_system !== 'UM'), (d) => /^[1-9]\d*$/.test(d.subject_ref))).toEqual([]);
    const umis = documents.filter((d) => d.subject_system === 'UM');
    const braced = umis.filter((d) => /^\{[0-9A-F-]{36}\}$/.test(d.subject_ref));
    expect(failing(umis, (d) => /^[0-9a-f-]{36}$/.test(d.subject_ref) || /^\{[0-9A-F-]{36}\}$/.test(d.subject_ref))).toEqual([]);
    expect(share(braced.length, umis.length)).toBeGreaterThan(0.05);
    expect(share(braced.length, umis.length)).toBeLessThan(0.15);
  });

  it('marks documents by their subject system, with the old OFFICIAL SENSITIVE spelling and tier-3 safeguarding letters about IYSS people', () => {
    const markings = (code: string) => new Set(unspoiled.filter((d) => d.subject_system === code).map((d) => d.security_class));
    expect(markings('YS')).toEqual(new Set(['OFFICIAL', 'RESTRICTED']));
    expect(markings('UM')).toEqual(new Set(['OFFICIAL-SENSITIVE', 'OFFICIAL SENSITIVE']));
    expect(markings('YO')).toEqual(new Set(['RESTRICTED']));
    const restrictedIyss = unspoiled.filter((d) => d.subject_system === 'YS' && d.security_class === 'RESTRICTED');
    expect(restrictedIyss.length).toBeGreaterThan(0);
    expect(new Set(restrictedIyss.map((d) => d.doc_type_cd))).toEqual(new Set(['LTRSAF']));
    expect(failing(unspoiled.filter((d) => d.doc_type_cd === 'LTRSAF'), (d) => d.security_class === 'RESTRICTED')).toEqual([]);
  });

  it('only uses document kinds from dm_doc_type, covering every unified group', () => {
    const kinds = new Map(rows.dm_doc_type.map((k) => [k.doc_type_cd, k.doc_group_cd]));
    expect(failing(documents, (d) => kinds.has(d.doc_type_cd))).toEqual([]);
    expect(new Set(documents.map((d) => kinds.get(d.doc_type_cd)))).toEqual(
      new Set(['ASSESS', 'CORR', 'COURT', 'SCAN', 'REFER', 'PLAN']),
    );
    const yoisKinds = new Set(documents.filter((d) => d.subject_system === 'YO').map((d) => d.doc_type_cd));
    expect(yoisKinds).toContain('PSR');
    expect([...yoisKinds].some((k) => ['EHA', 'WBR', 'LTRAPT'].includes(k))).toBe(false);
  });

  it('records authors as logins: active staff, deleted leavers, the scanning bureau, or none', () => {
    const users = new Set(rows.dm_user.map((u) => u.user_login));
    const withoutAccount = documents.filter((d) => d.author_login !== null && !users.has(d.author_login));
    expect(withoutAccount.length).toBeGreaterThan(0);
    expect(new Set(withoutAccount.map((d) => d.author_login))).toEqual(new Set(['jnowak', 'rbaptiste']));
    expect(documents.some((d) => d.author_login === null)).toBe(true);
    const scans = documents.filter((d) => d.doc_type_cd.startsWith('SCAN'));
    expect(failing(scans, (d) => d.author_login === 'scan.bureau')).toEqual([]);
  });

  it('soft-deletes a small share of documents with the text flag', () => {
    expect(failing(documents, (d) => d.purged === '0' || d.purged === '1')).toEqual([]);
    const purged = documents.filter((d) => d.purged === '1').length;
    expect(share(purged, documents.length)).toBeGreaterThan(0.01);
    expect(share(purged, documents.length)).toBeLessThan(0.06);
  });

  it('writes synthetic text content for each document, with byte_size in UTF-8 bytes and a safe, unique storage key', () => {
    const missing = new Set(problemsOf('CONTENT_MISSING').map((p) => p.documentId));
    expect(files).toHaveLength(documents.length - missing.size);
    const contentByKey = new Map(files.map((f) => [f.contentKey, f.content]));
    expect(contentByKey.size).toBe(files.length);
    expect(new Set(documents.map((d) => d.storage_path)).size).toBe(documents.length);
    const personOf = new Map(population.map((p) => [p.personKey, p]));
    const wrong = documents.filter((d, i) => {
      if (missing.has(String(d.doc_id))) return contentByKey.has(d.storage_path);
      const content = contentByKey.get(d.storage_path) ?? '';
      const person = personOf.get(truth[i]!.personKey)!;
      return (
        !content.startsWith(`${SYNTHETIC_BANNER}\n`) ||
        Buffer.byteLength(content, 'utf8') !== d.byte_size ||
        !content.includes(`${person.forename} ${person.surname}`) ||
        !content.includes(`DMS reference ${d.doc_id}`) ||
        d.mime_type !== 'text/plain; charset=utf-8' ||
        d.storage_path !== `${d.created_ts.slice(0, 4)}/${d.created_ts.slice(5, 7)}/${d.doc_id}.txt` ||
        resolveInside('/store', d.storage_path) === undefined
      );
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    // Accented names make byte and character counts differ somewhere.
    expect(files.some((f) => Buffer.byteLength(f.content, 'utf8') !== f.content.length)).toBe(true);
    expect(failing(documents, (d) => d.doc_title.length <= 200 && d.byte_size > 0)).toEqual([]);
  });

  it('fills content with a neutral phrase when not given the population', () => {
    const anonymous = generateDmsRows([], { seed: 21, subjects: subjects.slice(0, 50) });
    expect(anonymous.files.length).toBeGreaterThan(0);
    for (const file of anonymous.files) {
      expect(file.content).toContain('the young person');
      expect(file.content.startsWith(SYNTHETIC_BANNER)).toBe(true);
    }
  });

  describe('planted problems', () => {
    it('plants each kind on a different live document', () => {
      const counts = Object.fromEntries(
        (['SUBJECT_NOT_FOUND', 'MODIFIED_BEFORE_CREATED', 'CONTENT_MISSING', 'UNCLASSIFIED', 'UNDER_CLASSIFIED'] as const).map(
          (kind) => [kind, problemsOf(kind).length],
        ),
      );
      expect(counts).toEqual({
        SUBJECT_NOT_FOUND: 3,
        MODIFIED_BEFORE_CREATED: 2,
        CONTENT_MISSING: 2,
        UNCLASSIFIED: 2,
        UNDER_CLASSIFIED: 1,
      });
      expect(planted.size).toBe(plannedProblems.length);
      expect(failing(plannedProblems, (p) => byId(p.documentId)?.purged === '0' && p.description.length > 0)).toEqual([]);
    });

    it('files one document per system against a reference that names no record there', () => {
      const notFound = problemsOf('SUBJECT_NOT_FOUND').map((p) => byId(p.documentId));
      expect(notFound.map((d) => d.subject_system).sort()).toEqual(['UM', 'YO', 'YS']);
      for (const d of notFound) expect(subjectByKey.has(subjectKeyOf(d))).toBe(false);
      // Every other document's reference resolves.
      expect(failing(unspoiled, (d) => subjectByKey.has(subjectKeyOf(d)))).toEqual([]);
    });

    it('stamps modified_ts before created_ts, drops content, clears or lowers markings as described', () => {
      for (const p of problemsOf('MODIFIED_BEFORE_CREATED')) expect(byId(p.documentId).modified_ts < byId(p.documentId).created_ts).toBe(true);
      for (const p of problemsOf('CONTENT_MISSING')) expect(files.some((f) => f.contentKey === byId(p.documentId).storage_path)).toBe(false);
      for (const p of problemsOf('UNCLASSIFIED')) expect(byId(p.documentId).security_class).toBeNull();
      for (const p of problemsOf('UNDER_CLASSIFIED')) {
        expect(byId(p.documentId)).toMatchObject({ subject_system: 'YO', security_class: 'OFFICIAL' });
      }
      expect(failing(unspoiled, (d) => d.security_class !== null)).toEqual([]);
    });

    it('plants what it can when there are few documents, and nothing without any', () => {
      expect(generateDmsRows(population, { seed: 21, subjects: [] })).toEqual({
        rows: expect.objectContaining({ dm_document: [] }),
        files: [],
        truth: [],
        plannedProblems: [],
      });
      const few = generateDmsRows(population, { seed: 21, subjects: subjects.filter((s) => s.system === 'IYSS').slice(0, 3), coverage: 1 });
      expect(few.plannedProblems.every((p) => p.kind !== 'UNDER_CLASSIFIED')).toBe(true);
      expect(few.plannedProblems.filter((p) => p.kind === 'SUBJECT_NOT_FOUND')).toHaveLength(1);
    });
  });

  it('validates coverage', () => {
    expect(generateDmsRows(population, { seed: 21, subjects, coverage: 0 }).rows.dm_document).toEqual([]);
    expect(() => generateDmsRows(population, { seed: 21, subjects, coverage: 1.5 })).toThrow(RangeError);
  });
});
