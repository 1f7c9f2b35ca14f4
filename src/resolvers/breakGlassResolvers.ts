import { isAllocatedToAny } from '../access/allocatedUnits';
import { isActive } from '../authz/breakGlass';
import { BREAK_GLASS_TEXT_MAX } from '../authz/breakGlassStore';
import { SECURITY_OFFICER_ROLE } from '../authz/roles';
import type { GatewayContext } from '../context/GatewayContext';
import { pageSize } from './pageSize';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/errors';
import type { BreakGlassGrantResolvers, MutationResolvers, QueryResolvers } from '../generated/graphql';
import { loadVisiblePerson } from './visiblePerson';

const MIN_REASON = 20;
const MIN_NOTES = 5;

/** What the store cannot keep is refused here, by name and limit, rather than failing in SQL (SQL Server error 2628). */
function refuseLonger(name: string, text: string): void {
  if (text.length > BREAK_GLASS_TEXT_MAX) throw new BadUserInputError(`${name} is longer than ${BREAK_GLASS_TEXT_MAX} characters`, 'TOO_LONG');
}
const CORE_UNIT_LEADER = 'core_unit_leader';
const AUDITOR = 'auditor';
/** How many unreviewed grants a Core Unit leader's queue looks through before filtering to their units. */
const QUEUE_SCAN = 1_000;

const holds = (context: GatewayContext, role: string) => context.principal.roles.includes(role);

/** Whether the caller leads a Core Unit this young person is allocated to. */
async function leadsUnitOf(context: GatewayContext, personId: string): Promise<boolean> {
  return holds(context, CORE_UNIT_LEADER) && context.principal.units.length > 0 && isAllocatedToAny(context, personId, context.principal.units);
}

/** As `leadsUnitOf`, for an ID the caller gave: one they may not know of at all is simply not theirs. */
async function leadsUnitOfVisible(context: GatewayContext, personId: string): Promise<boolean> {
  if (!holds(context, CORE_UNIT_LEADER)) return false;
  const person = await loadVisiblePerson(context, personId).catch(() => null);
  return person !== null && leadsUnitOf(context, person.personId);
}

export const breakGlassQueryResolvers: Pick<QueryResolvers, 'breakGlassGrants' | 'breakGlassReviewQueue'> = {
  breakGlassGrants: async (_parent, { personId }, context) => {
    if (!holds(context, AUDITOR) && !(await leadsUnitOfVisible(context, personId))) {
      throw new ForbiddenError("Break-glass on a young person is shown to auditors and to the leader of a Core Unit they are allocated to", 'NOT_ALLOCATED_TO_YOUR_UNIT');
    }
    return context.services.breakGlass.byPerson(personId);
  },
  breakGlassReviewQueue: async (_parent, { first }, context) => {
    const size = pageSize(context, first);
    if (holds(context, SECURITY_OFFICER_ROLE)) return context.services.breakGlass.reviewQueue(size);
    if (!holds(context, CORE_UNIT_LEADER)) throw new ForbiddenError('The break-glass review queue is for security officers and Core Unit leaders', 'REVIEWERS_ONLY');
    const waiting = await context.services.breakGlass.reviewQueue(QUEUE_SCAN);
    const mine = await Promise.all(waiting.map((grant) => leadsUnitOf(context, grant.personId).catch(() => false)));
    return waiting.filter((_grant, index) => mine[index]).slice(0, size);
  },
};

export const breakGlassMutationResolvers: Pick<MutationResolvers, 'openBreakGlass' | 'reviewBreakGlass' | 'closeBreakGlass'> = {
  openBreakGlass: async (_parent, { personId, reason, minutes }, context) => {
    const { policy } = context.authz;
    const allowed = context.principal.roles.filter((role) => policy.roles.get(role)?.breakGlass);
    if (allowed.length === 0) {
      throw new ForbiddenError('None of your roles may open break-glass access under the current policy', 'BREAK_GLASS_NOT_ALLOWED');
    }
    const why = reason.trim();
    if (why.length < MIN_REASON) throw new BadUserInputError(`reason is mandatory: say why this is an emergency, in at least ${MIN_REASON} characters`, 'REASON_REQUIRED');
    refuseLonger('reason', why);
    const max = policy.document.breakGlass.maxMinutes;
    const length = minutes ?? 60;
    if (!Number.isInteger(length) || length < 1 || length > max) {
      throw new BadUserInputError(`minutes must be between 1 and ${max} (the policy's break-glass limit)`, 'BREAK_GLASS_TOO_LONG');
    }
    // Only a young person the caller may know of at all (a record in a system their clearance reaches):
    // any other ID, existing or not, is the same NOT_FOUND, so break-glass cannot enumerate children.
    const person = await loadVisiblePerson(context, personId);
    const grant = await context.services.breakGlass.open({
      personId: await context.services.identity.place(person.personId),
      holder: context.principal.sub,
      holderName: context.principal.name,
      holderRoles: [...context.principal.roles],
      reason: why,
      minutes: length,
    });
    context.log.warn({ grantId: grant.grantId, personId: grant.personId, expiresAt: grant.expiresAt }, 'break-glass opened');
    return grant;
  },
  reviewBreakGlass: async (_parent, { grantId, outcome, notes }, context) => {
    const grant = await context.services.breakGlass.get(grantId);
    if (!grant) throw new NotFoundError('No break-glass grant has that ID');
    const reviewer = holds(context, SECURITY_OFFICER_ROLE) || (await leadsUnitOf(context, grant.personId));
    if (!reviewer) {
      throw new ForbiddenError("Break-glass is reviewed by security officers and by the leader of a Core Unit the young person is allocated to", 'REVIEWERS_ONLY');
    }
    if (grant.holder === context.principal.sub) throw new ForbiddenError('Nobody reviews their own break-glass grant', 'OWN_GRANT');
    const why = notes.trim();
    if (why.length < MIN_NOTES) throw new BadUserInputError(`notes must say why, in at least ${MIN_NOTES} characters`, 'REASON_REQUIRED');
    refuseLonger('notes', why);
    const recorded = await context.services.breakGlass.review(grantId, { reviewedBy: context.principal.sub, reviewerName: context.principal.name, outcome, notes: why });
    if (!recorded) throw new BadUserInputError('This grant has already been reviewed', 'ALREADY_REVIEWED');
    const reviewed = (await context.services.breakGlass.get(grantId))!;
    if (outcome === 'NOT_JUSTIFIED') context.log.warn({ grantId, personId: grant.personId }, 'break-glass judged not justified: ended');
    return reviewed;
  },
  closeBreakGlass: async (_parent, { grantId, reason }, context) => {
    const grant = await context.services.breakGlass.get(grantId);
    const holder = grant?.holder === context.principal.sub;
    const officer = holds(context, SECURITY_OFFICER_ROLE);
    // Someone else's grant answers exactly like no grant, so grant IDs cannot be probed.
    if (!grant || (!holder && !officer)) throw new NotFoundError('No break-glass grant you may close has that ID: only its holder or a security officer closes one');
    const why = reason.trim();
    if (why.length < MIN_NOTES) throw new BadUserInputError(`reason must say why, in at least ${MIN_NOTES} characters`, 'REASON_REQUIRED');
    refuseLonger('reason', why);
    if (!isActive(grant, context.services.clock.now())) throw new BadUserInputError('This grant has already ended (expired or closed)', 'ALREADY_ENDED');
    const closed = await context.services.breakGlass.close(grantId, {
      closedBy: context.principal.sub,
      closerName: context.principal.name,
      cause: holder ? 'CLOSED_BY_HOLDER' : 'CLOSED_BY_SECURITY_OFFICER',
      reason: why,
    });
    if (!closed) throw new BadUserInputError('This grant has already ended (expired or closed)', 'ALREADY_ENDED');
    context.log.warn({ grantId, personId: grant.personId }, 'break-glass closed early');
    return (await context.services.breakGlass.get(grantId))!;
  },
};

export const breakGlassGrantResolvers: BreakGlassGrantResolvers = {
  id: (parent) => parent.grantId,
  active: (parent, _args, context) => isActive(parent, context.services.clock.now()),
};
