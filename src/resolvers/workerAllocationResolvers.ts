import { isAllocatedToAny } from '../access/allocatedUnits';
import { WORKER_ALLOCATION_TEXT_MAX, WORKER_NAME_MAX, WORKER_SUB_MAX } from '../access/workerAllocationStore';
import { dayOf, isInForce } from '../access/workerAllocations';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/errors';
import type { MutationResolvers, WorkerAllocationResolvers, YoungPersonResolvers } from '../generated/graphql';
import { loadVisiblePerson, personNotFound } from './visiblePerson';

const CORE_UNIT_LEADER = 'core_unit_leader';
const MIN_REASON = 10;
const MIN_END_REASON = 5;
/** The longest allocation: it is renewed by a new one, so someone looks again at least once a year. */
export const WORKER_ALLOCATION_MAX_DAYS = 365;
/** The length of an allocation given no end date: as long as a referral hand-off's need to know lasts. */
export const WORKER_ALLOCATION_DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;

/** Trimmed text, refused (by name and limit) when empty, too short or longer than the store keeps. */
function text(name: string, value: string, min: number, max: number, reason: string): string {
  const trimmed = value.trim();
  if (trimmed.length < min) throw new BadUserInputError(`${name} is mandatory: at least ${min} character${min === 1 ? '' : 's'}`, reason);
  if (trimmed.length > max) throw new BadUserInputError(`${name} is longer than ${max} characters`, 'TOO_LONG');
  return trimmed;
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Whether the caller leads a Core Unit the young person is allocated to (UMIS, YOIS or an acknowledged
 * hand-off). An allocation by name does not count: a worker allocated to a child cannot pass them on.
 */
async function leadsUnitOf(context: GatewayContext, personId: string): Promise<boolean> {
  const { principal } = context;
  return principal.roles.includes(CORE_UNIT_LEADER) && principal.units.length > 0 && isAllocatedToAny(context, personId, principal.units);
}

export const workerAllocationMutationResolvers: Pick<MutationResolvers, 'allocateWorker' | 'endWorkerAllocation'> = {
  allocateWorker: async (_parent, { personId, allocation }, context) => {
    const coordinate = 'Mutation.allocateWorker';
    // What does not depend on the young person is judged first, so it answers the same for every ID.
    const worker = text('allocation.worker', allocation.worker, 1, WORKER_SUB_MAX, 'WORKER_REQUIRED');
    const workerName = text('allocation.workerName', allocation.workerName, 1, WORKER_NAME_MAX, 'WORKER_REQUIRED');
    const reason = text('allocation.reason', allocation.reason, MIN_REASON, WORKER_ALLOCATION_TEXT_MAX, 'REASON_REQUIRED');
    if (worker === context.principal.sub) throw new ForbiddenError('Nobody allocates themselves to a young person: another Core Unit leader does', 'OWN_ALLOCATION');
    const today = dayOf(context.services.clock.now());
    const startsOn = allocation.startsOn ?? today;
    if (startsOn < today) throw new BadUserInputError(`allocation.startsOn ${startsOn} is in the past (today is ${today})`, 'START_IN_PAST');
    const endsOn = allocation.endsOn ?? addDays(startsOn, WORKER_ALLOCATION_DEFAULT_DAYS);
    if (endsOn < startsOn) throw new BadUserInputError(`allocation.endsOn ${endsOn} is before startsOn ${startsOn}`, 'END_BEFORE_START');
    const latest = addDays(startsOn, WORKER_ALLOCATION_MAX_DAYS);
    if (endsOn > latest) {
      throw new BadUserInputError(`allocation.endsOn is at most ${WORKER_ALLOCATION_MAX_DAYS} days after startsOn (${latest}); renew with a new allocation`, 'ALLOCATION_TOO_LONG');
    }
    // Only a young person the caller may know of and whose Core Unit they lead: any other ID, existing
    // or not, is the same NOT_FOUND, so allocation cannot be used to find or probe children.
    const person = await loadVisiblePerson(context, personId);
    if (!(await leadsUnitOf(context, person.personId))) {
      if (person.personId.startsWith('P-')) context.involved.push({ personId: person.personId, coordinate, refused: true });
      throw personNotFound();
    }
    const placed = await context.services.identity.place(person.personId);
    const [existing = []] = await context.services.workerAllocations.byPersonIds([placed]);
    const overlapping = existing.find((a) => a.worker === worker && a.ended === null && a.endsOn >= today && a.startsOn <= endsOn && startsOn <= a.endsOn);
    if (overlapping) {
      throw new BadUserInputError(`${worker} is already allocated to this young person from ${overlapping.startsOn} to ${overlapping.endsOn} (${overlapping.allocationId})`, 'ALREADY_ALLOCATED');
    }
    const recorded = await context.services.workerAllocations.allocate({
      personId: placed,
      worker,
      workerName,
      startsOn,
      endsOn,
      reason,
      allocatedBy: context.principal.sub,
      allocatorName: context.principal.name,
    });
    context.involved.push({ personId: placed, coordinate, refused: false });
    context.log.info({ allocationId: recorded.allocationId, personId: placed, worker, startsOn, endsOn: recorded.endsOn }, 'worker allocated across services');
    return recorded;
  },

  endWorkerAllocation: async (_parent, { allocationId, reason }, context) => {
    const coordinate = 'Mutation.endWorkerAllocation';
    const why = text('reason', reason, MIN_END_REASON, WORKER_ALLOCATION_TEXT_MAX, 'REASON_REQUIRED');
    const found = await context.services.workerAllocations.get(allocationId);
    const isLeader = context.principal.roles.includes(CORE_UNIT_LEADER);
    // Someone else's allocation answers exactly like none, so allocation IDs cannot be probed.
    const mayEnd = found !== null && isLeader && (found.allocatedBy === context.principal.sub || (await leadsUnitOf(context, found.personId)));
    if (!found || !mayEnd) {
      throw new NotFoundError('No worker allocation you may end has that ID: the Core Unit leader who made it, or a leader of the young person\u2019s Core Unit, ends one');
    }
    const now = context.services.clock.now();
    if (found.ended !== null || found.endsOn < dayOf(now)) throw new BadUserInputError('This allocation has already ended', 'ALREADY_ENDED');
    if (!(await context.services.workerAllocations.end(allocationId, { endedBy: context.principal.sub, enderName: context.principal.name, reason: why }))) {
      throw new BadUserInputError('This allocation has already ended', 'ALREADY_ENDED');
    }
    context.involved.push({ personId: found.personId, coordinate, refused: false });
    context.log.info({ allocationId, personId: found.personId }, 'worker allocation ended');
    return (await context.services.workerAllocations.get(allocationId))!;
  },
};

export const youngPersonWorkerAllocationResolvers: Pick<YoungPersonResolvers, 'workerAllocations'> = {
  workerAllocations: (parent, _args, context) => context.loaders.workerAllocations.load(parent.personId),
};

export const workerAllocationResolvers: WorkerAllocationResolvers = {
  id: (parent) => parent.allocationId,
  inForce: (parent, _args, context) => isInForce(parent, context.services.clock.now()),
};
