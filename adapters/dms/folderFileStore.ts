import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { RecordNotFound, SourceFailure, type FileStore } from '../types';

/**
 * The embedded default file store: document content as files under one folder, keyed by relative
 * path (`2025/03/500123.txt`). Content keys come from database rows a caller may have tampered with,
 * so a key that could reach outside the folder (`..`, an absolute path, a NUL byte, a backslash, a
 * symbolic link pointing out) is refused as RecordNotFound and nothing outside the folder is read
 * or written.
 */
export function folderFileStore(folder: string): FileStore {
  const root = path.resolve(folder);

  return {
    async read(contentKey) {
      const target = resolveInside(root, contentKey);
      if (target === undefined) throw new RecordNotFound('DMS', contentKey);
      try {
        const realRoot = await fs.realpath(root);
        const realTarget = await fs.realpath(target);
        if (!isInside(realRoot, realTarget)) throw new RecordNotFound('DMS', contentKey);
        // O_NOFOLLOW: a link swapped in after the check above is refused rather than followed.
        const handle = await fs.open(realTarget, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          return await handle.readFile();
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw asStoreError(error, contentKey, 'read');
      }
    },

    async write(contentKey, content) {
      const target = resolveInside(root, contentKey);
      if (target === undefined) throw new RecordNotFound('DMS', contentKey);
      try {
        await fs.mkdir(root, { recursive: true });
        const realRoot = await fs.realpath(root);
        const directory = await makeDirectoriesInside(realRoot, path.relative(root, path.dirname(target)), contentKey);
        const finalPath = path.join(directory, path.basename(target));
        // Write then rename, so a reader never sees half a document; rename replaces a link, never follows it.
        const temporary = path.join(directory, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
        await fs.writeFile(temporary, content, { flag: 'wx' });
        try {
          await fs.rename(temporary, finalPath);
        } catch (error) {
          await fs.rm(temporary, { force: true });
          throw error;
        }
      } catch (error) {
        throw asStoreError(error, contentKey, 'write');
      }
    },
  };
}

/**
 * The absolute path a content key names under `root`, or undefined when the key is not a plain
 * relative path: empty, absolute, with a drive letter, a backslash, a NUL byte, or an empty, `.` or
 * `..` segment. Keys are checked as text before any filesystem call.
 */
export function resolveInside(root: string, contentKey: string): string | undefined {
  if (typeof contentKey !== 'string' || contentKey.length === 0 || contentKey.length > 1024) return undefined;
  if (/[\0\\]/.test(contentKey) || contentKey.startsWith('/') || /^[A-Za-z]:/.test(contentKey)) return undefined;
  const segments = contentKey.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  const resolved = path.resolve(root, ...segments);
  return isInside(root, resolved) ? resolved : undefined;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Creates the key's folders one level at a time under the real root, refusing any existing level
 * that leads outside it (a link to elsewhere), so not even an empty folder is made outside.
 * Returns the real path of the innermost folder.
 */
async function makeDirectoriesInside(realRoot: string, relativeDirectory: string, contentKey: string): Promise<string> {
  let current = realRoot;
  for (const segment of relativeDirectory === '' ? [] : relativeDirectory.split(path.sep)) {
    const next = path.join(current, segment);
    try {
      await fs.mkdir(next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const real = await fs.realpath(next);
    if (real !== realRoot && !isInside(realRoot, real)) throw new RecordNotFound('DMS', contentKey);
    if (!(await fs.stat(real)).isDirectory()) throw new RecordNotFound('DMS', contentKey);
    current = real;
  }
  return current;
}

/** Missing content is RecordNotFound; anything else is the store failing, described without the path. */
function asStoreError(error: unknown, contentKey: string, operation: 'read' | 'write'): Error {
  if (error instanceof RecordNotFound || error instanceof SourceFailure) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ELOOP') {
    return new RecordNotFound('DMS', contentKey);
  }
  return new SourceFailure('DMS', `file store ${operation} failed (${code ?? 'unknown error'})`, { cause: error });
}
