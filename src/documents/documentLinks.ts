import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a presented link was refused (`extensions.reason`). */
export type LinkRefusal = 'LINK_INVALID' | 'LINK_EXPIRED';

/**
 * Short-lived signed download links. The link names the document, the caller it was issued to and
 * when it expires; the signature proves the gateway issued it after authorizing that caller. A link is
 * not a bearer credential: the download must also carry that caller's own valid token
 * (src/server/documentDownloadRoute.ts), so a link copied into a log, a browser history or a chat opens nothing.
 */
export interface DocumentLinkSigner {
  sign(documentId: string, sub: string, now: Date): string;
  /** The subject the link was issued to when it is genuine and unexpired; otherwise why not. */
  verify(
    query: { documentId: string; sub?: unknown; expires?: unknown; sig?: unknown },
    now: Date,
  ): { ok: true; sub: string } | { ok: false; reason: LinkRefusal; message: string };
}

export function createDocumentLinkSigner(secret: string, ttlSeconds: number): DocumentLinkSigner {
  const mac = (documentId: string, sub: string, expires: number) =>
    createHmac('sha256', secret).update(`${documentId}\n${sub}\n${expires}`).digest('base64url');
  const invalid = { ok: false, reason: 'LINK_INVALID', message: 'Download link is not valid: ask for the document again' } as const;
  return {
    sign(documentId, sub, now) {
      const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
      const query = new URLSearchParams({ sub, expires: String(expires), sig: mac(documentId, sub, expires) });
      return `/documents/${encodeURIComponent(documentId)}/content?${query.toString()}`;
    },
    verify({ documentId, sub, expires, sig }, now) {
      if (typeof sub !== 'string' || typeof expires !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(expires)) return invalid;
      const expected = Buffer.from(mac(documentId, sub, Number(expires)));
      const given = Buffer.from(sig);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return invalid;
      if (Number(expires) * 1000 < now.getTime()) return { ok: false, reason: 'LINK_EXPIRED', message: 'Download link has expired: ask for the document again' };
      return { ok: true, sub };
    },
  };
}
