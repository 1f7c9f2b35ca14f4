import type { NotCheckedCause, PersonSystem } from '../access/systemVisibility';

export type ReferralSource = 'POLICE_NOTIFICATION' | 'SCHOOL' | 'HEALTH' | 'SOCIAL_CARE' | 'VOLUNTARY_SECTOR' | 'SELF_OR_WALK_IN';

export type ReferralStatus =
  | 'RECEIVED'
  | 'CHECKED'
  | 'NO_FURTHER_ACTION'
  | 'AWAITING_HAND_OFF'
  | 'HANDED_OFF'
  | 'ACKNOWLEDGED'
  | 'AWAITING_PANEL'
  | 'LISTED_FOR_PANEL'
  | 'CLOSED';

export type ReferralDecisionKind = 'NO_FURTHER_ACTION' | 'HAND_OFF_TO_CORE_UNIT' | 'REFER_TO_PANEL' | 'REFER_TO_SOCIAL_CARE';
export type PanelDecision = 'CONTINUE' | 'CLOSE';

export type ReferralStepKind =
  | 'RECEIVED'
  | 'CHECKS_RUN'
  | 'AGENCY_SHARED'
  | 'DECIDED'
  | 'HANDED_OFF'
  | 'ACKNOWLEDGED'
  | 'LISTED_FOR_PANEL'
  | 'PANEL_REVIEWED';

/** A person as a referral names them. */
export interface ReferralPerson {
  forename: string | null;
  surname: string | null;
  dateOfBirth: string | null;
  postcode: string | null;
  relationship: string | null;
}

export type InvolvementStatus = 'KNOWN' | 'NOT_KNOWN' | 'NOT_CHECKED' | 'WITHHELD';

/** One agency system's answer, as it was when checked. */
export interface AgencyCheck {
  system: PersonSystem;
  status: InvolvementStatus;
  reason: string | null;
  checkedAt: string;
}

/** A gateway person the checks found, with what each system said, frozen at the time of the check. */
export interface ReferralCheckedPerson {
  personId: string;
  score: number;
  forename: string | null;
  surname: string | null;
  dateOfBirth: string | null;
  agencies: AgencyCheck[];
}

/** The snapshot one run of a referral's checks keeps. */
export interface ReferralChecks {
  checkedAt: string;
  checkedBy: string;
  searchedFor: ReferralPerson;
  subjectAgencies: AgencyCheck[];
  bestCandidate: ReferralCheckedPerson | null;
  familyMatches: ReferralCheckedPerson[];
  /** Systems the checks could not look in. Snapshots taken before `cause` was recorded have none: read as SOURCE_UNAVAILABLE. */
  notChecked: Array<{ system: PersonSystem; reason: string; cause?: NotCheckedCause }>;
}

export interface AgencyShare {
  agency: string;
  sharedAt: string;
  information: string;
  recordedBy: string;
}

export interface ReferralDecision {
  decision: ReferralDecisionKind;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export interface ReferralHandOff {
  toUnit: string;
  toPerson: string | null;
  handedOffAt: string;
  handedOffBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface PanelReview {
  panelDate: string;
  leadAgency: string;
  leadProfessional: string;
  decision: PanelDecision;
  nextReviewDate: string | null;
  notes: string | null;
  recordedBy: string;
}

/** What each kind of step records besides who and when (stored as JSON with the step). */
export type ReferralStepDetail =
  | {
      kind: 'RECEIVED';
      source: ReferralSource;
      information: string;
      subject: ReferralPerson;
      familyMembers: ReferralPerson[];
      familyConsented: boolean | null;
    }
  | { kind: 'CHECKS_RUN'; checks: ReferralChecks }
  | { kind: 'AGENCY_SHARED'; agency: string; information: string }
  | { kind: 'DECIDED'; decision: ReferralDecisionKind; reason: string }
  | { kind: 'HANDED_OFF'; toUnit: string; toPerson: string | null }
  | {
      kind: 'ACKNOWLEDGED';
      /** The young person the checks found, now the receiving unit's to work with (need to know). Absent when no one was found. */
      allocates?: { personId: string; unitId: string };
    }
  | { kind: 'LISTED_FOR_PANEL'; panelDate: string }
  | {
      kind: 'PANEL_REVIEWED';
      panelDate: string;
      leadAgency: string;
      leadProfessional: string;
      decision: PanelDecision;
      nextReviewDate: string | null;
      notes: string | null;
    };

/** One recorded step of a referral's trail. */
export interface ReferralStepRecord {
  seq: number;
  /** When it happened, as stated. */
  at: string;
  /** When the gateway recorded it. */
  recordedAt: string;
  actor: string;
  actorName: string;
  statusAfter: ReferralStatus;
  detail: ReferralStepDetail;
}

/** A step as the API shows it: who and when, plus the details of its kind. */
export interface ReferralStepView {
  seq: number;
  kind: ReferralStepKind;
  at: string;
  recordedAt: string;
  actor: string;
  actorName: string;
  statusAfter: ReferralStatus;
  information: string | null;
  checks: ReferralChecks | null;
  share: AgencyShare | null;
  decision: ReferralDecision | null;
  handOff: ReferralHandOff | null;
  panelDate: string | null;
  panelReview: PanelReview | null;
}

/** A referral as the API shows it, projected from its steps. */
export interface ReferralView {
  id: string;
  source: ReferralSource;
  receivedAt: string;
  receivedBy: string;
  information: string;
  subject: ReferralPerson;
  familyMembers: ReferralPerson[];
  familyConsented: boolean | null;
  status: ReferralStatus;
  allowedNextSteps: string[];
  checks: ReferralChecks | null;
  agencyShares: AgencyShare[];
  decision: ReferralDecision | null;
  handOff: ReferralHandOff | null;
  panelDate: string | null;
  leadAgency: string | null;
  leadProfessional: string | null;
  panelReviews: PanelReview[];
  trail: ReferralStepView[];
}

/** Who is acting: the token's subject and name. */
export interface ReferralActor {
  sub: string;
  name: string;
}
