import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordNotFound } from '../../types';
import { folderFileStore, resolveInside } from '../folderFileStore';

/** Every file and folder under `dir`, relative, sorted: proves nothing was created or changed outside the store. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      out.push(`${path.relative(dir, full)}${entry.isDirectory() ? '/' : ''}`);
      if (entry.isDirectory() && !entry.isSymbolicLink()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** Keys that try to leave the folder, or are not plain relative paths. */
const ESCAPING_KEYS = [
  '../secret.txt',
  '..',
  'a/../../secret.txt',
  'a/../b.txt',
  './a.txt',
  'a/./b.txt',
  'a//b.txt',
  'a/',
  '',
  '/etc/passwd',
  'secret.txt\0.png',
  'a/b\0',
  '..\\secret.txt',
  'a\\..\\..\\secret.txt',
  'C:/Windows/win.ini',
  'c:secret.txt',
];

describe('folderFileStore', () => {
  let sandbox: string;
  let root: string;
  let outside: string;
  const SECRET = 'OUTSIDE THE STORE - must never be read';

  beforeEach(() => {
    sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-store-'));
    root = path.join(sandbox, 'store');
    outside = path.join(sandbox, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(sandbox, 'secret.txt'), SECRET);
    fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  });
  afterEach(() => fs.rmSync(sandbox, { recursive: true, force: true }));

  it('writes and reads back content under nested relative keys, replacing on rewrite', async () => {
    const store = folderFileStore(root);
    await store.write('2025/03/500001.txt', Buffer.from('SYNTHETIC letter to Ayşe'));
    expect((await store.read('2025/03/500001.txt')).toString('utf8')).toBe('SYNTHETIC letter to Ayşe');
    await store.write('2025/03/500001.txt', Buffer.from('second version'));
    expect((await store.read('2025/03/500001.txt')).toString('utf8')).toBe('second version');
    expect(fs.readFileSync(path.join(root, '2025', '03', '500001.txt'), 'utf8')).toBe('second version');
    // No temporary files left behind.
    expect(listing(root)).toEqual(['2025/', '2025/03/', '2025/03/500001.txt']);
  });

  it('creates its folder on first write', async () => {
    const store = folderFileStore(path.join(sandbox, 'fresh', 'store'));
    await store.write('a.txt', Buffer.from('x'));
    expect(fs.readFileSync(path.join(sandbox, 'fresh', 'store', 'a.txt'), 'utf8')).toBe('x');
  });

  it('answers RecordNotFound for content that is not there, or is a folder', async () => {
    const store = folderFileStore(root);
    await store.write('2025/03/500001.txt', Buffer.from('x'));
    await expect(store.read('2025/03/500002.txt')).rejects.toBeInstanceOf(RecordNotFound);
    await expect(store.read('2025/03')).rejects.toBeInstanceOf(RecordNotFound);
    await expect(store.read('2025/03/500001.txt/more')).rejects.toBeInstanceOf(RecordNotFound);
    await expect(folderFileStore(path.join(sandbox, 'absent')).read('a.txt')).rejects.toBeInstanceOf(RecordNotFound);
  });

  it.each(ESCAPING_KEYS)('refuses to read %j with RecordNotFound', async (key) => {
    fs.mkdirSync(path.join(root, 'a'));
    fs.writeFileSync(path.join(root, 'b.txt'), 'inside');
    const error = await folderFileStore(root).read(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordNotFound);
    expect((error as RecordNotFound).source).toBe('DMS');
  });

  it.each(ESCAPING_KEYS)('refuses to write %j with RecordNotFound, touching nothing', async (key) => {
    const before = listing(sandbox);
    await expect(folderFileStore(root).write(key, Buffer.from('planted'))).rejects.toBeInstanceOf(RecordNotFound);
    expect(listing(sandbox)).toEqual(before);
    expect(fs.readFileSync(path.join(sandbox, 'secret.txt'), 'utf8')).toBe(SECRET);
  });

  it('refuses an absolute path to a real file outside, even one the process can read', async () => {
    await expect(folderFileStore(root).read(path.join(sandbox, 'secret.txt'))).rejects.toBeInstanceOf(RecordNotFound);
  });

  it('refuses to follow a link inside the folder that points outside it', async () => {
    fs.symlinkSync(path.join(sandbox, 'secret.txt'), path.join(root, 'link.txt'));
    fs.symlinkSync(outside, path.join(root, 'elsewhere'));
    const store = folderFileStore(root);
    await expect(store.read('link.txt')).rejects.toBeInstanceOf(RecordNotFound);
    await expect(store.read('elsewhere/secret.txt')).rejects.toBeInstanceOf(RecordNotFound);

    const before = listing(outside);
    await expect(store.write('elsewhere/planted.txt', Buffer.from('x'))).rejects.toBeInstanceOf(RecordNotFound);
    await expect(store.write('elsewhere/new/planted.txt', Buffer.from('x'))).rejects.toBeInstanceOf(RecordNotFound);
    expect(listing(outside)).toEqual(before);
    // Writing to the linked name replaces the link inside the store; the file it pointed at is untouched.
    await store.write('link.txt', Buffer.from('replaced'));
    expect(fs.readFileSync(path.join(sandbox, 'secret.txt'), 'utf8')).toBe(SECRET);
    expect((await store.read('link.txt')).toString()).toBe('replaced');
  });

  it('follows links that stay inside the folder', async () => {
    const store = folderFileStore(root);
    await store.write('2025/a.txt', Buffer.from('inside'));
    fs.symlinkSync(path.join(root, '2025'), path.join(root, 'current'));
    expect((await store.read('current/a.txt')).toString()).toBe('inside');
  });

  it('resolves only plain relative keys, as text, before touching the filesystem', () => {
    expect(resolveInside('/srv/dms', '2025/03/1.txt')).toBe('/srv/dms/2025/03/1.txt');
    for (const key of ESCAPING_KEYS) expect(resolveInside('/srv/dms', key)).toBeUndefined();
    expect(resolveInside('/srv/dms', 'x'.repeat(1025))).toBeUndefined();
    expect(resolveInside('/srv/dms', undefined as unknown as string)).toBeUndefined();
  });
});
