import type { Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { chunk, MAX_PARAMETERS_PER_STATEMENT } from '../drivers/insertRows';
import { RecordNotFound, SourceFailure, type DmsAdapter, type DocumentRecord, type FileStore } from '../types';
import {
  canonicalSubjectRef,
  documentTypeFromGroup,
  isoDateTime,
  parseSubjectKey,
  storedSubjectRefForms,
  SUBJECT_SYSTEM_CODES,
  subjectSystemFromCode,
  tierFromSecurityClass,
  type SubjectSystem,
} from './mapping';
import type { DmsTables } from './tables';

const SOURCE = 'DMS' as const;
const LIVE = '0';

/** DMS document IDs are positive integers; anything else cannot exist there. */
function parseDocumentId(id: string): number | undefined {
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

function documentQuery(db: Kysely<DmsTables>) {
  return db
    .selectFrom('dm_document as d')
    .leftJoin('dm_doc_type as t', 't.doc_type_cd', 'd.doc_type_cd')
    .leftJoin('dm_user as u', 'u.user_login', 'd.author_login')
    .select([
      'd.doc_id',
      'd.doc_title',
      'd.doc_type_cd',
      't.doc_group_cd',
      'd.subject_system',
      'd.subject_ref',
      'd.security_class',
      'd.created_ts',
      'd.modified_ts',
      'd.author_login',
      'u.display_name',
      'd.mime_type',
      'd.byte_size',
      'd.storage_path',
    ])
    .where('d.purged', '=', LIVE);
}

type DocumentRow = Awaited<ReturnType<ReturnType<typeof documentQuery>['execute']>>[number];

/** Undefined for a row filed under a system code DMS does not define: it cannot name a subject. */
function toDocument(row: DocumentRow): DocumentRecord | undefined {
  const system = subjectSystemFromCode(row.subject_system);
  if (system === undefined) return undefined;
  return {
    source: SOURCE,
    documentId: String(row.doc_id),
    title: row.doc_title.trim(),
    documentType: documentTypeFromGroup(row.doc_group_cd),
    subject: { system, sourceId: canonicalSubjectRef(system, row.subject_ref) ?? row.subject_ref.trim() },
    classificationTier: tierFromSecurityClass(row.security_class),
    createdAt: isoDateTime(row.created_ts),
    modifiedAt: isoDateTime(row.modified_ts),
    // Leavers' accounts are deleted; their login is still better than no author at all.
    authorName: row.display_name?.trim() || row.author_login?.trim() || null,
    contentType: row.mime_type,
    sizeBytes: Number(row.byte_size),
    contentKey: row.storage_path,
  };
}

/** One subject to look up: its system, its canonical reference and every stored spelling of it. */
interface SubjectLookup {
  system: SubjectSystem;
  ref: string;
  forms: string[];
}

/**
 * Packs lookups into statements of at most MAX_PARAMETERS_PER_STATEMENT stored spellings, never
 * splitting one subject's spellings across statements (so each subject's rows arrive in one
 * statement, already in order).
 */
function packLookups(lookups: readonly SubjectLookup[]): SubjectLookup[][] {
  const packs: SubjectLookup[][] = [];
  let current: SubjectLookup[] = [];
  let size = 0;
  for (const lookup of lookups) {
    if (size + lookup.forms.length > MAX_PARAMETERS_PER_STATEMENT && current.length > 0) {
      packs.push(current);
      current = [];
      size = 0;
    }
    current.push(lookup);
    size += lookup.forms.length;
  }
  if (current.length > 0) packs.push(current);
  return packs;
}

const subjectKey = (system: SubjectSystem, ref: string): string => `${system}:${ref}`;

/** The DMS adapter: the only code that knows DMS tables, columns and code values. Content comes from `fileStore`. */
export function createDmsAdapter(database: Database<DmsTables>, fileStore: FileStore): DmsAdapter {
  const { db } = database;
  return {
    system: SOURCE,

    async documentsBySubjects(subjects) {
      const parsed = subjects.map(parseSubjectKey);
      const lookups = new Map<string, SubjectLookup>();
      for (const subject of parsed) {
        if (subject === undefined) continue;
        const forms = storedSubjectRefForms(subject.system, subject.ref);
        lookups.set(subjectKey(subject.system, subject.ref), { ...subject, forms });
      }
      // Ordered by system, so each statement holds at most one IN list per system.
      const ordered = [...lookups.values()].sort((a, b) => a.system.localeCompare(b.system));
      const grouped = new Map<string, DocumentRecord[]>();
      for (const pack of packLookups(ordered)) {
        const bySystem = new Map<SubjectSystem, string[]>();
        for (const lookup of pack) bySystem.set(lookup.system, [...(bySystem.get(lookup.system) ?? []), ...lookup.forms]);
        const rows = await documentQuery(db)
          .where((eb) =>
            eb.or(
              [...bySystem].map(([system, forms]) =>
                eb.and([eb('d.subject_system', '=', SUBJECT_SYSTEM_CODES[system]), eb('d.subject_ref', 'in', forms)]),
              ),
            ),
          )
          .orderBy('d.created_ts', 'desc')
          .orderBy('d.doc_id', 'desc')
          .execute();
        for (const row of rows) {
          const document = toDocument(row);
          if (document === undefined) continue;
          const key = subjectKey(document.subject.system, document.subject.sourceId);
          // A case-insensitive collation may return spellings of other subjects' GUIDs; keep only those asked for.
          if (!lookups.has(key)) continue;
          const list = grouped.get(key) ?? [];
          list.push(document);
          grouped.set(key, list);
        }
      }
      return parsed.map((subject) => (subject ? (grouped.get(subjectKey(subject.system, subject.ref)) ?? []) : []));
    },

    async documentsByIds(ids) {
      const numeric = [...new Set(ids.map(parseDocumentId).filter((id): id is number => id !== undefined))];
      const found = new Map<number, DocumentRecord>();
      for (const part of chunk(numeric, MAX_PARAMETERS_PER_STATEMENT)) {
        if (part.length === 0) continue;
        for (const row of await documentQuery(db).where('d.doc_id', 'in', part).execute()) {
          const document = toDocument(row);
          if (document) found.set(row.doc_id, document);
        }
      }
      return ids.map((id) => found.get(parseDocumentId(id) ?? -1) ?? new RecordNotFound(SOURCE, id));
    },

    async readContent(document) {
      try {
        return await fileStore.read(document.contentKey);
      } catch (error) {
        // Name the document, never the storage key: keys stay inside the gateway.
        if (error instanceof RecordNotFound) throw new RecordNotFound(SOURCE, `${document.documentId} (content)`);
        if (error instanceof SourceFailure) throw error;
        throw new SourceFailure(SOURCE, 'file store unavailable', { cause: error });
      }
    },

    ping: () => database.ping(),
    close: () => database.close(),
  };
}
