import type { GraphQLError } from 'graphql';
import type { Allocations } from '../access/allocatedUnits';
import type { Principal } from '../auth/Principal';
import { ForbiddenError } from '../errors/errors';
import type { CompiledPolicy } from './compilePolicy';
import { decideField, effectiveTier, type FieldDecision } from './decideField';
import { SYSTEM_TIER, type PersonSystem } from '../access/systemVisibility';

/** The purpose a request states, in the `X-Purpose` header (README "Purposes"). */
export const PURPOSE_HEADER = 'x-purpose';
const MAX_PURPOSE_LENGTH = 64;

export interface NeedToKnowSources {
  /** Core Units the young person is currently allocated to (UMIS and YOIS), and a source that could not say. */
  allocations(personId: string): Promise<Allocations>;
  /** The caller's active break-glass grants: person ID -> grant ID. Read at most once per request. */
  activeBreakGlass(): Promise<ReadonlyMap<string, string>>;
  /**
   * The young people the caller is allocated to by name, across services, today: person ID -> worker
   * allocation ID (src/access/workerAllocations.ts). Read at most once per request.
   */
  workerAllocations(): Promise<ReadonlyMap<string, string>>;
}

/** Authorization state for one request: the policy version in force, the stated purpose, and memoized decisions. */
export interface RequestAuthorization {
  readonly policy: CompiledPolicy;
  readonly principal: Principal;
  /** The purpose as stated (recorded in the audit even when the policy does not allow it), or null. */
  readonly purpose: string | null;
  /** The highest tier the caller reaches through their roles (token clearance capped by each role's maxTier). */
  readonly tier: number;
  /** Whether the caller may learn if `system` holds a record of a person (else WITHHELD). */
  seesInvolvement(system: PersonSystem): boolean;
  /** True, or the error to put in the response (FORBIDDEN, or SOURCE_UNAVAILABLE when an allocation could not be read). */
  check(coordinate: string, parent: unknown): Promise<true | GraphQLError>;
  /**
   * `check`, answered synchronously whenever the answer is already known (role and tier decided for this
   * request, the person's allocation already read): a promise only while an allocation is being read.
   */
  checkNow(coordinate: string, parent: unknown): true | GraphQLError | Promise<true | GraphQLError>;
  /** Role-and-tier decision for a field, decided once per request. */
  decide(coordinate: string): FieldDecision;
  /** The break-glass grant through which this person's detail was reached in this request, if any. */
  breakGlassIdFor(personId: string): string | null;
  /** Whether the caller may see tier 2+ detail about this person (unit or worker allocation, or break-glass). */
  mayKnowDetail(personId: string): Promise<true | GraphQLError>;
  /** How often rules asked (`checks`) against how often a role-and-tier decision was actually made (`decisions`). */
  readonly stats: { checks: number; decisions: number };
}

function personIdOf(parent: unknown): string | null {
  const id = (parent as { personId?: unknown } | null)?.personId;
  return typeof id === 'string' && id ? id : null;
}

export function createRequestAuthorization(
  policy: CompiledPolicy,
  principal: Principal,
  statedPurpose: string | undefined,
  sources: NeedToKnowSources,
): RequestAuthorization {
  const purpose = statedPurpose?.trim() ? statedPurpose.trim().slice(0, MAX_PURPOSE_LENGTH) : null;
  const tier = effectiveTier(policy, principal);
  const involvementByRole = principal.roles.some((role) => policy.roles.get(role)?.seesInvolvement);
  const decisions = new Map<string, FieldDecision>();
  const detail = new Map<string, Promise<true | GraphQLError>>();
  const usedBreakGlass = new Map<string, string>();
  let breakGlass: Promise<ReadonlyMap<string, string>> | undefined;
  let workers: Promise<ReadonlyMap<string, string>> | undefined;
  const stats = { checks: 0, decisions: 0 };

  // Role and tier are decided once per field per request, however many items a list has.
  const decide = (coordinate: string): FieldDecision => {
    let decision = decisions.get(coordinate);
    if (!decision) {
      decisions.set(coordinate, (decision = decideField(policy, principal, coordinate)));
      stats.decisions += 1;
    }
    return decision;
  };

  const purposeProblem = (decision: Extract<FieldDecision, { allowed: true }>, coordinate: string): GraphQLError | null => {
    const allowed = [...decision.purposes].sort().join(', ') || 'none';
    if (!purpose) {
      return new ForbiddenError(`${coordinate} is tier 2+ data: state your purpose in the X-Purpose header (allowed for your roles: ${allowed})`, 'PURPOSE_REQUIRED');
    }
    if (!decision.purposes.has(purpose)) {
      return new ForbiddenError(`The purpose "${purpose}" is not allowed for your roles on ${coordinate}; allowed: ${allowed}`, 'PURPOSE_NOT_ALLOWED');
    }
    return null;
  };

  // The refusal reads the same for every person, so one error object serves the request: a list of 1,000
  // children the caller is not allocated to builds (and formats the stack of) one error, not 1,000.
  let notAllocatedError: GraphQLError | undefined;
  const notAllocated = () =>
    (notAllocatedError ??= new ForbiddenError(
      'Detail above tier 1 needs the young person to be allocated to one of your Core Units or to you by name; in an emergency, open break-glass access with a reason (openBreakGlass)',
      'NOT_ALLOCATED',
    ));

  // Need-to-know answers already settled, so later fields of the same person are judged without a promise.
  const settled = new Map<string, true | GraphQLError>();
  const mayKnowDetail = (personId: string): Promise<true | GraphQLError> => {
    let known = detail.get(personId);
    if (!known) {
      known = (async () => {
        const allocations = await sources.allocations(personId);
        if (principal.units.some((unit) => allocations.units.has(unit))) return true;
        // The worker who stays with the young person knows them wherever their case is held (before
        // break-glass, so a read the allocation covers is not recorded as an emergency one).
        workers ??= sources.workerAllocations();
        if ((await workers).has(personId)) return true;
        breakGlass ??= sources.activeBreakGlass();
        const grantId = (await breakGlass).get(personId);
        if (grantId) {
          usedBreakGlass.set(personId, grantId);
          return true;
        }
        // Not allocated as far as the readable systems say; one that could not be read might say otherwise.
        if (allocations.unreadable) return allocations.unreadable;
        return notAllocated();
      })()
        .catch((error: unknown) => error as GraphQLError)
        .then((answer) => {
          settled.set(personId, answer);
          return answer;
        });
      detail.set(personId, known);
    }
    return known;
  };

  const mayKnowDetailNow = (personId: string): true | GraphQLError | Promise<true | GraphQLError> => settled.get(personId) ?? mayKnowDetail(personId);

  // A refusal that does not depend on the item reads the same for every item: one error per field per request.
  const refusals = new Map<string, GraphQLError | null>();
  const refusalOf = (coordinate: string, decision: FieldDecision): GraphQLError | null => {
    let refusal = refusals.get(coordinate);
    if (refusal === undefined) {
      if (!decision.allowed) refusal = new ForbiddenError(decision.message, decision.reason);
      else if (decision.needsPurpose && decision.gate !== 'CLASSIFIED') refusal = purposeProblem(decision, coordinate);
      else refusal = null;
      refusals.set(coordinate, refusal);
    }
    return refusal;
  };

  const checkNow = (coordinate: string, parent: unknown): true | GraphQLError | Promise<true | GraphQLError> => {
    stats.checks += 1;
    const decision = decide(coordinate);
    const refusal = refusalOf(coordinate, decision);
    if (refusal) return refusal;
    if (!decision.allowed) return true; // unreachable: a refused decision always has a refusal
    if (decision.gate === 'CLASSIFIED') {
      const facts = policy.fields.get(coordinate)!;
      // An item without a readable classification is treated as the most secure tier.
      const stated = Number((parent as Record<string, unknown> | null)?.[facts.classifiedBy!]);
      const objectTier = Number.isInteger(stated) && stated >= 0 && stated <= 3 ? stated : 3;
      if (objectTier > decision.reach) {
        return new ForbiddenError(`This item is classified tier ${objectTier}; your roles reach tier ${decision.reach}`, 'CLASSIFIED_ABOVE_CLEARANCE');
      }
      if (objectTier < 2) return true;
      const problem = purposeProblem(decision, coordinate);
      if (problem) return problem;
      const personId = personIdOf(parent);
      return personId ? mayKnowDetailNow(personId) : new ForbiddenError('This item belongs to no young person you may see', 'NOT_ALLOCATED');
    }
    if (decision.gate === 'PERSON') {
      // A value its parent already holds as null shows nothing about the person (a review item's record
      // has a field per system, and those of the other systems are null whoever asks).
      if ((parent as Record<string, unknown> | null)?.[policy.fields.get(coordinate)!.fieldName] === null) return true;
      const personId = personIdOf(parent);
      return personId ? mayKnowDetailNow(personId) : new ForbiddenError('This detail belongs to no young person you may see', 'NOT_ALLOCATED');
    }
    return true;
  };

  return {
    policy,
    principal,
    purpose,
    tier,
    stats,
    decide,
    mayKnowDetail,
    seesInvolvement: (system) => SYSTEM_TIER[system] <= tier || involvementByRole,
    breakGlassIdFor: (personId) => usedBreakGlass.get(personId) ?? null,
    checkNow,
    check: async (coordinate, parent) => checkNow(coordinate, parent),
  };
}
