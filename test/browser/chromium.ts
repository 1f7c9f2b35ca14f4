import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The Chromium on this machine (Debian's `chromium` package), or null when none is installed. */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not this one
    }
  }
  return null;
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

/**
 * Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
 * fd 3, answers on fd 4, NUL-separated JSON), so no WebSocket client or browser-automation package is needed.
 */
export class HeadlessChromium {
  private nextId = 1;
  private pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  readonly events: Message[] = [];
  private constructor(private readonly child: ChildProcess, private readonly profile: string) {
    let buffered = '';
    (child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end;
      while ((end = buffered.indexOf('\0')) >= 0) {
        const message = JSON.parse(buffered.slice(0, end)) as Message;
        buffered = buffered.slice(end + 1);
        if (message.id !== undefined && this.pending.has(message.id)) {
          const waiting = this.pending.get(message.id)!;
          this.pending.delete(message.id);
          if (message.error) waiting.reject(new Error(message.error.message));
          else waiting.resolve(message);
        } else this.events.push(message);
      }
    });
  }

  /** Starts Chromium with no route to any host but 127.0.0.1: a page that needs the internet fails here. */
  static launch(binary: string): HeadlessChromium {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
    const child = spawn(
      binary,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        '--window-size=1280,860',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new HeadlessChromium(child, profile);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Opens a blank tab and returns a function sending commands to it. */
  async newPage(): Promise<(method: string, params?: Record<string, unknown>) => Promise<Message>> {
    const { result } = await this.send('Target.createTarget', { url: 'about:blank' });
    const attached = await this.send('Target.attachToTarget', { targetId: result!.targetId, flatten: true });
    const sessionId = attached.result!.sessionId as string;
    return (method, params = {}) => this.send(method, params, sessionId);
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    await new Promise((resolve) => (this.child.exitCode !== null ? resolve(null) : this.child.once('exit', resolve)));
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}
