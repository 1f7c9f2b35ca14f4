import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** A gateway running as its own OS process (`src/main.ts`), as a replica runs in production. */
export interface GatewayProcess {
  url: string;
  port: number;
  /** Every JSON log line it has written so far. */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the gateway's PORT must be 1 or more). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `src/main.ts` with `env` on a free port and resolves once it listens (or rejects with its output). */
export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway process did not start within ${timeoutMs} ms:\n${output.slice(-4000)}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output += `${line}\n`;
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(entry);
        if (typeof entry.url === 'string' && String(entry.msg).startsWith('gateway listening')) {
          clearTimeout(timer);
          const port = Number(new URL(entry.url).port);
          resolve({
            url: `http://127.0.0.1:${port}`,
            port,
            logs,
            stop: () =>
              new Promise<void>((done) => {
                if (child.exitCode !== null) return done();
                const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
                child.once('exit', () => {
                  clearTimeout(kill);
                  done();
                });
                child.kill('SIGTERM');
              }),
          });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway process exited with ${code} before listening:\n${output.slice(-4000)}`));
    });
  });
}

/**
 * A round-robin HTTP proxy on one port in front of several gateways, as a load balancer would be.
 * It tags each request's `x-request-id` with the replica it went to (`r1-17`), so the audit shows who wrote what.
 */
export async function startRoundRobinProxy(targets: number[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next % targets.length;
    next += 1;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targets[index],
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-request-id': `r${index + 1}-${next}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
