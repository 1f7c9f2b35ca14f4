import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/**
 * The smallest typed client a screen needs: a generated document in, its typed answer out. The token
 * goes in Authorization, the purpose (tier 2/3 data) in X-Purpose; errors come back with extensions.code.
 */
export async function runOperation<Result, Variables>(
  url: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  purpose?: string,
): Promise<{ data: Result | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': purpose } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as { data: Result | null };
}

/**
 * The same call by persisted-operation id: the manifest `npm run client:codegen` writes is deployed with
 * the gateway (PERSISTED_OPERATIONS_FILE), and in production only its operations run.
 */
export async function runPersistedOperation<Result, Variables>(
  url: string,
  token: string,
  document: TypedDocumentNode<Result, Variables> & { __meta__?: { hash?: string } },
  variables: Variables,
  purpose?: string,
): Promise<{ data: Result | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const documentId = document.__meta__?.hash;
  if (!documentId) throw new Error('this document has no persisted-operation hash: run npm run client:codegen');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': purpose } : {}) },
    body: JSON.stringify({ documentId, variables }),
  });
  return (await response.json()) as { data: Result | null };
}
