import { InvalidFieldError } from '../errors/errors';

/**
 * Checks on a write's input that need no source: each failure is BAD_USER_INPUT naming the field
 * (`extensions.field`) with a reason a client can act on, raised before anything is written.
 */

/** Free text: trimmed, null when empty, refused over `max` characters. */
export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > max) throw new InvalidFieldError(field, `${field} is ${text.length} characters long; at most ${max} are kept`, 'TOO_LONG');
  return text || null;
}

export function requiredText(field: string, value: string, max: number): string {
  const text = optionalText(field, value, max);
  if (!text) throw new InvalidFieldError(field, `${field} must not be empty`, 'REQUIRED');
  return text;
}

/** A past (or present) instant as ISO; the future is refused: nothing has happened there yet. */
export function pastInstant(field: string, value: Date | string, now: Date): string {
  const at = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidFieldError(field, `${field} is not a date-time`);
  if (at.getTime() > now.getTime() + 60_000) throw new InvalidFieldError(field, `${field} is in the future: record what has happened`, 'FUTURE_DATE');
  return at.toISOString();
}

/** An ISO calendar date on or before today (UTC). */
export function pastDate(field: string, value: string, now: Date): string {
  const date = calendarDate(field, value);
  if (date > now.toISOString().slice(0, 10)) throw new InvalidFieldError(field, `${field} ${date} is in the future: record what has happened`, 'FUTURE_DATE');
  return date;
}

export function calendarDate(field: string, value: string): string {
  const text = String(value).slice(0, 10);
  const parsed = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    throw new InvalidFieldError(field, `${field} is not a date (YYYY-MM-DD)`);
  }
  return text;
}

export function intInRange(field: string, value: number | null | undefined, min: number, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidFieldError(field, `${field} must be a whole number from ${min} to ${max}`, 'OUT_OF_RANGE');
  return value;
}

/** An idempotency key: the caller's own, unique per write (a UUID is ideal). */
export function idempotencyKey(value: string): string {
  const key = value.trim();
  if (key.length < 8 || key.length > 128 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new InvalidFieldError('idempotencyKey', 'idempotencyKey must be 8-128 visible ASCII characters, unique per write (a UUID is ideal)', 'BAD_IDEMPOTENCY_KEY');
  }
  return key;
}
