import { projectReferral } from '../projectReferral';
import type { ReferralDecisionKind, ReferralStepRecord } from '../Referral';

const at = '2026-11-24T08:10:00.000Z';
const step = (seq: number, detail: ReferralStepRecord['detail']): ReferralStepRecord => ({
  seq, at, recordedAt: at, actor: 'triage-tom', actorName: 'Tom', statusAfter: 'HANDED_OFF', detail,
});

/** A referral decided and handed off before hand-offs recorded their kind (before migration 0003). */
const handedOffBefore0003 = (decision: ReferralDecisionKind) =>
  projectReferral({ referralId: 'R-1', referralNo: 1, status: 'HANDED_OFF', panelDate: null }, [
    step(1, { kind: 'RECEIVED', source: 'POLICE_NOTIFICATION', information: 'x', subject: { forename: 'A', surname: 'B', dateOfBirth: null, postcode: null, relationship: null }, familyMembers: [], familyConsented: null }),
    step(2, { kind: 'DECIDED', decision, reason: 'Because' }),
    step(3, { kind: 'HANDED_OFF', toUnit: decision === 'REFER_TO_SOCIAL_CARE' ? "Children's Social Care" : 'CU3', toPerson: null }),
  ]);

describe('projecting a referral recorded before migration 0003', () => {
  it('reads it as a referral, and an old hand-off by its decision: social care for REFER_TO_SOCIAL_CARE, a Core Unit otherwise', () => {
    const social = handedOffBefore0003('REFER_TO_SOCIAL_CARE');
    expect(social).toMatchObject({ kind: 'REFERRAL', requestedBy: null, neededBy: null, handOff: { kind: 'SOCIAL_CARE' }, panelBriefings: [], recalls: [], checksReturned: null });
    expect(social.trail[2]!.handOff).toMatchObject({ kind: 'SOCIAL_CARE' });
    expect(handedOffBefore0003('HAND_OFF_TO_CORE_UNIT').handOff).toMatchObject({ kind: 'CORE_UNIT', toUnit: 'CU3' });
  });
});
