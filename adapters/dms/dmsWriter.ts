import { randomBytes } from 'node:crypto';
import type { Database } from '../drivers/createDatabase';
import { legacyDateTime, nextIntegerId, requireCode, withFreshKeys } from '../drivers/writeHelpers';
import { SourceFailure, type DmsWriter, type FileStore } from '../types';
import { SECURITY_CLASS_BY_TIER, SUBJECT_SYSTEM_CODES } from './mapping';
import type { DmsTables } from './tables';

const SOURCE = 'DMS' as const;
const LIVE = '0';

/**
 * DMS writes: a document's content goes to the file store first, under a key nobody can guess, then
 * its metadata row in one transaction. A failure after the content is stored leaves a file no row
 * points at, which nothing can read: the document is either filed whole or not at all.
 */
export function createDmsWriter(database: Database<DmsTables>, files: FileStore): DmsWriter {
  const { db } = database;
  return {
    async storeDocument(document) {
      const created = new Date(document.createdAt);
      const folder = `uploads/${created.getUTCFullYear()}/${String(created.getUTCMonth() + 1).padStart(2, '0')}`;
      const contentKey = `${folder}/${randomBytes(12).toString('hex')}.bin`;
      const kinds = await db.selectFrom('dm_doc_type').select('doc_type_cd').execute();
      const kind = requireCode(SOURCE, kinds.map((k) => k.doc_type_cd), document.documentTypeCode, 'documentType');
      try {
        await files.write(contentKey, document.content);
      } catch (error) {
        if (error instanceof SourceFailure) throw error;
        throw new SourceFailure(SOURCE, 'file store unavailable', { cause: error });
      }
      return withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const docId = await nextIntegerId(trx, 'dm_document', 'doc_id');
          const at = legacyDateTime(document.createdAt);
          await trx
            .insertInto('dm_document')
            .values({
              doc_id: docId,
              doc_title: document.title,
              doc_type_cd: kind,
              subject_system: SUBJECT_SYSTEM_CODES[document.subject.system],
              subject_ref: document.subject.sourceId,
              security_class: SECURITY_CLASS_BY_TIER[document.classificationTier],
              created_ts: at,
              modified_ts: at,
              author_login: document.authorLogin,
              mime_type: document.contentType,
              byte_size: document.content.length,
              storage_path: contentKey,
              purged: LIVE,
            })
            .execute();
          return { recordId: String(docId) };
        }),
      );
    },
  };
}
