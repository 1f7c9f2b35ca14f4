import { buildSchema } from 'graphql';
import { schemaFromSdl } from '../../schema/buildSchema';
import { compilePolicy } from '../compilePolicy';
import { decideField, effectiveTier } from '../decideField';
import { policyDocumentSchema, type PolicyDocument } from '../PolicyDocument';
import { createRequestAuthorization } from '../requestAuthorization';
import type { Principal } from '../../auth/Principal';
import { SourceUnavailableError } from '../../errors/errors';

const schema = schemaFromSdl();

function policyOf(roles: PolicyDocument['roles']) {
  const document = policyDocumentSchema.parse({
    purposes: { allocated_casework: 'casework', triage: 'triage' },
    breakGlass: { maxMinutes: 60 },
    roles,
  });
  return compilePolicy(document, schema, 7);
}

const principal = (roles: string[], tier: 0 | 1 | 2 | 3, units: string[] = []): Principal => ({ sub: 's', name: 'n', roles, tier, units });

describe('decideField: role, tier, grants and denies', () => {
  const policy = policyOf({
    practitioner: { maxTier: 3, grants: ['Query.youngPerson', 'YoungPerson.*', 'Offence.*'], denies: ['YoungPerson.ethnicity'], purposes: ['allocated_casework'], breakGlass: true, seesInvolvement: false },
    support_officer: { maxTier: 2, grants: ['YoungPerson.*'], denies: [], purposes: [], breakGlass: false, seesInvolvement: false },
    report_writer: { maxTier: 3, grants: ['Query.youngPerson', 'YoungPerson.*'], denies: [], purposes: [], breakGlass: false, seesInvolvement: false },
  });

  it('denies by default: a field no role grants, a root field nobody lists, and any field for an unknown role', () => {
    expect(decideField(policy, principal(['practitioner'], 3), 'Query.auditTrail')).toMatchObject({ allowed: false, reason: 'NOT_GRANTED' });
    expect(decideField(policy, principal(['practitioner'], 3), 'Assessment.summary')).toMatchObject({ allowed: false, reason: 'NOT_GRANTED' });
    expect(decideField(policy, principal(['janitor'], 3), 'YoungPerson.forename')).toMatchObject({ allowed: false, reason: 'NOT_GRANTED', message: expect.stringContaining('janitor') });
  });

  it('caps the token clearance at the role maxTier, and says which tier is required', () => {
    expect(decideField(policy, principal(['support_officer'], 3), 'YoungPerson.offences')).toMatchObject({
      allowed: false,
      reason: 'TIER_TOO_LOW',
      message: 'YoungPerson.offences requires tier 3; support_officer with your clearance reaches tier 2',
    });
    expect(decideField(policy, principal(['practitioner'], 2), 'YoungPerson.offences')).toMatchObject({ allowed: false, reason: 'TIER_TOO_LOW' });
    expect(decideField(policy, principal(['practitioner'], 3), 'YoungPerson.offences')).toMatchObject({ allowed: true, gate: 'PERSON', needsPurpose: true });
    expect(effectiveTier(policy, principal(['support_officer'], 3))).toBe(2);
    expect(effectiveTier(policy, principal(['support_officer', 'practitioner'], 3))).toBe(3);
  });

  it('lets a deny beat the same role\u2019s grant, and another role\u2019s grant still allow', () => {
    expect(decideField(policy, principal(['practitioner'], 3), 'YoungPerson.ethnicity')).toMatchObject({ allowed: false, reason: 'DENIED_BY_POLICY' });
    expect(decideField(policy, principal(['practitioner', 'support_officer'], 3), 'YoungPerson.ethnicity')).toMatchObject({ allowed: true });
  });

  it('never lets a report writer resolve an identifying field, whatever the policy grants', () => {
    expect(decideField(policy, principal(['report_writer'], 3), 'YoungPerson.forename')).toMatchObject({ allowed: false, reason: 'AGGREGATES_ONLY' });
    expect(decideField(policy, principal(['report_writer'], 3), 'YoungPerson.dateOfBirth')).toMatchObject({ allowed: false, reason: 'AGGREGATES_ONLY' });
    expect(decideField(policy, principal(['report_writer'], 3), 'YoungPerson.age')).toMatchObject({ allowed: true });
  });

  it('treats tier-0 fields below the root as structural, but root tier-0 fields still need a grant', () => {
    expect(decideField(policy, principal([], 0), 'PageInfo.hasNextPage')).toMatchObject({ allowed: true });
    expect(decideField(policy, principal(['practitioner'], 3), 'Query.gatewayInfo')).toMatchObject({ allowed: false, reason: 'NOT_GRANTED' });
  });
});

describe('request authorization: purpose, need to know and break-glass', () => {
  const policy = policyOf({
    practitioner: { maxTier: 3, grants: ['Query.youngPerson', 'YoungPerson.*', 'Document.*'], denies: [], purposes: ['allocated_casework'], breakGlass: true, seesInvolvement: false },
  });
  const sources = (units: Record<string, string[]>, glass: Record<string, string> = {}, workers: Record<string, string> = {}) => {
    const calls = { allocations: 0, breakGlass: 0, workers: 0 };
    return {
      calls,
      allocations: async (personId: string) => {
        calls.allocations += 1;
        return { units: new Set(units[personId] ?? []), unreadable: null };
      },
      activeBreakGlass: async () => {
        calls.breakGlass += 1;
        return new Map(Object.entries(glass));
      },
      workerAllocations: async () => {
        calls.workers += 1;
        return new Map(Object.entries(workers));
      },
    };
  };

  it('asks for a purpose the role may state before tier-2 detail', async () => {
    const none = createRequestAuthorization(policy, principal(['practitioner'], 3, ['CU1']), undefined, sources({ P1: ['CU1'] }));
    expect(await none.check('YoungPerson.offences', { personId: 'P1' })).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' } });
    const wrong = createRequestAuthorization(policy, principal(['practitioner'], 3, ['CU1']), 'triage', sources({ P1: ['CU1'] }));
    expect(await wrong.check('YoungPerson.offences', { personId: 'P1' })).toMatchObject({ extensions: { reason: 'PURPOSE_NOT_ALLOWED' } });
    expect(wrong.purpose).toBe('triage');
    // Tier-1 fields need no purpose.
    expect(await none.check('YoungPerson.forename', { personId: 'P1' })).toBe(true);
  });

  it('allows detail about an allocated person, refuses an unallocated one, and opens it under break-glass (recording the grant)', async () => {
    const from = sources({ P1: ['CU1'], P2: ['CU2'] }, { P3: 'BG-1' });
    const authz = createRequestAuthorization(policy, principal(['practitioner'], 3, ['CU1']), 'allocated_casework', from);
    expect(await authz.check('YoungPerson.offences', { personId: 'P1' })).toBe(true);
    expect(await authz.check('YoungPerson.offences', { personId: 'P2' })).toMatchObject({ extensions: { reason: 'NOT_ALLOCATED' } });
    expect(await authz.check('YoungPerson.orders', { personId: 'P3' })).toBe(true);
    expect(authz.breakGlassIdFor('P3')).toBe('BG-1');
    expect(authz.breakGlassIdFor('P1')).toBeNull();
    // Decided once per person per request, and break-glass read once.
    await authz.check('YoungPerson.plans', { personId: 'P2' });
    expect(from.calls).toEqual({ allocations: 3, breakGlass: 1, workers: 1 });
  });

  it('allows detail about a person allocated to the caller by name, outside their units, without recording it as break-glass', async () => {
    const from = sources({ P1: ['CU2'], P2: ['CU2'] }, { P1: 'BG-1' }, { P1: 'WA-1' });
    const authz = createRequestAuthorization(policy, principal(['practitioner'], 3, ['CU1']), 'allocated_casework', from);
    expect(await authz.check('YoungPerson.offences', { personId: 'P1' })).toBe(true);
    expect(authz.breakGlassIdFor('P1')).toBeNull();
    expect(await authz.check('YoungPerson.offences', { personId: 'P2' })).toMatchObject({ extensions: { reason: 'NOT_ALLOCATED' } });
    // Still within the caller's tier: a tier-2 token reaches no tier-3 field through it.
    const tier2 = createRequestAuthorization(policy, principal(['practitioner'], 2, ['CU1']), 'allocated_casework', sources({}, {}, { P1: 'WA-1' }));
    expect(await tier2.check('YoungPerson.plans', { personId: 'P1' })).toBe(true);
    expect(await tier2.check('YoungPerson.offences', { personId: 'P1' })).toMatchObject({ extensions: { reason: 'TIER_TOO_LOW' } });
  });

  it('judges each document by its own classification', async () => {
    const authz = createRequestAuthorization(policy, principal(['practitioner'], 2, ['CU1']), 'allocated_casework', sources({ P1: ['CU1'] }));
    expect(await authz.check('Document.title', { classificationTier: 1, personId: 'P9' })).toBe(true);
    expect(await authz.check('Document.title', { classificationTier: 2, personId: 'P1' })).toBe(true);
    expect(await authz.check('Document.title', { classificationTier: 2, personId: 'P9' })).toMatchObject({ extensions: { reason: 'NOT_ALLOCATED' } });
    expect(await authz.check('Document.title', { classificationTier: 3, personId: 'P1' })).toMatchObject({ extensions: { reason: 'CLASSIFIED_ABOVE_CLEARANCE' } });
    // No classification on the object: treated as the most secure.
    expect(await authz.check('Document.title', { personId: 'P1' })).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    // Nor is a classification that is no tier (garbled in the source) read as a low one.
    for (const garbled of ['x', Number.NaN, -1, 1.5, 7]) {
      expect(await authz.check('Document.title', { classificationTier: garbled, personId: 'P1' })).toMatchObject({ extensions: { reason: 'CLASSIFIED_ABOVE_CLEARANCE' } });
    }
  });

  it('applies an item\u2019s own classification to every field of a classified type, tier 0 included', async () => {
    const small = buildSchema(`
      directive @sensitivity(tier: Int!, identifying: Boolean = false, specialCategory: Boolean = false) on FIELD_DEFINITION
      directive @classified(by: String!) on OBJECT
      type Query { note: Note @sensitivity(tier: 1) }
      type Note @classified(by: "classificationTier") { classificationTier: Int! @sensitivity(tier: 1) pageCount: Int @sensitivity(tier: 0) }`);
    const document = policyDocumentSchema.parse({
      purposes: { allocated_casework: 'casework' },
      breakGlass: { maxMinutes: 60 },
      roles: { youth_worker: { maxTier: 1, grants: ['Query.note', 'Note.*'], denies: [], purposes: [], breakGlass: false, seesInvolvement: false } },
    });
    const authz = createRequestAuthorization(compilePolicy(document, small, 1), principal(['youth_worker'], 1), undefined, sources({}));
    expect(await authz.check('Note.pageCount', { classificationTier: 1, personId: 'P1' })).toBe(true);
    expect(await authz.check('Note.pageCount', { classificationTier: 3, personId: 'P1' })).toMatchObject({ extensions: { reason: 'CLASSIFIED_ABOVE_CLEARANCE' } });
  });

  it('reports an allocation that cannot be read as that error, not as a refusal, unless a readable one or break-glass settles it', async () => {
    const unreadable = new SourceUnavailableError('UMIS', 'connection refused');
    const authz = createRequestAuthorization(policy, principal(['practitioner'], 3, ['CU1']), 'allocated_casework', {
      allocations: async (personId) => ({ units: new Set(personId === 'P1' ? ['CU1'] : []), unreadable }),
      activeBreakGlass: async () => new Map([['P3', 'BG-3']]),
      workerAllocations: async () => new Map([['P4', 'WA-4']]),
    });
    expect(await authz.check('YoungPerson.offences', { personId: 'P1' })).toBe(true);
    expect(await authz.check('YoungPerson.offences', { personId: 'P2' })).toBe(unreadable);
    expect(await authz.check('YoungPerson.offences', { personId: 'P3' })).toBe(true);
    expect(await authz.check('YoungPerson.offences', { personId: 'P4' })).toBe(true);
  });
});
