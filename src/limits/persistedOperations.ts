/**
 * The persisted-operation allow-list. `npm run client:codegen` writes the front-end's operations to a
 * manifest (operation id -> document text); deployed with PERSISTED_OPERATIONS_FILE, the gateway
 * answers a request that names an operation by id (`documentId`, or Apollo's
 * `extensions.persistedQuery.sha256Hash`) with the manifest's text, and, unless
 * PERSISTED_OPERATIONS_ONLY=false, refuses any operation text that is not in the manifest. In
 * production that shuts the door on hand-written queries probing the schema: only the operations the
 * front-end teams shipped can run.
 */
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../errors/ErrorCode';

export interface PersistedOperations {
  readonly byId: ReadonlyMap<string, string>;
  readonly texts: ReadonlySet<string>;
  /** Only operations in the manifest may run. */
  readonly only: boolean;
}

const manifestSchema = z.record(z.string().min(1).max(128), z.string().min(1));

/** Reads and checks a manifest; a file that is missing or not an object of id -> text stops the start. */
export function loadPersistedOperations(file: string, only: boolean): PersistedOperations {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`PERSISTED_OPERATIONS_FILE ${file} must be a JSON object of operation id -> operation text`);
  const byId = new Map(Object.entries(parsed.data));
  if (byId.size === 0) throw new Error(`PERSISTED_OPERATIONS_FILE ${file} lists no operations`);
  return { byId, texts: new Set(byId.values()), only };
}

function refuse(res: Parameters<RequestHandler>[1], message: string, code: ErrorCode): void {
  res.status(400).json({ errors: [{ message, extensions: { code } }] });
}

/** The id a request names its operation by, if any. */
function operationId(body: Record<string, unknown>): unknown {
  if (body.documentId !== undefined) return body.documentId;
  const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  return extensions?.persistedQuery?.sha256Hash;
}

/**
 * Resolves a named operation to its manifest text before GraphQL sees the request, and refuses text
 * outside the manifest when only persisted operations may run. Without a manifest it does nothing.
 */
export function persistedOperations(operations: PersistedOperations | null): RequestHandler {
  return (req, res, next) => {
    if (!operations) return next();
    // GET carries the operation in the query string; POST in the JSON body.
    const body: Record<string, unknown> | null =
      req.method === 'GET' ? (req.query as Record<string, unknown>) : req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : null;
    if (!body) return next();
    const id = operationId(body);
    if (id !== undefined) {
      // The client preset keys its manifest `sha256:<hex>`; Apollo-style clients send the bare hex.
      const text = typeof id === 'string' ? (operations.byId.get(id) ?? operations.byId.get(`sha256:${id}`)) : undefined;
      if (text === undefined) {
        refuse(res, 'No persisted operation has that id: regenerate the client (npm run client:codegen) and deploy its manifest', ErrorCode.PERSISTED_QUERY_NOT_FOUND);
        return;
      }
      if (typeof body.query === 'string' && body.query !== text) {
        refuse(res, 'The operation text sent does not match the persisted operation with that id', ErrorCode.BAD_REQUEST);
        return;
      }
      if (req.method === 'GET') {
        refuse(res, 'Send persisted operations with POST', ErrorCode.BAD_REQUEST);
        return;
      }
      // Apollo's own automatic persisted queries must not see the id: the manifest has answered it.
      const { documentId: _documentId, extensions, ...rest } = body as { documentId?: unknown; extensions?: Record<string, unknown> };
      const { persistedQuery: _persisted, ...otherExtensions } = extensions ?? {};
      req.body = { ...rest, query: text, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) };
      return next();
    }
    if (operations.only && !(typeof body.query === 'string' && operations.texts.has(body.query))) {
      refuse(res, 'This gateway runs only the operations its front-ends shipped: send a persisted operation id (documentId)', ErrorCode.PERSISTED_QUERY_REQUIRED);
      return;
    }
    next();
  };
}
