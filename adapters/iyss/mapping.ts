import type {
  AttendanceStatus,
  EducationStatusCategory,
  Gender,
} from '../types';

/** IYSS `Sex` codes. Anything unrecognised is treated as not stated rather than guessed. */
export function genderFromSex(code: string | null): Gender {
  switch (code?.trim().toUpperCase()) {
    case 'F':
      return 'FEMALE';
    case 'M':
      return 'MALE';
    case 'O':
      return 'OTHER';
    default:
      return 'NOT_STATED';
  }
}

const ATTENDANCE: Record<string, AttendanceStatus> = { P: 'PRESENT', L: 'LATE', A: 'ABSENT', E: 'EXCUSED' };

export function attendanceFromCode(code: string): AttendanceStatus {
  return ATTENDANCE[code.trim().toUpperCase()] ?? 'ABSENT';
}

/** CCIS activity codes group by their first digit; IYSS never stored the category itself. */
export function categoryFromNeetCode(code: string, isNeet: number | null): EducationStatusCategory {
  if (isNeet === 1) return 'NEET';
  switch (code.trim().charAt(0)) {
    case '1':
      return 'EDUCATION';
    case '2':
      return 'TRAINING';
    case '3':
      return 'EMPLOYMENT';
    case '5':
    case '6':
      return 'NEET';
    default:
      return 'NOT_KNOWN';
  }
}

/** IYSS writes dates of birth as `YYYY-MM-DD` (web form) or `DD/MM/YYYY` (old import). Returns ISO or null. */
export function isoDateFromLegacyText(value: string | null): string | null {
  if (!value) return null;
  const text = value.trim();
  let iso: string | undefined;
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (isoMatch) iso = `${isoMatch[1]}-${isoMatch[2]}-${isoMatch[3]}`;
  const ukMatch = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (ukMatch) iso = `${ukMatch[3]}-${ukMatch[2]}-${ukMatch[1]}`;
  if (!iso) return null;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** The legacy text forms an ISO date may be stored under, for matching in SQL. */
export function legacyTextFormsOf(iso: string): string[] {
  const [year, month, day] = iso.split('-');
  return [iso, `${day}/${month}/${year}`];
}

/** DATETIME values arrive as `YYYY-MM-DD HH:MM:SS` text (SQLite, mysql2 dateStrings) or as Date (SQL Server). */
export function isoDateTime(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const normalised = value.trim().replace(' ', 'T');
  const parsed = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(normalised) ? normalised : `${normalised}Z`);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}

/** Postcodes are free text in IYSS; present them in standard `OUT IN` form. */
export function standardPostcode(value: string | null): string | null {
  if (!value) return null;
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (compact.length < 5) return compact || null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
