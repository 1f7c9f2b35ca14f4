/**
 * The identity links in the gateway store: which source records are one gateway person, how each
 * link was made (a deterministic rule, a probabilistic score, or confirmed by a named person) and
 * the full history of every change, each of which can be undone.
 *
 * One module per concern, under ./store/ (this file only gathers their exports):
 * - identitySchema.ts: the tables (one DDL for SQLite, MariaDB/MySQL and SQL Server) and types;
 * - personIds.ts: person ID allocation; linkRows.ts: the primitives every write shares;
 * - applyMatchResult.ts: a match run's clusters as persons and links;
 * - identityDecisions.ts: confirm, reject, split, undo, resolving a review item;
 * - reviewQueue.ts: the review queue and each link's explanation; identityReads.ts: links, history, constraints.
 *
 * Tables:
 * - `identity_person`: gateway person IDs (`P-` and 10 random base32 characters). An ID says
 *   nothing about the records behind it, so nobody can compute the ID of `YOIS:300001` and ask
 *   about it; it is stable because it is stored: a rerun keeps each person that still holds most
 *   of its records (see `applyMatchResult`), whatever the process or the order of the run.
 * - `identity_link`: one row per (person, record); `active = 1` is the record's current person,
 *   inactive rows are earlier placements. A unique key allows one active row per record
 *   (store/oneActiveLink.ts), so two writers racing to place a record cannot both succeed.
 * - `identity_link_event`: every change, with who, when, why, and the state before and after as
 *   JSON. `undo` puts the before state back when nothing has changed those records since.
 * - `identity_rejected_pair`: record pairs a person said are different people; the matcher is
 *   given them as constraints (`loadMatchConstraints`), and `applyMatchResult` refuses to join them.
 *
 * - `identity_review_item`: pairs a run scored between the thresholds, for a person to confirm or
 *   reject; `identity_link_explanation`: the pair (and its explanation) that placed each record.
 *
 * Human decisions outrank the matcher: a CONFIRMED link is never moved by a match run, and a
 * rejected pair is never put back together by one.
 */
export {
  ensureIdentitySchema,
  IdentityOperationError,
  MATCHER_ACTOR,
  type IdentityLink,
  type IdentityTables,
  type LinkAction,
  type LinkEvent,
  type LinkEventState,
  type LinkMethod,
  type LinkState,
  type ReviewStatus,
  type StoreDatabase,
} from './store/identitySchema';
export { newPersonId } from './store/personIds';
export { applyMatchResult, type ApplySummary } from './store/applyMatchResult';
export {
  confirmLink,
  rejectLink,
  resolveReview,
  splitPerson,
  undo,
  type DecisionInput,
  type ReviewDecision,
  type ReviewResolution,
} from './store/identityDecisions';
export {
  linkExplanations,
  reviewItem,
  reviewItems,
  reviewQueueCounts,
  type LinkExplanation,
  type ReviewItem,
  type ReviewQueueSummary,
} from './store/reviewQueue';
export { allActiveLinks, eventsForPerson, linkedRecordPairs, linkEvent, linksForPersons, loadMatchConstraints, personIdFor, personIdsFor } from './store/identityReads';
