import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gatewaySdl } from '../../src/cli/printSchema';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

/**
 * The front-end workflow as the README gives it: `npm run client:codegen` prints the SDL and generates
 * typed documents from client/operations/; the generated types compile against client/example (dates as
 * strings, required variables required); the documents answer over HTTP through the example client; and
 * the persisted-operation manifest holds exactly those operations.
 */
const ROOT = path.resolve(__dirname, '../..');
const GENERATED = path.join(ROOT, 'client', 'generated');

describe('client workflow', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    const built = spawnSync('npm', ['run', '-s', 'client:codegen'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`client:codegen failed: ${built.stdout}${built.stderr}`);
    gateway = await startTestGateway({ volume: 100 });
  }, 180_000);
  afterAll(() => gateway?.stop());

  test('schema:print writes the schema the gateway serves', () => {
    const printed = fs.readFileSync(path.join(ROOT, 'client', 'schema.graphql'), 'utf8');
    expect(printed.trim()).toBe(gatewaySdl().trim());
    expect(printed).toContain('scalar Date');
    expect(printed).toContain('type YoungPerson');
  });

  test('the generated types compile with the example client, and misuse does not', () => {
    const compiled = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'client/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  }, 120_000);

  test('a generated document answers over HTTP through the example client, typed', async () => {
    // Loaded by path: client/generated is built by the test, not committed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const documents = require(path.join(GENERATED, 'graphql.ts')) as Record<string, unknown>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runOperation } = require(path.join(ROOT, 'client', 'example', 'gatewayClient.ts')) as typeof import('../../client/example/gatewayClient');
    const { iyss } = gateway.dataset;
    const row = iyss.rows.tblYoungPerson.find((r) => r.IsDeleted === 0)!;
    const token = await gateway.token();
    const found = (await runOperation(`${gateway.url}/graphql`, token, documents.FindPersonDocument as never, { name: `${row.Forename} ${row.Surname}` })) as {
      data: { searchYoungPeople: { edges: Array<{ node: { id: string; surname: string } }> } };
      errors?: unknown;
    };
    expect(found.errors).toBeUndefined();
    const first = found.data.searchYoungPeople.edges[0]!.node;
    expect(first.surname).toBe(row.Surname);
    const person = (await runOperation(`${gateway.url}/graphql`, token, documents.PersonSummaryDocument as never, { id: first.id })) as {
      data: { youngPerson: { id: string; dateOfBirth: string | null } };
      errors?: unknown;
    };
    expect(person.errors).toBeUndefined();
    expect(person.data.youngPerson.id).toBe(first.id);
    if (person.data.youngPerson.dateOfBirth !== null) expect(person.data.youngPerson.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('the persisted-operation manifest lists each operation by its hash', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(GENERATED, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
    const names = Object.values(manifest).map((text) => /^query (\w+)/.exec(text)?.[1]).sort();
    expect(names).toEqual(['FindPerson', 'PersonSummary']);
    expect(Object.keys(manifest).every((hash) => /^sha256:[0-9a-f]{64}$/.test(hash))).toBe(true);
  });

  test('with the manifest deployed, only its operations run: by id, never hand-written text', async () => {
    const manifestFile = path.join(GENERATED, 'persisted-documents.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    const locked = await startTestGateway({ volume: 100, env: { PERSISTED_OPERATIONS_FILE: manifestFile } });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const documents = require(path.join(GENERATED, 'graphql.ts')) as Record<string, unknown>;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runPersistedOperation } = require(path.join(ROOT, 'client', 'example', 'gatewayClient.ts')) as typeof import('../../client/example/gatewayClient');
      const row = locked.dataset.iyss.rows.tblYoungPerson.find((r) => r.IsDeleted === 0)!;
      const token = await locked.token();
      const found = (await runPersistedOperation(`${locked.url}/graphql`, token, documents.FindPersonDocument as never, { name: `${row.Forename} ${row.Surname}` })) as {
        data: { searchYoungPeople: { edges: Array<{ node: { surname: string } }> } };
        errors?: unknown;
      };
      expect(found.errors).toBeUndefined();
      expect(found.data.searchYoungPeople.edges[0]!.node.surname).toBe(row.Surname);

      const post = async (body: unknown) => {
        const response = await fetch(`${locked.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
      };
      const [id, text] = Object.entries(manifest).find(([, t]) => t.startsWith('query FindPerson'))!;
      // The manifest's own text runs as it is; an Apollo-style bare hash finds it too.
      expect((await post({ query: text, variables: { name: row.Surname } })).body.errors).toBeUndefined();
      expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } }, variables: { name: row.Surname } })).body.errors).toBeUndefined();
      // Anything else is refused before it is parsed: hand-written text, an unknown id, an id with other text.
      const handWritten = await post({ query: '{ gatewayInfo { version } }' });
      expect(handWritten).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_REQUIRED' } }] } });
      expect(handWritten.body.data).toBeUndefined();
      const unknown = await post({ documentId: `sha256:${'0'.repeat(64)}` });
      expect(unknown).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
      const swapped = await post({ documentId: id, query: '{ __schema { types { name } } }' });
      expect(swapped).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
      const viaGet = await fetch(`${locked.url}/graphql?query=${encodeURIComponent('{ gatewayInfo { version } }')}`, {
        headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      });
      expect(viaGet.status).toBe(400);
      expect(((await viaGet.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    } finally {
      await locked.stop();
    }
  }, 120_000);
});
