import type { PersonRecord } from '../../adapters/types';
import type { LinkMethod } from '../persons/PersonDirectory';

/** A system's person record with how it is linked to its gateway person. */
export type LinkedPersonRecord = PersonRecord & { linkMethod: LinkMethod };
export type LinkedYoisRecord = LinkedPersonRecord & { pncNumber: string | null };
