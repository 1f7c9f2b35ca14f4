import DataLoader from 'dataloader';
import type {
  AttendanceRecord,
  BatchResult,
  ContactRecord,
  EducationStatusRecord,
  PersonRecord,
  SourceSystem,
} from '../../adapters/types';
import type { Logger } from '../logging/logger';
import type { GatewayServices } from '../server/GatewayServices';
import { callSourceBatch } from '../sources/sourceGuard';

/** Per-request DataLoaders: every resolver asks these, so a list of N people costs a fixed number of statements. */
export interface Loaders {
  iyssPerson: DataLoader<string, PersonRecord>;
  iyssAttendance: DataLoader<string, AttendanceRecord[]>;
  iyssContacts: DataLoader<string, ContactRecord[]>;
  iyssEducation: DataLoader<string, EducationStatusRecord[]>;
}

export function createLoaders(services: GatewayServices, log: Logger): Loaders {
  const { iyss } = services.sources;
  const timeoutMs = services.config.sourceTimeoutMs;
  const guarded =
    <T>(source: SourceSystem, batch: (keys: readonly string[]) => BatchResult<T>) =>
    (keys: readonly string[]) =>
      callSourceBatch(source, timeoutMs, log, keys, () => batch(keys));
  // Batches are capped so one statement's IN list stays within every engine's parameter limit.
  const options = { maxBatchSize: 1_000 };
  return {
    iyssPerson: new DataLoader(guarded('IYSS', (ids) => iyss.peopleByIds(ids)), options),
    iyssAttendance: new DataLoader(guarded('IYSS', (ids) => iyss.attendanceByPersonIds(ids)), options),
    iyssContacts: new DataLoader(guarded('IYSS', (ids) => iyss.contactsByPersonIds(ids)), options),
    iyssEducation: new DataLoader(guarded('IYSS', (ids) => iyss.educationByPersonIds(ids)), options),
  };
}
