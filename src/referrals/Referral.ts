import type { NotCheckedCause, PersonSystem } from '../access/systemVisibility';

export type ReferralSource =
  | 'POLICE_NOTIFICATION'
  | 'COURT'
  | 'SCHOOL'
  | 'HEALTH'
  | 'SOCIAL_CARE'
  | 'VOLUNTARY_SECTOR'
  | 'OUT_OF_BOROUGH_YOT'
  | 'SELF_OR_WALK_IN'
  | 'PROACTIVE_IDENTIFICATION';

/** What was asked of the unit: a referral about a child, or checks for a multi-agency meeting or a pre-sentence report. */
export type ReferralKind = 'REFERRAL' | 'MULTI_AGENCY_MEETING' | 'PRE_SENTENCE_REPORT';

/** Who receives a hand-off: a Young Hackney Core Unit, or children's social care. */
export type HandOffKind = 'CORE_UNIT' | 'SOCIAL_CARE';

export type ReferralStatus =
  | 'RECEIVED'
  | 'CHECKED'
  | 'NO_FURTHER_ACTION'
  | 'AWAITING_HAND_OFF'
  | 'HANDED_OFF'
  | 'ACKNOWLEDGED'
  | 'AWAITING_PANEL'
  | 'LISTED_FOR_PANEL'
  | 'CLOSED'
  | 'CHECKS_RETURNED';

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
  | 'PANEL_BRIEFED'
  | 'PANEL_REVIEWED'
  | 'RECALLED'
  | 'CHECKS_RETURNED';

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
  kind: HandOffKind;
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
  /** Null for reviews recorded before attendance was asked. */
  referringAgencyAttended: boolean | null;
  /** Panel agency IDs (the maintained list) the case was allocated to. */
  allocatedTo: string[];
}

/** The pre-panel briefing Partnership Triage gives the chair on a listed case. */
export interface PanelBriefing {
  panelDate: string;
  notes: string;
  briefedAt: string;
  briefedBy: string;
}

/** A closed case brought back to the panel. */
export interface CaseRecall {
  reason: string;
  panelDate: string;
  recalledAt: string;
  recalledBy: string;
}

/** Where a check request's results went. */
export interface ChecksReturned {
  returnedTo: string;
  notes: string | null;
  returnedAt: string;
  returnedBy: string;
}

/** What each kind of step records besides who and when (stored as JSON with the step). */
export type ReferralStepDetail =
  | {
      kind: 'RECEIVED';
      source: ReferralSource;
      /** Absent on referrals received before check requests existed: a REFERRAL. */
      requestKind?: ReferralKind;
      requestedBy?: string | null;
      neededBy?: string | null;
      information: string;
      subject: ReferralPerson;
      familyMembers: ReferralPerson[];
      familyConsented: boolean | null;
    }
  | { kind: 'CHECKS_RUN'; checks: ReferralChecks }
  | { kind: 'AGENCY_SHARED'; agency: string; information: string }
  | { kind: 'DECIDED'; decision: ReferralDecisionKind; reason: string }
  | { kind: 'HANDED_OFF'; toUnit: string; toPerson: string | null; handOffKind?: HandOffKind }
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
      referringAgencyAttended?: boolean;
      allocatedTo?: string[];
    }
  | { kind: 'PANEL_BRIEFED'; panelDate: string; notes: string }
  | { kind: 'RECALLED'; reason: string; panelDate: string }
  | { kind: 'CHECKS_RETURNED'; returnedTo: string; notes: string | null };

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
  briefing: PanelBriefing | null;
  recall: CaseRecall | null;
  checksReturned: ChecksReturned | null;
}

/** A referral as the API shows it, projected from its steps. */
export interface ReferralView {
  id: string;
  /** The referral's sequence number: a lower one was received earlier. */
  referralNo: number;
  kind: ReferralKind;
  requestedBy: string | null;
  neededBy: string | null;
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
  panelBriefings: PanelBriefing[];
  recalls: CaseRecall[];
  checksReturned: ChecksReturned | null;
  trail: ReferralStepView[];
}

/** Who is acting: the token's subject and name. */
export interface ReferralActor {
  sub: string;
  name: string;
}

/** An earlier referral of the same young person, how it is connected, and its outcome. */
export interface EarlierReferralView
  extends Pick<ReferralView, 'id' | 'kind' | 'source' | 'receivedAt' | 'subject' | 'status' | 'decision' | 'handOff' | 'panelReviews'> {
  connectedBy: 'SAME_DETAILS_AS_GIVEN' | 'IDENTITY_LINK';
  /** Orders the list: newest first. */
  referralNo: number;
}
