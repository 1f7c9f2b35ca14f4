/** A position in a ranked result list: the score and ID of the last item seen. */
export interface RankCursor {
  score: number;
  id: string;
}

export function encodeCursor(cursor: RankCursor): string {
  return Buffer.from(JSON.stringify([cursor.score, cursor.id]), 'utf8').toString('base64url');
}

/** Undefined when the text is not a cursor this gateway issued. */
export function decodeCursor(text: string): RankCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return { score: value[0], id: value[1] };
    }
  } catch {
    // fall through: not a cursor
  }
  return undefined;
}

/** True when `item` comes after `cursor` in best-first order (score descending, then ID ascending). */
export function isAfter(item: RankCursor, cursor: RankCursor): boolean {
  return item.score < cursor.score || (item.score === cursor.score && item.id > cursor.id);
}
