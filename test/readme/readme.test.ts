import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintDevelopmentToken } from '../../src/auth/mintToken';
import { tokenRequestFromArguments } from '../../src/auth/tokenArguments';
import { loadConfig } from '../../src/config/config';
import { startGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { firstValueOf, graphqlOperations, isEmptyAnswer, readmeBlocks, SHELL, type ReadmeOperation } from './readmeExamples';

/**
 * Every example in README.md, run as printed against `npm start`'s gateway: src/main.ts as its own
 * process on a fresh data folder, seeded with the defaults (2,000 people, the default PRNG seed) and the
 * built-in development secret, so `npm run -s token` in the shell examples signs tokens it accepts.
 * Examples run in README order, each answer available to the variables of the ones after it.
 */
const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = readmeBlocks(README).filter((block) => SHELL.has(block.language) || block.language === 'graphql');

// What `npm start` sees: no test secret, development mode.
delete process.env.AUTH_JWT_SECRET;
const developmentSecret = loadConfig({}).auth;

/** Commands a README example may show but this test must never run (it would install, build or start in place). */
const UNSAFE_COMMAND = /\bnpm (?:install|ci|test|start)\b|\bnpm run (?:build|bench|dev)\b|\bnode dist\/|\bnpx jest\b/;

let gateway: GatewayProcess;
let dataDir: string;
/** Every answer so far, newest last: where `# $name = field` variables are taken from. */
const answers: unknown[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  gateway = await startGatewayProcess({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info' }, 240_000);
}, 250_000);

afterAll(async () => {
  await gateway?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The JSON documents a shell example printed one after another (curl -s prints no newline between). */
function jsonDocuments(output: string): unknown[] {
  const documents: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < output.length; i += 1) {
    const c = output[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) documents.push(JSON.parse(output.slice(start, i + 1)));
    }
  }
  return documents;
}

function runShell(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script.replaceAll('http://localhost:4000', gateway.url)], {
      cwd: ROOT,
      env: { ...process.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Problems with one GraphQL answer: errors, empty roots, or not the documented error. */
function problemsOf(body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }, expected: ReadmeOperation['error']): string[] {
  if (expected) {
    const matching = (body.errors ?? []).some(
      (error) => error.extensions?.code === expected.code && (!expected.reason || error.extensions?.reason === expected.reason),
    );
    return matching ? [] : [`expected error ${expected.code} ${expected.reason ?? ''}, got ${JSON.stringify(body).slice(0, 600)}`];
  }
  const problems: string[] = [];
  if (body.errors?.length) problems.push(`errors: ${JSON.stringify(body.errors).slice(0, 800)}`);
  for (const [field, value] of Object.entries(body.data ?? {})) {
    if (isEmptyAnswer(value)) problems.push(`${field} answered ${JSON.stringify(value)}`);
  }
  if (!body.data) problems.push('no data');
  return problems;
}

async function runOperation(operation: ReadmeOperation): Promise<string[]> {
  if (!operation.caller) return [`${operation.name}: no "# as:" line says who runs it`];
  const variables: Record<string, unknown> = { ...operation.literalVariables };
  for (const name of operation.variableNames) {
    if (name in variables) continue;
    const field = operation.variableSources[name];
    if (!field) return [`${operation.name}: $${name} has neither a "# $${name} = field from ..." line nor a value in "# variables:"`];
    const value = [...answers].reverse().map((answer) => firstValueOf(answer, field)).find((found) => found !== undefined);
    if (value === undefined) return [`${operation.name}: no answer so far has a "${field}" for $${name}`];
    variables[name] = value;
  }
  const request = tokenRequestFromArguments(operation.caller.tokenArgs);
  const token = await mintDevelopmentToken(developmentSecret.mode === 'hs256' ? developmentSecret.secret : '', request.claims);
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(operation.caller.purpose ? { 'x-purpose': operation.caller.purpose } : {}),
    },
    body: JSON.stringify({ query: operation.query, variables }),
  });
  const body = (await response.json()) as Parameters<typeof problemsOf>[0];
  answers.push(body.data);
  return problemsOf(body, operation.error).map((problem) => `${operation.name} ${JSON.stringify(variables)}: ${problem}`);
}

describe('README examples run as printed on a fresh npm start', () => {
  test('the README has examples of both kinds', () => {
    expect(blocks.filter((block) => SHELL.has(block.language) && !block.notRun).length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((block) => block.language === 'graphql').length).toBeGreaterThanOrEqual(10);
  });

  for (const block of blocks) {
    const title = `README line ${block.line} (${block.language})`;
    if (block.notRun) {
      test.skip(`${title}: not run: ${block.notRun}`, () => undefined);
      continue;
    }
    test(title, async () => {
      const problems: string[] = [];
      if (block.language === 'graphql') {
        for (const operation of graphqlOperations(block.text)) problems.push(...(await runOperation(operation)));
      } else {
        // Installing, building, starting or testing from inside the test would change the very checkout it runs in.
        const unsafe = UNSAFE_COMMAND.exec(block.text);
        if (unsafe) throw new Error(`"${unsafe[0]}" must not run inside this test: mark the block <!-- not run: why -->`);
        const { code, stdout, stderr } = await runShell(block.text);
        if (code !== 0) problems.push(`exit ${code}: ${stderr.slice(-800)}`);
        const expected = /#\s*error:\s*([A-Z_]+)/.exec(block.text)?.[1];
        const documents = stdout.trimStart().startsWith('{') ? jsonDocuments(stdout) : [];
        if (stdout.trim() === '') problems.push('printed nothing');
        for (const document of documents) {
          const body = document as Parameters<typeof problemsOf>[0];
          if (body.data) answers.push(body.data);
          problems.push(...problemsOf(body, expected ? { code: expected, reason: null } : null));
        }
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
