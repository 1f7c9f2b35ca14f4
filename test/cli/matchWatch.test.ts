import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { startTestGateway, TEST_SECRET, type TestGateway } from '../support/startTestGateway';

/**
 * `npm run match -- --watch` as its own process beside a running gateway, on the gateway's SQLite
 * sources and store: a child registered straight into IYSS (as IYSS's own screens would, not through
 * the gateway) is a provisional person until the watcher's next round, and then the person their
 * UMIS record already belongs to, over HTTP. A change of details is read as a change, and SIGTERM
 * ends the watcher cleanly.
 */
const ROOT = path.resolve(__dirname, '../..');

interface Round {
  read?: number;
  arrived?: number;
  changed?: number;
  removed?: number;
  written?: { linksCreated: number } | null;
  skipped?: string;
}

/** The watcher's JSON lines as they come; `next(test)` waits for the first line after the call that passes `test`. */
function lines(child: ChildProcessWithoutNullStreams) {
  const seen: Round[] = [];
  const waiting: Array<{ from: number; test: (round: Round) => boolean; resolve: (round: Round) => void }> = [];
  let buffer = '';
  const settle = () => {
    for (const wait of [...waiting]) {
      const found = seen.slice(wait.from).find(wait.test);
      if (found) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(found);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      seen.push(JSON.parse(buffer.slice(0, end)) as Round);
      buffer = buffer.slice(end + 1);
    }
    settle();
  });
  return {
    seen,
    next(test: (round: Round) => boolean, timeoutMs = 30_000): Promise<Round> {
      const from = seen.length;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching watcher line in ${timeoutMs} ms; saw ${JSON.stringify(seen.slice(from))}`)), timeoutMs);
        waiting.push({ from, test, resolve: (round) => (clearTimeout(timer), resolve(round)) });
        settle();
      });
    },
  };
}

describe('npm run match -- --watch beside a running gateway', () => {
  let gateway: TestGateway;
  let watcher: ChildProcessWithoutNullStreams;
  let output: ReturnType<typeof lines>;
  let stderr = '';

  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 200 });
    watcher = spawn(process.execPath, ['--import', 'tsx', 'src/cli/runMatch.ts', '--watch', '--every', '3'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_JWT_SECRET: TEST_SECRET, DATA_DIR: gateway.services.config.dataDir },
    });
    watcher.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    output = lines(watcher);
    // The full run first (the gateway's own first run already linked everything: it changes nothing), then a quiet round.
    await output.next((round) => round.arrived === 0 && round.changed === 0);
  });
  afterAll(async () => {
    if (watcher.exitCode === null) watcher.kill('SIGKILL');
    await gateway?.stop();
  });

  it('links a child registered straight into IYSS to the person their UMIS record belongs to, within a round', async () => {
    // A UMIS client whose person has no IYSS record yet, with the details to register them by.
    const clients = await gateway.services.sources.umis.scanPeople(null, 1_000);
    let chosen: (typeof clients)[number] | undefined;
    let personId = '';
    for (const client of clients) {
      if (!client.dateOfBirth || !client.address?.postcode || client.gender === 'NOT_STATED') continue;
      const [person] = await gateway.services.persons.personsForRecords([{ system: 'UMIS', sourceId: client.sourceId }]);
      if (person && !person.records.some((record) => record.system === 'IYSS')) {
        chosen = client;
        personId = person.personId;
        break;
      }
    }
    expect(chosen).toBeDefined();
    const { forename, surname, knownAs, dateOfBirth, gender, address } = chosen!;
    // Just after a round, so the next one (3 s on) comes after the check of the provisional person.
    await output.next(() => true);
    const written = await gateway.services.writers.iyss.registerPerson({ forename, surname, knownAs, dateOfBirth, gender, ethnicity: null, address, upn: null });
    const asked = async () => (await gateway.graphql(`{ youngPerson(id: "yp:IYSS:${written.recordId}") { id forename } }`)).body;
    // Before the watcher looks again: a provisional person of its own, named by its record reference.
    const before = await asked();
    expect(before.data.youngPerson).toEqual({ id: `yp:IYSS:${written.recordId}`, forename });

    const round = await output.next((r) => (r.arrived ?? 0) >= 1);
    expect(round.written?.linksCreated).toBeGreaterThanOrEqual(1);
    const after = await asked();
    expect(after.errors).toBeUndefined();
    expect(after.data.youngPerson.id).toBe(personId);
  });

  it('reads a change of details in a source as a change, and a quiet source as nothing to do', async () => {
    const [someone] = await gateway.services.sources.iyss.scanPeople(null, 1);
    await gateway.services.writers.iyss.updateDemographics(someone!.sourceId, { forename: `${someone!.forename}a` });
    const round = await output.next((r) => (r.changed ?? 0) >= 1);
    expect(round).toMatchObject({ arrived: 0, changed: 1, removed: 0 });
    await output.next((r) => r.changed === 0 && r.arrived === 0 && r.written === null);
  });

  it('ends after the round in progress on SIGTERM, with exit code 0 and nothing on stderr', async () => {
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', (code) => resolve(code)));
    watcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
