import type { GraphQLSchema } from 'graphql';
import { isAllocatedToAny } from '../access/allocatedUnits';
import type { StoredAuditEvent } from '../audit/AuditEvent';
import { tierOf } from '../audit/fieldSensitivity';
import type { GatewayContext } from '../context/GatewayContext';
import { pageSize } from './pageSize';
import { BadUserInputError, ForbiddenError } from '../errors/errors';
import type { PersonAccess, QueryResolvers } from '../generated/graphql';
import { encodePersonId } from '../ids/personId';
import { loadVisiblePerson } from './visiblePerson';

const AUDITOR = 'auditor';
const CORE_UNIT_LEADER = 'core_unit_leader';

const isAuditor = (context: GatewayContext) => context.principal.roles.includes(AUDITOR);

/**
 * The policy grants the audit queries to auditors; this check stays as a second lock, so a policy
 * mistake cannot open the trail to anyone else.
 */
function requireAuditor(context: GatewayContext): void {
  if (!isAuditor(context)) throw new ForbiddenError('Only auditors may read the audit trail', 'AUDITOR_ONLY');
}


const encodeCursor = (seq: number) => Buffer.from(`audit:${seq}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^audit:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadUserInputError('after is not a cursor from this audit trail', 'BAD_CURSOR');
  return Number(match[1]);
}

/** Whether the caller leads a Core Unit this young person is currently allocated to, in UMIS or YOIS. */
async function leadsUnitOf(context: GatewayContext, personId: string): Promise<boolean> {
  if (!context.principal.roles.includes(CORE_UNIT_LEADER) || context.principal.units.length === 0) return false;
  // An ID the leader may not know of at all (unknown, or only in systems above their clearance) is not theirs either.
  const person = await loadVisiblePerson(context, personId).catch(() => null);
  return person !== null && person.personId === personId && isAllocatedToAny(context, personId, context.principal.units);
}

function accessOf(event: StoredAuditEvent, personId: string, schema: GraphQLSchema, maxTier: number): PersonAccess {
  const entry = event.people.find((p) => p.personId === personId);
  const returned = entry?.returned ?? [];
  const shown = returned.filter((coordinate) => tierOf(schema, coordinate) <= maxTier);
  return {
    personId,
    at: event.at,
    sub: event.principal.sub,
    roles: event.principal.roles,
    purpose: event.purpose,
    breakGlass: Boolean(entry?.breakGlassId),
    returned: shown,
    returnedAboveYourClearance: returned.length - shown.length,
    denied: entry?.denied ?? [],
    outcome: event.outcome,
  };
}

export const auditQueryResolvers: Pick<QueryResolvers, 'auditTrail' | 'auditChainStatus' | 'personAccessHistory'> = {
  auditTrail: async (_parent, { personId, sub, from, to, breakGlassId, first, after }, context) => {
    requireAuditor(context);
    const size = pageSize(context, first);
    const page = await context.services.audit.query(
      { personId, sub, from, to, breakGlassId },
      { first: size, beforeSeq: after ? decodeCursor(after) : null },
    );
    const edges = page.events.map((node) => ({ cursor: encodeCursor(node.seq), node }));
    return { edges, totalCount: page.totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  },

  auditChainStatus: (_parent, _args, context) => {
    requireAuditor(context);
    return context.services.audit.verify();
  },

  personAccessHistory: async (_parent, { personId, from, to, first }, context, info) => {
    const auditor = isAuditor(context);
    if (!auditor && !(await leadsUnitOf(context, personId))) {
      throw new ForbiddenError(
        "A young person's access history is for auditors and for the leader of a Core Unit they are allocated to",
        'NOT_ALLOCATED_TO_YOUR_UNIT',
      );
    }
    const size = pageSize(context, first);
    // A record read before any match run placed it was audited under its reference (`yp:SYSTEM:id`, a
    // provisional person): those accesses are this person's too, so each reference is asked as well.
    const person = await context.loaders.person.load(personId).catch(() => null);
    const subjects = [...new Set([personId, ...(person?.records ?? []).map((r) => encodePersonId({ source: r.system, sourceId: r.sourceId }))])];
    const pages = await Promise.all(subjects.map((subject) => context.services.audit.query({ personId: subject, from, to }, { first: size })));
    const seen = new Set<number>();
    const events = pages
      .flatMap((page, index) => page.events.map((event) => ({ event, subject: subjects[index]! })))
      .sort((a, b) => b.event.seq - a.event.seq)
      .filter(({ event }) => !seen.has(event.seq) && seen.add(event.seq))
      .slice(0, size);
    // An auditor sees every coordinate; a Core Unit leader only those at or below their clearance.
    const maxTier = auditor ? Number.POSITIVE_INFINITY : context.principal.tier;
    return events.map(({ event, subject }) => ({ ...accessOf(event, subject, info.schema, maxTier), personId }));
  },
};
