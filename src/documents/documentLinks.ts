import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived signed download links. The link names the document, the caller it was issued to and
 * when it expires; the signature proves the gateway issued it after authorizing that caller.
 */
export interface DocumentLinkSigner {
  sign(documentId: string, sub: string, now: Date): string;
  /** The document ID and subject when the link is genuine and unexpired; otherwise a reason. */
  verify(query: { documentId: string; sub?: unknown; expires?: unknown; sig?: unknown }, now: Date): { ok: true; sub: string } | { ok: false; reason: string };
}

export function createDocumentLinkSigner(secret: string, ttlSeconds: number): DocumentLinkSigner {
  const mac = (documentId: string, sub: string, expires: number) =>
    createHmac('sha256', secret).update(`${documentId}\n${sub}\n${expires}`).digest('base64url');
  return {
    sign(documentId, sub, now) {
      const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
      const query = new URLSearchParams({ sub, expires: String(expires), sig: mac(documentId, sub, expires) });
      return `/documents/${encodeURIComponent(documentId)}/content?${query.toString()}`;
    },
    verify({ documentId, sub, expires, sig }, now) {
      if (typeof sub !== 'string' || typeof expires !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(expires)) {
        return { ok: false, reason: 'Download link is incomplete' };
      }
      const expected = Buffer.from(mac(documentId, sub, Number(expires)));
      const given = Buffer.from(sig);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'Download link is not valid' };
      if (Number(expires) * 1000 < now.getTime()) return { ok: false, reason: 'Download link has expired: ask for the document again' };
      return { ok: true, sub };
    },
  };
}
