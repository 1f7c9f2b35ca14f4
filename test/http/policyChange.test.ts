import { defaultPolicyText } from '../../src/authz/PolicyService';
import { createPolicyService } from '../../src/authz/policyStore';
import { schemaFromSdl } from '../../src/schema/buildSchema';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const PROPOSE = `mutation($d: String!, $r: String!) { proposePolicy(document: $d, reason: $r) {
  version status proposedBy basedOnVersion changes { role coordinate before after } } }`;
const APPROVE = 'mutation($v: Int!, $r: String!) { approvePolicy(version: $v, reason: $r) { version status decision { decision decidedBy reason } } }';
const REJECT = 'mutation($v: Int!, $r: String!) { rejectPolicy(version: $v, reason: $r) { version status decision { decision decidedBy } } }';
const VERSIONS = '{ policyVersions { version status proposedBy decision { decidedBy } } }';
const CONTACTS = 'query($id: ID!) { youngPerson(id: $id) { id contacts { contactType } } }';

/** The active document with one more deny for a role. */
function withDeny(document: string, role: string, coordinate: string): string {
  const policy = JSON.parse(document) as { roles: Record<string, { denies?: string[] }> };
  policy.roles[role]!.denies = [...(policy.roles[role]!.denies ?? []), coordinate];
  return JSON.stringify(policy, null, 2);
}

describe.each(testEngines())('policy changes by two security officers over HTTP, store on %s', (engine) => {
  let gateway: TestGateway;
  let alice: string;
  let bob: string;
  let youthWorker: string;
  let personId: string;
  let active: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 300 });
    alice = await gateway.token({ sub: 'officer-alice', name: 'Alice Officer', roles: ['security_officer'], tier: 0, units: [] });
    bob = await gateway.token({ sub: 'officer-bob', name: 'Bob Officer', roles: ['security_officer'], tier: 0, units: [] });
    youthWorker = await gateway.token({ sub: 'yw-kemi', roles: ['youth_worker'], tier: 1, units: [] });
    const record = gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!;
    personId = await gateway.personIdOf('IYSS', record.YoungPersonID);
    const { body } = await gateway.graphql('{ activePolicy { version status proposedBy document } }', {}, alice);
    expect(body.errors).toBeUndefined();
    expect(body.data.activePolicy).toMatchObject({ version: 1, status: 'ACTIVE', proposedBy: 'system' });
    active = body.data.activePolicy.document;
  });
  afterAll(() => gateway.stop());

  it('takes a change proposed by one officer into force only when another approves it, at once and without a restart', async () => {
    const before = await gateway.graphql(CONTACTS, { id: personId }, youthWorker);
    expect(before.body.errors).toBeUndefined();

    const proposed = await gateway.graphql(PROPOSE, { d: withDeny(active, 'youth_worker', 'YoungPerson.contacts'), r: 'Contact notes move to casework staff only' }, alice);
    expect(proposed.body.errors).toBeUndefined();
    const version = proposed.body.data.proposePolicy;
    expect(version).toMatchObject({ version: 2, status: 'PROPOSED', proposedBy: 'officer-alice', basedOnVersion: 1 });
    // The diff names exactly what would change before anyone approves it.
    expect(version.changes).toEqual([{ role: 'youth_worker', coordinate: 'YoungPerson.contacts', before: 'VISIBLE', after: 'HIDDEN' }]);

    // Proposed is not in force.
    expect((await gateway.graphql(CONTACTS, { id: personId }, youthWorker)).body.errors).toBeUndefined();
    const self = await gateway.graphql(APPROVE, { v: 2, r: 'Looks right to me' }, alice);
    expect(self.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'OWN_PROPOSAL' });
    const practitioner = await gateway.token({ sub: 'p', roles: ['practitioner'], tier: 3, units: ['CU1'] });
    const notOfficer = await gateway.graphql(APPROVE, { v: 2, r: 'I approve' }, practitioner);
    expect(notOfficer.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await gateway.graphql(VERSIONS, {}, practitioner)).body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });

    const approved = await gateway.graphql(APPROVE, { v: 2, r: 'Agreed with the information governance lead' }, bob);
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approvePolicy).toEqual({
      version: 2,
      status: 'ACTIVE',
      decision: { decision: 'APPROVED', decidedBy: 'officer-bob', reason: 'Agreed with the information governance lead' },
    });

    // contacts is nullable at the IYSS source boundary, so its refusal nulls only that field; the error says why.
    const after = await gateway.graphql(CONTACTS, { id: personId }, youthWorker);
    expect(after.body.data.youngPerson).toEqual({ id: personId, contacts: null });
    expect(after.body.errors).toEqual([
      expect.objectContaining({ path: ['youngPerson', 'contacts'], extensions: { code: 'FORBIDDEN', reason: 'DENIED_BY_POLICY' } }),
    ]);

    const info = await gateway.graphql('{ gatewayInfo { policyVersion yourTier yourPurposes { id description } } }', {}, youthWorker);
    expect(info.body.data.gatewayInfo).toEqual({
      policyVersion: 2,
      yourTier: 1,
      yourPurposes: [{ id: 'allocated_casework', description: expect.stringContaining('Casework') }],
    });
    const support = await gateway.token({ sub: 's', roles: ['support_officer', 'clinician'], tier: 3, units: [] });
    const theirs = (await gateway.graphql('{ gatewayInfo { yourTier yourPurposes { id } } }', {}, support)).body.data.gatewayInfo;
    expect(theirs).toEqual({ yourTier: 2, yourPurposes: [{ id: 'allocated_casework' }, { id: 'clinical_care' }, { id: 'emergency' }] });

    const versions = await gateway.graphql(VERSIONS, {}, bob);
    expect(versions.body.data.policyVersions).toEqual([
      { version: 2, status: 'ACTIVE', proposedBy: 'officer-alice', decision: { decidedBy: 'officer-bob' } },
      { version: 1, status: 'SUPERSEDED', proposedBy: 'system', decision: { decidedBy: 'system' } },
    ]);
    active = (await gateway.graphql('{ activePolicy { document } }', {}, bob)).body.data.activePolicy.document;

    // Each step, and the refused self-approval, is in the tamper-evident access audit as well.
    const auditor = await gateway.token({ sub: 'auditor-ada', roles: ['auditor'], tier: 1, units: [] });
    const TRAIL = `query($sub: String!) { auditTrail(sub: $sub, first: 10) { edges { node { principal { sub } operation returned denied outcome } } }
      auditChainStatus { firstBrokenSeq } }`;
    const trail = async (sub: string) => {
      const { body } = await gateway.graphql(TRAIL, { sub }, auditor);
      expect(body.errors).toBeUndefined();
      expect(body.data.auditChainStatus.firstBrokenSeq).toBeNull();
      return (body.data.auditTrail.edges as Array<{ node: { operation: string; returned: string[]; denied: string[]; outcome: string } }>)
        .map((edge) => edge.node)
        .filter((event) => event.operation.startsWith('mutation'));
    };
    // Newest first: each mutation's STARTED event (written before it ran) under how it ended.
    expect(await trail('officer-alice')).toEqual([
      { principal: { sub: 'officer-alice' }, operation: 'mutation', returned: [], denied: ['Mutation.approvePolicy'], outcome: 'DENIED' },
      { principal: { sub: 'officer-alice' }, operation: 'mutation [approvePolicy]', returned: [], denied: [], outcome: 'STARTED' },
      { principal: { sub: 'officer-alice' }, operation: 'mutation', returned: ['Mutation.proposePolicy'], denied: [], outcome: 'RETURNED' },
      { principal: { sub: 'officer-alice' }, operation: 'mutation [proposePolicy]', returned: [], denied: [], outcome: 'STARTED' },
    ]);
    expect(await trail('officer-bob')).toEqual([
      { principal: { sub: 'officer-bob' }, operation: 'mutation', returned: ['Mutation.approvePolicy'], denied: [], outcome: 'RETURNED' },
      { principal: { sub: 'officer-bob' }, operation: 'mutation [approvePolicy]', returned: [], denied: [], outcome: 'STARTED' },
    ]);
  });

  it('rejects, refuses a stale proposal, and decides each version once', async () => {
    const a = (await gateway.graphql(PROPOSE, { d: withDeny(active, 'clinician', 'YoungPerson.plans'), r: 'Plans for casework only' }, alice)).body.data.proposePolicy;
    const b = (await gateway.graphql(PROPOSE, { d: withDeny(active, 'support_officer', 'YoungPerson.plans'), r: 'Plans not for support' }, alice)).body.data.proposePolicy;
    const rejected = await gateway.graphql(REJECT, { v: a.version, r: 'Clinicians need plans' }, bob);
    expect(rejected.body.data.rejectPolicy).toEqual({ version: a.version, status: 'REJECTED', decision: { decision: 'REJECTED', decidedBy: 'officer-bob' } });
    const again = await gateway.graphql(APPROVE, { v: a.version, r: 'On second thoughts' }, bob);
    expect(again.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'NOT_PROPOSED' });

    // c is approved first; b was written against the version before it, so it must be re-proposed.
    const c = (await gateway.graphql(PROPOSE, { d: withDeny(active, 'support_officer', 'YoungPerson.addresses'), r: 'Address history is casework only' }, bob)).body.data.proposePolicy;
    expect((await gateway.graphql(APPROVE, { v: c.version, r: 'Agreed' }, alice)).body.errors).toBeUndefined();
    const stale = await gateway.graphql(APPROVE, { v: b.version, r: 'Agreed' }, bob);
    expect(stale.body.errors![0]).toMatchObject({
      message: expect.stringContaining(`re-propose it against version ${c.version}`),
      extensions: { code: 'BAD_USER_INPUT', reason: 'POLICY_STALE' },
    });
    const missing = await gateway.graphql(APPROVE, { v: 999, r: 'Agreed' }, bob);
    expect(missing.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an invalid document with each problem\u2019s line, and writes nothing', async () => {
    const document = active.replace('"youth_worker": {', '"youth_wroker": {').replace('"maxTier": 3', '"maxTier": 7');
    const expectedLine = document.split('\n').findIndex((line) => line.includes('"youth_wroker"')) + 1;
    const before = (await gateway.graphql(VERSIONS, {}, alice)).body.data.policyVersions.length;
    const { body } = await gateway.graphql(PROPOSE, { d: document, r: 'Typo test' }, alice);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'POLICY_INVALID' });
    const problems = body.errors![0]!.extensions!.problems as Array<{ line: number; path: string; message: string }>;
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: expect.any(Number), path: expect.stringMatching(/maxTier$/) })]));
    const syntax = await gateway.graphql(PROPOSE, { d: '{ "roles": ', r: 'Broken' }, alice);
    expect(syntax.body.errors![0]!.extensions!.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 1, path: '(syntax)' })]));
    const unknownRole = await gateway.graphql(PROPOSE, { d: active.replace('"youth_worker": {', '"youth_wroker": {'), r: 'Typo in a role' }, alice);
    expect(unknownRole.body.errors![0]!.message).toContain(`line ${expectedLine}`);
    expect((await gateway.graphql(VERSIONS, {}, alice)).body.data.policyVersions).toHaveLength(before);
  });

  it('tells an officer what a role, a set of roles with a tier, or a token can see, and why, and exports the matrix as CSV', async () => {
    const EFFECTIVE = `query($roles: [String!]!, $tier: Int!) { effectivePermissions(roles: $roles, tier: $tier) {
      roles tier effectiveTier policyVersion types { type fields { coordinate field access conditions reason } } } }`;
    const { body } = await gateway.graphql(EFFECTIVE, { roles: ['practitioner'], tier: 2 }, alice);
    expect(body.errors).toBeUndefined();
    const fields = new Map<string, { access: string; conditions: string[]; reason: string }>();
    for (const type of body.data.effectivePermissions.types) for (const field of type.fields) fields.set(field.coordinate, field);
    expect(body.data.effectivePermissions).toMatchObject({ roles: ['practitioner'], tier: 2, effectiveTier: 2 });
    expect(fields.get('YoungPerson.forename')).toMatchObject({ access: 'VISIBLE', reason: expect.stringContaining('roles.practitioner.grants') });
    expect(fields.get('YoungPerson.assessments')).toMatchObject({ access: 'CONDITIONAL' });
    expect(fields.get('YoungPerson.assessments')!.conditions.join(' ')).toMatch(/X-Purpose.*allocated_casework[\s\S]*allocated to one of your Core Units/);
    expect(fields.get('YoungPerson.offences')).toMatchObject({ access: 'HIDDEN', reason: expect.stringContaining('requires tier 3') });
    expect(fields.get('Document.title')).toMatchObject({ access: 'CONDITIONAL', conditions: [expect.stringContaining('classification')] });
    expect(fields.get('Query.auditTrail')).toMatchObject({ access: 'HIDDEN', reason: expect.stringContaining('NOT_GRANTED') });

    const token = await gateway.token({ sub: 'rw', roles: ['report_writer'], tier: 3, units: [] });
    const byToken = await gateway.graphql(
      'query($t: String!) { effectivePermissionsForToken(token: $t) { roles effectiveTier types { type fields { coordinate access reason } } } }',
      { t: token },
      alice,
    );
    const rw = new Map<string, { access: string; reason: string }>();
    for (const type of byToken.body.data.effectivePermissionsForToken.types) for (const field of type.fields) rw.set(field.coordinate, field);
    expect(rw.get('YoungPerson.surname')).toMatchObject({ access: 'HIDDEN', reason: expect.stringContaining('AGGREGATES_ONLY') });
    const forged = await gateway.graphql('query($t: String!) { effectivePermissionsForToken(token: $t) { roles } }', { t: `${token}x` }, alice);
    expect(forged.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_TOKEN' });

    const csv = (await gateway.graphql('{ permissionMatrixCsv }', {}, alice)).body.data.permissionMatrixCsv as string;
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe('coordinate,tier,identifying,specialCategory,youth_worker,practitioner,support_officer,core_unit_leader,clinician,triage_officer,triage_manager,data_steward,panel_chair,social_care_liaison,report_writer,security_officer,auditor');
    expect(rows.length - 1).toBe(fields.size);
    expect(rows.find((row) => row.startsWith('YoungPerson.contacts,'))).toBe('YoungPerson.contacts,1,false,false,HIDDEN,VISIBLE,VISIBLE,VISIBLE,HIDDEN,HIDDEN,HIDDEN,HIDDEN,HIDDEN,HIDDEN,VISIBLE,HIDDEN,HIDDEN');
  });

  it('reaches another gateway on the same store within its refresh interval, without a restart', async () => {
    // What a second gateway process holds: its own policy cache over the same store.
    const replica = createPolicyService(gateway.services.store.database, { schema: schemaFromSdl(), defaultDocument: defaultPolicyText, clock: gateway.clock, refreshMs: 2_000 });
    const before = (await replica.current()).version;
    const proposed = (await gateway.graphql(PROPOSE, { d: withDeny(active, 'clinician', 'YoungPerson.educationHistory'), r: 'Education history for casework only' }, alice)).body.data.proposePolicy;
    expect((await gateway.graphql(APPROVE, { v: proposed.version, r: 'Agreed' }, bob)).body.errors).toBeUndefined();
    expect((await replica.current()).version).toBe(before); // still cached
    gateway.clock.advance(2_000);
    expect((await replica.current()).version).toBe(proposed.version);
    expect((await replica.current()).roles.get('clinician')!.denies.has('YoungPerson.educationHistory')).toBe(true);
  });

  it('gives security officers no case data through their role', async () => {
    const { body } = await gateway.graphql(CONTACTS, { id: personId }, alice);
    expect(body.data).toEqual({ youngPerson: null });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['youngPerson'], extensions: { code: 'FORBIDDEN', reason: 'NOT_GRANTED' } })]);
  });
});
