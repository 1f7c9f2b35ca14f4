import { SYSTEM_TIER, type PersonSystem } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode, hasErrorCode } from '../errors/ErrorCode';
import { BadUserInputError, NotFoundError } from '../errors/errors';
import type { LinkedRecord, PersonView } from '../persons/PersonDirectory';
import { loadVisiblePerson } from '../resolvers/visiblePerson';

/**
 * The one answer a write gives for any target the caller may not write to: an unknown ID, a child
 * they may not know of (only in systems above their clearance), a child whose tier-2/3 record they
 * have no need to know, a plan, order or appointment that is not that child's. One message and code
 * for all, so no refusal says whether a child or record exists.
 */
export const WRITE_TARGET_NOT_FOUND = 'No young person or record that you may write to has that reference';

export const writeTargetNotFound = (): NotFoundError => new NotFoundError(WRITE_TARGET_NOT_FOUND);


/** A young person a write may go to, and their record in the system that owns the kind of record written. */
export interface WriteTarget {
  person: PersonView;
  record: LinkedRecord;
}

/**
 * The person as `youngPerson` would show them to this caller and, for a tier-2/3 system, with need to
 * know (allocation to one of the caller's Core Units, an acknowledged hand-off, or their break-glass),
 * exactly as reading that system's detail needs. Anything else is WRITE_TARGET_NOT_FOUND.
 */
export async function visibleWriteTarget(context: GatewayContext, coordinate: string, personId: string, tier: number): Promise<PersonView> {
  const person = await loadVisiblePerson(context, personId).catch((error: unknown) => {
    throw hasErrorCode(error, ErrorCode.NOT_FOUND) ? writeTargetNotFound() : error;
  });
  if (tier >= 2) {
    const known = await context.authz.mayKnowDetail(person.personId);
    if (known !== true) {
      if (hasErrorCode(known, ErrorCode.SOURCE_UNAVAILABLE)) throw known;
      // The caller could see this child (tier 1): the refused attempt is audited against them.
      if (person.personId.startsWith('P-')) context.involved.push({ personId: person.personId, coordinate, refused: true });
      throw writeTargetNotFound();
    }
  }
  return person;
}

/**
 * The target of a write to `system`: the visible person (see `visibleWriteTarget`) and their record
 * there. A person the caller may write for but who has no record in that system yet is told so
 * (BAD_USER_INPUT, NOT_IN_SYSTEM): the caller may see every system the write needs, so this names nothing new.
 */
export async function writeTarget(context: GatewayContext, coordinate: string, personId: string, system: PersonSystem): Promise<WriteTarget> {
  const person = await visibleWriteTarget(context, coordinate, personId, SYSTEM_TIER[system]);
  const records = person.records.filter((record) => record.system === system);
  // Confirmed links first: with duplicates in one system, the record a person vouched for.
  const record = records.find((r) => r.method === 'CONFIRMED') ?? records[0];
  if (!record) {
    throw new BadUserInputError(`This young person has no ${system} record yet: register them in ${system} first (registerYoungPerson)`, 'NOT_IN_SYSTEM');
  }
  return { person, record };
}
