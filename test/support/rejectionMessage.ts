/**
 * The message a promise rejects with, or `(resolved)`. Use instead of `.rejects.toThrow` for errors
 * from better-sqlite3: jest shares the native addon across test files, so after the first file its
 * SqliteError comes from another module registry, is not an `Error` to jest, and `toThrow` reports
 * "did not throw" although the statement was refused.
 */
export async function rejectionMessage(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
    return '(resolved)';
  } catch (error) {
    return String((error as { message?: unknown } | null)?.message ?? error);
  }
}
