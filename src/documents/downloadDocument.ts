import type { GraphQLError } from 'graphql';
import { RecordNotFound, SourceFailure, type DocumentRecord } from '../../adapters/types';
import { visiblePersonSystems } from '../access/systemVisibility';
import type { AuditEventInput, AuditOutcome } from '../audit/AuditEvent';
import type { GatewayContext } from '../context/GatewayContext';
import { ForbiddenError, NotFoundError, OverloadedError, SourceUnavailableError } from '../errors/errors';
import { SourceOverloaded } from '../sources/sourceGuard';

/**
 * The audit coordinate of a document's content. Content is served over HTTP, not GraphQL, so it has no
 * field of its own; the event's `operation` names the document (`download document <id>`).
 */
export const DOCUMENT_CONTENT = 'Document.content';

/** What a download came to: the bytes (already audited), or the error to answer with (nothing served). */
export type DownloadOutcome =
  | { served: true; document: DocumentRecord; content: Buffer }
  | { served: false; error: GraphQLError | AuditUnavailable };

/** The download could not be recorded in the access audit, so no content was served (fail closed). */
export class AuditUnavailable extends Error {
  constructor() {
    super('Access could not be recorded, so the document was not sent. Try again; if it persists, quote the x-request-id header.');
    this.name = 'AuditUnavailable';
  }
}

const NO_SUCH_DOCUMENT = 'No document has that ID';

function downloadEvent(context: GatewayContext, documentId: string, personId: string | null, outcome: AuditOutcome): AuditEventInput {
  const { principal, authz } = context;
  const coordinates = [DOCUMENT_CONTENT];
  const returned = outcome === 'RETURNED' ? coordinates : [];
  const denied = outcome === 'RETURNED' ? [] : coordinates;
  return {
    at: context.services.clock.now().toISOString(),
    requestId: context.requestId,
    principal: { sub: principal.sub, roles: [...principal.roles], tier: principal.tier, units: [...principal.units] },
    operation: `download document ${documentId}`,
    purpose: authz.purpose,
    people: personId ? [{ personId, breakGlassId: authz.breakGlassIdFor(personId), returned, denied }] : [],
    returned,
    denied,
    outcome,
  };
}

/** Loads the document and the gateway person it is about, or the error to answer with. */
async function documentAndPerson(context: GatewayContext, documentId: string): Promise<{ document: DocumentRecord; personId: string } | GraphQLError> {
  let document: DocumentRecord;
  try {
    document = await context.loaders.dmsDocument.load(documentId);
  } catch (error) {
    if (error instanceof SourceOverloaded) return new OverloadedError();
    if (error instanceof SourceFailure) return new SourceUnavailableError(error.source, error.reason);
    if (error instanceof RecordNotFound) return new NotFoundError(NO_SUCH_DOCUMENT);
    throw error;
  }
  // The subject record was linked when the link was issued, so this finds its person and writes nothing.
  const [person] = await context.services.persons.personsForRecords([document.subject]);
  if (!person?.personId) return new NotFoundError(NO_SUCH_DOCUMENT);
  return { document, personId: person.personId };
}

/**
 * Whether the caller may open this document now, judged as `YoungPerson { documents { downloadUrl } }`
 * would judge it at this moment: the subject's system within the caller's tier (documents about records
 * above it are never listed), the roles' grants, the document's classification against the tier the
 * roles reach, the purpose, and need to know (allocation or an active break-glass grant) above tier 1.
 * Access may have been withdrawn since the link was issued; the link proves only that it once was allowed.
 */
async function mayOpen(context: GatewayContext, document: DocumentRecord, personId: string): Promise<true | GraphQLError> {
  const { authz } = context;
  if (!visiblePersonSystems(authz).includes(document.subject.system)) {
    return new ForbiddenError('This document is classified above what your roles reach', 'CLASSIFIED_ABOVE_CLEARANCE');
  }
  const listed = await authz.check('YoungPerson.documents', { personId });
  if (listed !== true) return listed;
  return authz.check('Document.downloadUrl', { ...document, personId });
}

/** Records a refused download against the child; a refusal is sent whatever happens here (nothing is served). */
async function recordRefusal(context: GatewayContext, documentId: string, personId: string): Promise<void> {
  try {
    await context.services.audit.record(downloadEvent(context, documentId, personId, 'DENIED'));
  } catch (error) {
    context.log.error({ err: error, documentId }, 'refused document download could not be audited');
  }
}

/**
 * Serves a document's content to the principal a genuine, unexpired link was issued to (`linkSub`), as an
 * audited read: the event (principal, purpose, document, child, break-glass) is committed to the access
 * audit's chain before any byte is returned, and when it cannot be, nothing is. A link presented by
 * someone else is refused and that attempt is audited against the child too.
 */
export async function downloadDocument(context: GatewayContext, documentId: string, linkSub: string): Promise<DownloadOutcome> {
  const found = await documentAndPerson(context, documentId);
  if (linkSub !== context.principal.sub) {
    if (!(found instanceof Error)) await recordRefusal(context, documentId, found.personId);
    return { served: false, error: new ForbiddenError('This download link was issued to someone else: ask for the document yourself', 'LINK_NOT_YOURS') };
  }
  if (found instanceof Error) return { served: false, error: found };
  const { document, personId } = found;
  const allowed = await mayOpen(context, document, personId);
  if (allowed !== true) {
    if (allowed.extensions.code !== 'SOURCE_UNAVAILABLE') await recordRefusal(context, documentId, personId);
    return { served: false, error: allowed };
  }
  let content: Buffer;
  try {
    content = await context.loaders.sources.call('DMS', () => context.services.sources.dms.readContent(document));
  } catch (error) {
    if (error instanceof SourceOverloaded) return { served: false, error: new OverloadedError() };
    if (error instanceof SourceFailure) return { served: false, error: new SourceUnavailableError(error.source, error.reason) };
    throw error;
  }
  try {
    await context.services.audit.record(downloadEvent(context, documentId, personId, 'RETURNED'));
  } catch (error) {
    context.log.error({ err: error, documentId }, 'document download could not be audited: content withheld');
    return { served: false, error: new AuditUnavailable() };
  }
  return { served: true, document, content };
}
