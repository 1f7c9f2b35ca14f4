import type { SourceSystem } from '../../adapters/types';
import type { MatchExplanation } from '../identity/model/matchModel';

/** How a system record came to belong to a gateway person. SINGLE: it was never linked to another. */
export type LinkMethod = 'DETERMINISTIC' | 'PROBABILISTIC' | 'CONFIRMED' | 'SINGLE';

/** The review queue's order: as queued, or highest score (likeliest one person) first. */
export type ReviewOrder = 'QUEUED' | 'MOST_LIKELY_FIRST';

export interface LinkedRecord {
  system: Exclude<SourceSystem, 'DMS'>;
  sourceId: string;
  method: LinkMethod;
}

/**
 * A gateway person: an ID and the system records linked to it. Values are drawn from the records.
 * A record no match run has placed yet (created in its system since the last run) is a provisional
 * person of its own, whose ID is its record reference (`yp:SYSTEM:sourceId`): reads never write to
 * the identity store, so nothing is created for it until a match run or a mutation places it.
 */
export interface PersonView {
  personId: string;
  records: LinkedRecord[];
}

/** Resolves gateway people and the records behind them, from the identity links in the gateway store. */
export interface PersonDirectory {
  /**
   * People by gateway person ID, in key order; an Error where the ID is unknown. A record reference
   * (`yp:SYSTEM:sourceId`) answers the person holding that record, or the provisional person of an
   * unplaced record: whether such a record exists is for the caller to ask its system.
   */
  personsByIds(personIds: readonly string[]): Promise<Array<PersonView | Error>>;
  /** The person each record belongs to, in key order (a record never linked is a provisional person of its own). Writes nothing. */
  personsForRecords(records: ReadonlyArray<{ system: Exclude<SourceSystem, 'DMS'>; sourceId: string }>): Promise<PersonView[]>;
}

/** One change to identity links, as the API shows it. */
export interface IdentityEventView {
  id: string;
  personId: string;
  system: Exclude<SourceSystem, 'DMS'> | null;
  sourceId: string | null;
  action: 'LINK' | 'CONFIRM' | 'REJECT' | 'SPLIT' | 'UNDO';
  actor: string;
  reason: string | null;
  at: string;
}

export interface RecordRef {
  system: Exclude<SourceSystem, 'DMS'>;
  sourceId: string;
}

/** A change to identity links a caller asked for that cannot be made; its message says why. */
export class IdentityChangeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityChangeRefused';
  }
}

/** A review item as the API shows it (before the records are read). */
export interface ReviewItemView {
  id: string;
  status: 'OPEN' | 'CONFIRMED' | 'REJECTED' | 'CLOSED';
  score: number;
  explanation: MatchExplanation;
  records: [RecordRef, RecordRef];
  queuedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionReason: string | null;
}

/** One of a person's links with how and why it was made. */
export interface LinkView extends RecordRef {
  method: Exclude<LinkMethod, 'SINGLE'>;
  score: number | null;
  madeBy: string;
  madeAt: string;
  /** The pair that placed it, while the link is current; null when there is none. */
  matchedWith: RecordRef | null;
  explanation: MatchExplanation | null;
}

/** Human decisions about identity links. Every change is recorded (who, when, why) and can be undone. */
export interface IdentityOperations {
  /** Resolves to the person the record now belongs to. */
  confirm(personId: string, record: RecordRef, actor: string, reason: string): Promise<string>;
  /** Resolves to the new person the record was moved into. */
  reject(personId: string, record: RecordRef, actor: string, reason: string): Promise<string>;
  /** Resolves to the new person holding the split-off records. */
  split(personId: string, records: RecordRef[], actor: string, reason: string): Promise<string>;
  /** Resolves to the person the undone change concerned. */
  undo(eventId: string, actor: string, reason: string): Promise<string>;
  history(personId: string): Promise<IdentityEventView[]>;
  /**
   * Review items with `status`, oldest first (or highest score first), after the item `after`, at most
   * `limit`. Highest score first continues from `after`'s score, so an `after` naming no item gives none.
   */
  reviewItems(status: ReviewItemView['status'], after: string | null, limit: number, order?: ReviewOrder): Promise<ReviewItemView[]>;
  reviewItem(itemId: string): Promise<ReviewItemView | null>;
  /** Resolves an open item; refused (IdentityChangeRefused) when it is not open or the change cannot be made. Resolves to the item afterwards and the persons concerned. */
  resolveReview(itemId: string, decision: 'CONFIRM' | 'REJECT', actor: string, reason: string): Promise<{ item: ReviewItemView; personIds: string[] }>;
  /** A stored person's links with their explanations (empty for an unknown person). */
  links(personId: string): Promise<LinkView[]>;
  /** What an event touched (every record and person before and after), or null for an unknown event ID. */
  eventScope(eventId: string): Promise<{ records: RecordRef[]; personIds: string[] } | null>;
  /**
   * The stored person for `personId`: itself when stored, the holder of the record for a record
   * reference, or a new person for an unplaced record. Only mutations call it, after their checks.
   */
  place(personId: string): Promise<string>;
}
