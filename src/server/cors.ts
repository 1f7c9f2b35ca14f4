import type { RequestHandler } from 'express';
import { ErrorCode } from '../errors/ErrorCode';

/** Headers a browser client may send: the token, the stated purpose, and what CSRF prevention asks for. */
const ALLOWED_HEADERS = 'authorization, content-type, x-purpose, x-request-id, apollo-require-preflight';
const EXPOSED_HEADERS = 'x-request-id, retry-after';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Whether `origin` is one of the configured ones (`http://localhost:*` allows any port on that host). */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    if (!entry.endsWith(':*')) return entry.toLowerCase() === origin.toLowerCase();
    const prefix = entry.slice(0, -1).toLowerCase();
    return origin.toLowerCase().startsWith(prefix) && /^\d{1,5}$/.test(origin.slice(prefix.length));
  });
}

/**
 * CORS for browser front-ends on other origins, deny by default: only configured origins get
 * `Access-Control-Allow-Origin`, and a preflight from any other is refused (403) before anything runs.
 * Tokens travel in the Authorization header, never cookies, so credentials are not allowed.
 * Apollo's CSRF prevention stays on: a request a browser could send without a preflight is refused.
 */
export function corsMiddleware(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.header('origin');
    if (!origin) return next();
    res.vary('Origin');
    const ok = originAllowed(origin, allowed);
    const preflight = req.method === 'OPTIONS' && req.header('access-control-request-method') !== undefined;
    if (preflight) {
      if (!ok) {
        res.status(403).json({ errors: [{ message: 'This origin may not call the gateway (CORS_ORIGINS)', extensions: { code: ErrorCode.FORBIDDEN } }] });
        return;
      }
      res
        .status(204)
        .set({
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        })
        .end();
      return;
    }
    if (ok) res.set({ 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED_HEADERS });
    next();
  };
}
