import type { ReferralStatus } from '../Referral';
import { allowedNextSteps, consentNeeded, nextStatus, ReferralTransitionRefused, type WorkflowState, type WorkflowStep } from '../referralWorkflow';

const STEPS: WorkflowStep[] = [
  'runReferralChecks',
  'recordAgencyShare',
  'decideReferral',
  'handOffReferral',
  'acknowledgeHandOff',
  'listForPanel',
  'recordPanelBriefing',
  'recordPanelReview',
  'recallCase',
  'returnChecks',
];

const police = (status: ReferralStatus, panelDate: string | null = null): WorkflowState => ({
  referralId: 'R-12',
  status,
  kind: 'REFERRAL',
  source: 'POLICE_NOTIFICATION',
  familyConsented: null,
  panelDate,
});

function refusal(run: () => unknown): ReferralTransitionRefused {
  try {
    run();
  } catch (error) {
    if (error instanceof ReferralTransitionRefused) return error;
    throw error;
  }
  throw new Error('expected the step to be refused');
}

describe('the referral workflow', () => {
  it('runs received -> checks -> decision -> hand-off -> acknowledgement', () => {
    expect(nextStatus(police('RECEIVED'), 'runReferralChecks')).toBe('CHECKED');
    expect(nextStatus(police('CHECKED'), 'runReferralChecks')).toBe('CHECKED');
    expect(nextStatus(police('CHECKED'), 'recordAgencyShare')).toBe('CHECKED');
    expect(nextStatus(police('CHECKED'), 'decideReferral', { decision: 'HAND_OFF_TO_CORE_UNIT' })).toBe('AWAITING_HAND_OFF');
    expect(nextStatus(police('CHECKED'), 'decideReferral', { decision: 'REFER_TO_SOCIAL_CARE' })).toBe('AWAITING_HAND_OFF');
    expect(nextStatus(police('CHECKED'), 'decideReferral', { decision: 'NO_FURTHER_ACTION' })).toBe('NO_FURTHER_ACTION');
    expect(nextStatus(police('AWAITING_HAND_OFF'), 'handOffReferral')).toBe('HANDED_OFF');
    expect(nextStatus(police('HANDED_OFF'), 'acknowledgeHandOff')).toBe('ACKNOWLEDGED');
  });

  it('runs a panel case: listed, reviewed and kept open (listed again), closed only by a panel decision', () => {
    expect(nextStatus(police('CHECKED'), 'decideReferral', { decision: 'REFER_TO_PANEL' })).toBe('AWAITING_PANEL');
    expect(nextStatus(police('AWAITING_PANEL'), 'listForPanel')).toBe('LISTED_FOR_PANEL');
    expect(nextStatus(police('LISTED_FOR_PANEL', '2026-12-03'), 'recordPanelReview', { panelDecision: 'CONTINUE' })).toBe('LISTED_FOR_PANEL');
    expect(nextStatus(police('LISTED_FOR_PANEL', '2026-12-10'), 'recordPanelReview', { panelDecision: 'CLOSE' })).toBe('CLOSED');
    const closingSteps = STEPS.flatMap((step) =>
      (['RECEIVED', 'CHECKED', 'AWAITING_HAND_OFF', 'HANDED_OFF', 'AWAITING_PANEL', 'LISTED_FOR_PANEL'] as ReferralStatus[]).flatMap((status) => {
        try {
          return nextStatus(police(status), step, { decision: 'REFER_TO_PANEL', panelDecision: 'CLOSE' }) === 'CLOSED' ? [`${status}:${step}`] : [];
        } catch {
          return [];
        }
      }),
    );
    expect(closingSteps).toEqual(['LISTED_FOR_PANEL:recordPanelReview']);
  });

  it('refuses every step not allowed from each status, naming the allowed next steps', () => {
    const statuses: ReferralStatus[] = [
      'RECEIVED',
      'CHECKED',
      'NO_FURTHER_ACTION',
      'AWAITING_HAND_OFF',
      'HANDED_OFF',
      'ACKNOWLEDGED',
      'AWAITING_PANEL',
      'LISTED_FOR_PANEL',
      'CLOSED',
      'CHECKS_RETURNED',
    ];
    for (const status of statuses) {
      const allowed = allowedNextSteps(police(status));
      for (const step of STEPS.filter((s) => !allowed.includes(s))) {
        const refused = refusal(() => nextStatus(police(status), step, { decision: 'NO_FURTHER_ACTION', panelDecision: 'CLOSE' }));
        expect(refused.reason).toBe('INVALID_TRANSITION');
        expect(refused.allowed).toEqual(allowed);
        expect(refused.message).toMatch(new RegExp(`Allowed next steps: ${allowed.length ? allowed.join(', ') : 'none'}$`));
      }
    }
  });

  it('says why in words: no hand-off without a decision, no decision before checks', () => {
    expect(refusal(() => nextStatus(police('CHECKED'), 'handOffReferral')).message).toBe(
      'Cannot hand off referral R-12: it has no decision yet. Allowed next steps: runReferralChecks, recordAgencyShare, decideReferral',
    );
    expect(refusal(() => nextStatus(police('RECEIVED'), 'decideReferral', { decision: 'NO_FURTHER_ACTION' })).message).toBe(
      'Cannot decide referral R-12: its agency checks have not been run yet. Allowed next steps: runReferralChecks',
    );
    expect(refusal(() => nextStatus(police('CLOSED'), 'listForPanel')).message).toBe(
      'Cannot list for panel referral R-12: it was closed by a panel decision. Allowed next steps: recallCase',
    );
  });

  it('does not check partner systems for a non-police referral without the family\u2019s consent; a decision may follow', () => {
    const noConsent: WorkflowState = { ...police('RECEIVED'), source: 'SCHOOL', familyConsented: false };
    const refused = refusal(() => nextStatus(noConsent, 'runReferralChecks'));
    expect(refused.reason).toBe('NO_CONSENT');
    expect(refused.message).toBe('Cannot run checks for referral R-12: the family did not consent to agency checks. Allowed next steps: decideReferral');
    expect(nextStatus(noConsent, 'decideReferral', { decision: 'NO_FURTHER_ACTION' })).toBe('NO_FURTHER_ACTION');
    expect(nextStatus({ ...noConsent, familyConsented: true }, 'runReferralChecks')).toBe('CHECKED');
  });

  it('recalls a closed case to the panel, and only a closed one', () => {
    expect(allowedNextSteps(police('CLOSED'))).toEqual(['recallCase']);
    expect(nextStatus(police('CLOSED'), 'recallCase')).toBe('LISTED_FOR_PANEL');
    for (const status of ['RECEIVED', 'CHECKED', 'AWAITING_PANEL', 'LISTED_FOR_PANEL', 'NO_FURTHER_ACTION', 'ACKNOWLEDGED'] as ReferralStatus[]) {
      expect(refusal(() => nextStatus(police(status), 'recallCase')).reason).toBe('INVALID_TRANSITION');
    }
    expect(nextStatus(police('LISTED_FOR_PANEL', '2026-12-03'), 'recordPanelBriefing')).toBe('LISTED_FOR_PANEL');
  });

  it('runs a check request (meeting, pre-sentence report) to its return, with no decision and no consent asked', () => {
    for (const kind of ['MULTI_AGENCY_MEETING', 'PRE_SENTENCE_REPORT'] as const) {
      const request: WorkflowState = { ...police('RECEIVED'), kind, source: 'COURT', familyConsented: null };
      expect(nextStatus(request, 'runReferralChecks')).toBe('CHECKED');
      const checked = { ...request, status: 'CHECKED' as const };
      expect(allowedNextSteps(checked)).toEqual(['runReferralChecks', 'recordAgencyShare', 'returnChecks']);
      expect(refusal(() => nextStatus(checked, 'decideReferral', { decision: 'NO_FURTHER_ACTION' })).message).toBe(
        'Cannot decide referral R-12: it is a check request: its checks go back to whoever asked, with no decision. Allowed next steps: runReferralChecks, recordAgencyShare, returnChecks',
      );
      expect(nextStatus(checked, 'returnChecks')).toBe('CHECKS_RETURNED');
      expect(allowedNextSteps({ ...request, status: 'CHECKS_RETURNED' })).toEqual([]);
    }
    expect(refusal(() => nextStatus(police('CHECKED'), 'returnChecks')).reason).toBe('INVALID_TRANSITION');
  });

  it('asks consent of every source but the police and the courts', () => {
    expect(consentNeeded({ kind: 'REFERRAL', source: 'COURT' })).toBe(false);
    expect(consentNeeded({ kind: 'REFERRAL', source: 'POLICE_NOTIFICATION' })).toBe(false);
    for (const source of ['SCHOOL', 'HEALTH', 'SOCIAL_CARE', 'VOLUNTARY_SECTOR', 'OUT_OF_BOROUGH_YOT', 'SELF_OR_WALK_IN', 'PROACTIVE_IDENTIFICATION'] as const) {
      expect(consentNeeded({ kind: 'REFERRAL', source })).toBe(true);
      expect(consentNeeded({ kind: 'MULTI_AGENCY_MEETING', source })).toBe(false);
    }
  });
});
