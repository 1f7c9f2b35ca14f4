import type { RequestHandler, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { bearerToken, TokenRejected } from '../auth/tokenVerifier';
import type { Principal } from '../auth/Principal';
import { PURPOSE_HEADER } from '../authz/requestAuthorization';
import { AuditUnavailable, downloadDocument } from '../documents/downloadDocument';
import { ErrorCode } from '../errors/ErrorCode';
import type { Logger } from '../logging/logger';
import { OVERLOAD_RETRY_AFTER_SECONDS } from '../plugins/useSourceFailureErrors';
import type { GatewayServices } from './GatewayServices';
import { createRequestContext } from './requestContext';

const SIGN_IN = 'Sign in: a download link opens only with the bearer token of the user it was issued to';

/** Status for each error code a download can end with; anything else is a bug and answers 500. */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.SOURCE_UNAVAILABLE]: 503,
  [ErrorCode.AUDIT_UNAVAILABLE]: 503,
  [ErrorCode.OVERLOADED]: 503,
};

/** The same JSON error shape as /graphql, with only the code, reason and source a client can act on. */
function refuse(res: Response, code: ErrorCode, message: string, extra: { reason?: string; source?: string } = {}): void {
  const extensions = { code, ...(extra.reason ? { reason: extra.reason } : {}), ...(extra.source ? { source: extra.source } : {}) };
  if (code === ErrorCode.UNAUTHENTICATED) res.set('www-authenticate', 'Bearer');
  if (code === ErrorCode.OVERLOADED) res.set('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
  res.status(STATUS[code] ?? 500).set('cache-control', 'no-store').json({ errors: [{ message, extensions }] });
}

function refuseWith(res: Response, error: GraphQLError | AuditUnavailable): void {
  if (error instanceof AuditUnavailable) return refuse(res, ErrorCode.AUDIT_UNAVAILABLE, error.message);
  const { code, reason, source } = error.extensions;
  refuse(res, (code as ErrorCode | undefined) ?? ErrorCode.INTERNAL_SERVER_ERROR, error.message, { reason, source });
}

async function principalOf(services: GatewayServices, header: string | undefined, log: Logger): Promise<Principal | { refused: string }> {
  try {
    const token = bearerToken(header);
    if (!token) return { refused: SIGN_IN };
    return await services.verifyToken(token);
  } catch (error) {
    if (error instanceof TokenRejected) {
      log.info({ reason: error.message }, 'token rejected on document download');
      return { refused: error.clientMessage };
    }
    throw error;
  }
}

/**
 * `GET /documents/:documentId/content?sub=&expires=&sig=`: a document's content, for the user the link
 * was issued to, presenting their own bearer token (and `X-Purpose` for a tier-2/3 document), as a
 * front-end does for /graphql: `fetch(url, { headers })`, then a blob. In order: a valid token (401),
 * a genuine unexpired link (403 LINK_INVALID / LINK_EXPIRED), issued to this token's subject (403
 * LINK_NOT_YOURS), access to the document now (403 with the reason /graphql would give), an audit
 * event in the chain (503 AUDIT_UNAVAILABLE otherwise); only then the bytes.
 */
export function documentDownloadRoute(services: GatewayServices): RequestHandler {
  return async (req, res) => {
    const requestId = String(res.locals.requestId);
    const log = services.log.child({ requestId });
    const documentId = String(req.params.documentId);
    try {
      const principal = await principalOf(services, req.header('authorization'), log);
      if ('refused' in principal) return refuse(res, ErrorCode.UNAUTHENTICATED, principal.refused);
      const link = services.documentLinks.verify({ documentId, ...req.query }, services.clock.now());
      if (!link.ok) {
        log.info({ sub: principal.sub, reason: link.reason }, 'document link refused');
        return refuse(res, ErrorCode.FORBIDDEN, link.message, { reason: link.reason });
      }
      const context = await createRequestContext(services, principal, req.header(PURPOSE_HEADER), requestId, log);
      const outcome = await downloadDocument(context, documentId, link.sub);
      if (!outcome.served) {
        context.log.info({ documentId, linkSub: link.sub, code: outcome.error instanceof AuditUnavailable ? 'AUDIT_UNAVAILABLE' : outcome.error.extensions.code }, 'document download refused');
        return refuseWith(res, outcome.error);
      }
      context.log.info({ documentId }, 'document downloaded (audited)');
      res
        .status(200)
        .set({
          'content-type': outcome.document.contentType,
          'content-length': String(outcome.content.length),
          'content-disposition': `attachment; filename="document-${documentId}"`,
          'cache-control': 'no-store',
        })
        .end(outcome.content);
    } catch (error) {
      log.error({ err: error }, 'document download failed');
      refuse(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal error: quote the x-request-id header');
    }
  };
}
