import { RecordNotFound, SourceFailure } from '../../adapters/types';
import { SYSTEM_TIER } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode, hasErrorCode } from '../errors/ErrorCode';
import { BadUserInputError, NotFoundError, SourceUnavailableError } from '../errors/errors';
import type { IdentityLink, MatchExplanation as MatchExplanationType, MutationResolvers, QueryResolvers, ResolversTypes } from '../generated/graphql';
import type { MatchExplanation } from '../identity/model/matchModel';
import { personLoader } from '../persons/involvement';
import { IdentityChangeRefused, type RecordRef, type ReviewItemView } from '../persons/PersonDirectory';
import { guardLinkChange, knowsAll } from './identityChangeGuard';
import { pageSize } from './pageSize';
import type { LinkedPersonRecord, LinkedYoisRecord } from './recordTypes';
import { loadVisiblePerson } from './visiblePerson';

/**
 * The one answer for a review item the caller may not resolve, whatever the reason (no such item, a
 * record above their clearance, no need to know a person concerned, a record gone from its system).
 */
export const REVIEW_ITEM_NOT_FOUND = 'No review item that you may resolve has that ID';

const MIN_REASON = 5;

export function explanationView(explanation: MatchExplanation): MatchExplanationType {
  return {
    modelVersion: explanation.modelVersion,
    method: explanation.method,
    rule: explanation.rule,
    priorWeight: explanation.priorWeight,
    fields: explanation.fields.map((f) => ({ field: f.field, level: f.level, weight: f.weight, m: f.m, u: f.u, termFrequency: f.termFrequency ?? null })),
    total: explanation.total,
    matchProbability: explanation.matchProbability,
    autoLinkThreshold: explanation.thresholds.autoLink,
    reviewThreshold: explanation.thresholds.review,
    decision: explanation.decision,
    guard: explanation.guard,
  };
}

type ShownItem = ResolversTypes['IdentityReviewItem'];

/**
 * The item with both records as their systems hold them, when the caller could resolve it: both
 * records in systems within their clearance and still there, both people ones they may see, and,
 * when a record is in UMIS or YOIS, need to know for both (the rules `confirmLink` applies). Null
 * otherwise; a source that cannot be read is SOURCE_UNAVAILABLE. Reads only: nothing is audited as
 * refused, since listing is not asking about anyone.
 */
async function shownItem(context: GatewayContext, item: ReviewItemView): Promise<ShownItem | null> {
  if (item.records.some((ref) => SYSTEM_TIER[ref.system] > context.authz.tier)) return null;
  const holders = await Promise.all(item.records.map((ref) => context.loaders.personForRecord.load(`${ref.system}:${ref.sourceId}`)));
  for (const holder of holders) {
    const visible = await loadVisiblePerson(context, holder.personId).then(
      () => true,
      (error: unknown) => {
        if (hasErrorCode(error, ErrorCode.NOT_FOUND)) return false;
        throw error;
      },
    );
    if (!visible) return null;
  }
  const reads = await Promise.all(item.records.map((ref) => personLoader(context, ref.system).load(ref.sourceId).catch((error: unknown) => error as Error)));
  for (const read of reads) {
    if (read instanceof SourceFailure) throw new SourceUnavailableError(read.source, read.reason);
    if (read instanceof RecordNotFound || read instanceof Error) return null;
  }
  const personIds = [...new Set(holders.map((holder) => holder.personId))];
  if (item.records.some((ref) => SYSTEM_TIER[ref.system] >= 2) && !(await knowsAll(context, personIds))) return null;
  const records = item.records.map((ref, i) => {
    const holder = holders[i]!;
    const linkMethod = holder.records.find((r) => r.system === ref.system && r.sourceId === ref.sourceId)?.method ?? 'SINGLE';
    const record = { ...(reads[i] as LinkedPersonRecord), linkMethod, personId: holder.personId };
    return {
      system: ref.system,
      sourceId: ref.sourceId,
      personId: holder.personId,
      iyss: ref.system === 'IYSS' ? record : null,
      umis: ref.system === 'UMIS' ? record : null,
      yois: ref.system === 'YOIS' ? (record as unknown as LinkedYoisRecord) : null,
    };
  });
  return {
    id: item.id,
    status: item.status,
    score: item.score,
    explanation: explanationView(item.explanation),
    records,
    queuedAt: item.queuedAt,
    resolvedBy: item.resolvedBy,
    resolvedAt: item.resolvedAt,
    resolutionReason: item.resolutionReason,
  };
}

export const identityReviewQueryResolvers: Pick<QueryResolvers, 'identityReviewQueue' | 'identityLinks'> = {
  // Pages through the stored queue in order, keeping the items this caller could resolve; a batch is
  // judged at once so the per-request loaders read its records and allocations together.
  identityReviewQueue: async (_parent, { status, order, first, after }, context) => {
    const size = pageSize(context, first);
    const listed = order ?? 'QUEUED';
    // Likeliest first continues from the cursor item's score, so the cursor must name an item.
    if (after && listed === 'MOST_LIKELY_FIRST' && !(await context.services.identity.reviewItem(after))) {
      throw new BadUserInputError('after is not a cursor from this review queue', 'BAD_CURSOR');
    }
    const batchSize = Math.max(size * 2, 50);
    const edges: Array<{ cursor: string; node: ShownItem }> = [];
    let cursor = after ?? null;
    let hasNextPage = false;
    for (;;) {
      const batch = await context.services.identity.reviewItems(status ?? 'OPEN', cursor, batchSize, listed);
      const shown = await Promise.all(batch.map((item) => shownItem(context, item)));
      for (const [i, node] of shown.entries()) {
        if (!node) continue;
        if (edges.length === size) {
          hasNextPage = true;
          break;
        }
        edges.push({ cursor: batch[i]!.id, node });
      }
      if (hasNextPage || batch.length < batchSize) break;
      cursor = batch[batch.length - 1]!.id;
    }
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  },

  // The person as `youngPerson` would show them (else NOT_FOUND); links in systems within the caller's
  // clearance, and UMIS/YOIS ones only with need to know. An explanation names the other record, so it is
  // shown only when that record is one the caller may see too.
  identityLinks: async (_parent, { personId }, context) => {
    const person = await loadVisiblePerson(context, personId);
    if (!person.personId.startsWith('P-')) return [];
    const links = await context.services.identity.links(person.personId);
    const within = (ref: RecordRef) => SYSTEM_TIER[ref.system] <= context.authz.tier;
    const knows = links.some((link) => within(link) && SYSTEM_TIER[link.system] >= 2) ? await knowsAll(context, [person.personId]) : false;
    const seen = (ref: RecordRef) => within(ref) && (SYSTEM_TIER[ref.system] < 2 || knows);
    return links.filter(seen).map(
      (link): IdentityLink & { personId: string } => ({
        personId: person.personId,
        system: link.system,
        sourceId: link.sourceId,
        method: link.method,
        score: link.score,
        madeBy: link.madeBy,
        madeAt: link.madeAt,
        matchedWith: link.matchedWith && seen(link.matchedWith) ? link.matchedWith : null,
        explanation: link.matchedWith && link.explanation && seen(link.matchedWith) ? explanationView(link.explanation) : null,
      }),
    );
  },
};

export const identityReviewMutationResolvers: Pick<MutationResolvers, 'resolveIdentityReview'> = {
  resolveIdentityReview: async (_parent, { itemId, decision, reason }, context) => {
    const why = reason.trim();
    if (why.length < MIN_REASON) throw new BadUserInputError(`reason must say why, in at least ${MIN_REASON} characters`, 'REASON_REQUIRED');
    const coordinate = 'Mutation.resolveIdentityReview';
    const item = await context.services.identity.reviewItem(itemId);
    if (!item) throw new NotFoundError(REVIEW_ITEM_NOT_FOUND);
    const [a, b] = item.records;
    const holder = await context.loaders.personForRecord.load(`${a.system}:${a.sourceId}`);
    // The checks confirmLink makes, for both records and everyone holding them; a refusal is audited against them.
    const guarded = await guardLinkChange(context, coordinate, holder.personId, [a, b]).catch((error: unknown) => {
      if (hasErrorCode(error, ErrorCode.NOT_FOUND)) throw new NotFoundError(REVIEW_ITEM_NOT_FOUND);
      throw error;
    });
    let personIds: string[];
    try {
      ({ personIds } = await context.services.identity.resolveReview(item.id, decision, context.principal.sub, why));
    } catch (error) {
      if (error instanceof IdentityChangeRefused) throw new BadUserInputError(error.message, 'IDENTITY_CHANGE_REFUSED');
      throw error;
    }
    for (const id of new Set([...guarded.involved, ...personIds])) {
      if (id.startsWith('P-')) context.involved.push({ personId: id, coordinate, refused: false });
    }
    const after = await context.services.identity.reviewItem(item.id);
    // Loaded afresh: the records may have moved person.
    context.loaders.personForRecord.clearAll();
    const shown = after ? await shownItem(context, after) : null;
    if (!shown) throw new NotFoundError(REVIEW_ITEM_NOT_FOUND);
    return shown;
  },
};
