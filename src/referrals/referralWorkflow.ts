/**
 * The referral workflow as a pure state machine: which step may follow which status, and the status
 * each step leads to. No I/O, so every transition can be tested exhaustively; the store runs the same
 * checks inside the transaction that records a step, so a refused step writes nothing.
 *
 *   RECEIVED ─runReferralChecks─▶ CHECKED ─decideReferral─┬─▶ NO_FURTHER_ACTION
 *                                   │  ▲ (re-run checks,   ├─▶ AWAITING_HAND_OFF ─handOffReferral─▶ HANDED_OFF ─acknowledgeHandOff─▶ ACKNOWLEDGED
 *                                   └──┘  agency shares)   └─▶ AWAITING_PANEL ─listForPanel─▶ LISTED_FOR_PANEL ─recordPanelReview(CLOSE)─▶ CLOSED
 *                                                                                                 ▲  ▲     │ │
 *                                                                       recordPanelBriefing (stays) ┘  └─────┘ │ recordPanelReview(CONTINUE): listed for its next review
 *                                                                                                 ▲            ▼
 *                                                                                                 └─recallCase─ CLOSED
 *
 * A check request for a multi-agency meeting or a pre-sentence report is not a referral: after its
 * checks (and any agency shares) the results go back to whoever asked (`returnChecks`), and that ends it:
 *
 *   RECEIVED ─runReferralChecks─▶ CHECKED ─returnChecks─▶ CHECKS_RETURNED
 *
 * A referral from anyone but the police or a court whose family did not consent cannot be checked
 * against partner systems; its only next step is a decision on what was received.
 */
import type { PanelDecision, ReferralDecisionKind, ReferralKind, ReferralSource, ReferralStatus } from './Referral';

/** The mutations that move a referral on. */
export type WorkflowStep =
  | 'runReferralChecks'
  | 'recordAgencyShare'
  | 'decideReferral'
  | 'handOffReferral'
  | 'acknowledgeHandOff'
  | 'listForPanel'
  | 'recordPanelBriefing'
  | 'recordPanelReview'
  | 'recallCase'
  | 'returnChecks';

export interface WorkflowState {
  referralId: string;
  status: ReferralStatus;
  kind: ReferralKind;
  source: ReferralSource;
  familyConsented: boolean | null;
  /** The panel date a listed case waits for. */
  panelDate: string | null;
}

/** What a step says that decides where it leads. */
export interface StepInput {
  decision?: ReferralDecisionKind;
  panelDecision?: PanelDecision;
  panelDate?: string | null;
}

/** A step that may not be taken now. `reason` is machine-readable; the message names the allowed next steps. */
export class ReferralTransitionRefused extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly allowed: readonly WorkflowStep[],
  ) {
    super(message);
    this.name = 'ReferralTransitionRefused';
  }
}

/** Sources whose referrals need no family consent for the checks: the police and the courts act under statute. */
const STATUTORY_SOURCES: ReadonlySet<ReferralSource> = new Set(['POLICE_NOTIFICATION', 'COURT']);

/**
 * Whether the family's consent must be recorded before partner systems are checked: for a referral from
 * anyone but the police or a court. A check request (meeting, pre-sentence report) is made under the
 * requesting body's own basis for sharing, so it carries no consent.
 */
export const consentNeeded = (state: { kind?: ReferralKind; source: ReferralSource }): boolean =>
  (state.kind ?? 'REFERRAL') === 'REFERRAL' && !STATUTORY_SOURCES.has(state.source);

const consentWithheld = (state: Pick<WorkflowState, 'source' | 'familyConsented'> & { kind?: ReferralKind }): boolean =>
  consentNeeded(state) && state.familyConsented !== true;

/** The steps that may come next, in the order a triage officer would usually take them. */
export function allowedNextSteps(state: Pick<WorkflowState, 'status' | 'source' | 'familyConsented'> & { kind?: ReferralKind }): WorkflowStep[] {
  const checkRequest = (state.kind ?? 'REFERRAL') !== 'REFERRAL';
  switch (state.status) {
    case 'RECEIVED':
      return consentWithheld(state) ? ['decideReferral'] : ['runReferralChecks'];
    case 'CHECKED':
      return checkRequest ? ['runReferralChecks', 'recordAgencyShare', 'returnChecks'] : ['runReferralChecks', 'recordAgencyShare', 'decideReferral'];
    case 'AWAITING_HAND_OFF':
      return ['recordAgencyShare', 'handOffReferral'];
    case 'HANDED_OFF':
      return ['acknowledgeHandOff'];
    case 'AWAITING_PANEL':
      return ['recordAgencyShare', 'listForPanel'];
    case 'LISTED_FOR_PANEL':
      return ['recordAgencyShare', 'listForPanel', 'recordPanelBriefing', 'recordPanelReview'];
    case 'CLOSED':
      // "Cases can be recalled at any time for further oversight."
      return ['recallCase'];
    case 'NO_FURTHER_ACTION':
    case 'ACKNOWLEDGED':
    case 'CHECKS_RETURNED':
      return [];
  }
}

const VERB: Record<WorkflowStep, string> = {
  runReferralChecks: 'run checks for',
  recordAgencyShare: 'record an agency share on',
  decideReferral: 'decide',
  handOffReferral: 'hand off',
  acknowledgeHandOff: 'acknowledge the hand-off of',
  listForPanel: 'list for panel',
  recordPanelBriefing: 'record a pre-panel briefing on',
  recordPanelReview: 'record a panel review of',
  recallCase: 'recall',
  returnChecks: 'return the checks of',
};

function why(state: WorkflowState): string {
  switch (state.status) {
    case 'RECEIVED':
      return 'its agency checks have not been run yet';
    case 'CHECKED':
      return state.kind === 'REFERRAL' ? 'it has no decision yet' : 'it is a check request: its checks go back to whoever asked, with no decision';
    case 'NO_FURTHER_ACTION':
      return 'it was decided: no further action';
    case 'AWAITING_HAND_OFF':
      return 'it has a decision and is waiting to be handed off';
    case 'HANDED_OFF':
      return 'it was handed off and is waiting for the hand-off to be acknowledged';
    case 'ACKNOWLEDGED':
      return "its hand-off was acknowledged, so triage's work on it is complete";
    case 'AWAITING_PANEL':
      return 'it was referred to the panel and is waiting to be listed';
    case 'LISTED_FOR_PANEL':
      return `it is listed for the panel of ${state.panelDate ?? 'a date to be set'}`;
    case 'CLOSED':
      return 'it was closed by a panel decision';
    case 'CHECKS_RETURNED':
      return 'its checks were returned to whoever asked for them';
  }
}

function refuse(state: WorkflowState, step: WorkflowStep, because: string, reason: string): never {
  const allowed = allowedNextSteps(state);
  throw new ReferralTransitionRefused(
    `Cannot ${VERB[step]} referral ${state.referralId}: ${because}. Allowed next steps: ${allowed.length ? allowed.join(', ') : 'none'}`,
    reason,
    allowed,
  );
}

/** The status `step` leads to from `state`, or ReferralTransitionRefused. */
export function nextStatus(state: WorkflowState, step: WorkflowStep, input: StepInput = {}): ReferralStatus {
  if (!allowedNextSteps(state).includes(step)) {
    if (step === 'runReferralChecks' && state.status === 'RECEIVED' && consentWithheld(state)) {
      refuse(state, step, 'the family did not consent to agency checks', 'NO_CONSENT');
    }
    refuse(state, step, why(state), 'INVALID_TRANSITION');
  }
  switch (step) {
    case 'runReferralChecks':
      return 'CHECKED';
    case 'recordAgencyShare':
      return state.status;
    case 'listForPanel':
    case 'recallCase':
      return 'LISTED_FOR_PANEL';
    case 'recordPanelBriefing':
      return state.status;
    case 'returnChecks':
      return 'CHECKS_RETURNED';
    case 'decideReferral':
      switch (input.decision) {
        case 'NO_FURTHER_ACTION':
          return 'NO_FURTHER_ACTION';
        case 'HAND_OFF_TO_CORE_UNIT':
        case 'REFER_TO_SOCIAL_CARE':
          return 'AWAITING_HAND_OFF';
        case 'REFER_TO_PANEL':
          return 'AWAITING_PANEL';
        default:
          throw new Error('decideReferral needs a decision');
      }
    case 'handOffReferral':
      return 'HANDED_OFF';
    case 'acknowledgeHandOff':
      return 'ACKNOWLEDGED';
    case 'recordPanelReview':
      // The only way a panel case closes.
      return input.panelDecision === 'CLOSE' ? 'CLOSED' : 'LISTED_FOR_PANEL';
  }
}
