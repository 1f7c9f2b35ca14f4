/**
 * The exhaustive leak test: for every role (and a few role combinations) x token tier 0-3 x allocated
 * or not x break-glass on or off x purpose stated or not, one query asks for every field reachable from
 * the root fields, over real HTTP. Each value returned is checked against an oracle written here from
 * the policy JSON and the schema's @sensitivity directives alone (not the gateway's decision code), so
 * a bug in the authorization layer shows up as a leak (a value above entitlement) or a wrong denial.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  parse,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
  type GraphQLScalarType,
  type SelectionSetNode,
} from 'graphql';
import { schemaFromSdl } from '../../src/schema/buildSchema';
import { runGapChecks } from '../../src/gaps/gapChecks';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';
import { formerlyDerivedPersonId, storeRowCounts } from '../support/storeRows';

const schema = schemaFromSdl();
const policy = JSON.parse(fs.readFileSync(path.join(__dirname, '../../policy/default-policy.json'), 'utf8')) as {
  roles: Record<string, { maxTier: number; grants?: string[]; denies?: string[]; purposes?: string[]; breakGlass?: boolean }>;
};
const ROLES = ['youth_worker', 'practitioner', 'support_officer', 'core_unit_leader', 'clinician', 'triage_officer', 'triage_manager', 'data_steward', 'panel_chair', 'social_care_liaison', 'report_writer', 'security_officer', 'auditor'];
const COMBINATIONS = [['youth_worker', 'auditor'], ['triage_officer', 'practitioner'], ['report_writer', 'practitioner'], ['security_officer', 'core_unit_leader'], ['data_steward', 'triage_manager']];
/** Refusals a resolver adds on top of the policy (a second lock): not wrong denials. */
const RESOLVER_LOCKS = new Set(['AUDITOR_ONLY', 'NOT_ALLOCATED_TO_YOUR_UNIT', 'SECURITY_OFFICERS_ONLY', 'REVIEWERS_ONLY']);

// ---- The oracle: the issue's rules, read straight from the policy document and the SDL. ----

interface Declared {
  tier: number;
  identifying: boolean;
}
function declared(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): Declared {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'sensitivity');
  const arg = (name: string) => directive?.arguments?.find((a) => a.name.value === name)?.value;
  const tier = arg('tier');
  const identifying = arg('identifying');
  if (!directive || tier?.kind !== Kind.INT) throw new Error(`${type.name}.${field.name} declares no tier`);
  return { tier: Number(tier.value), identifying: identifying?.kind === Kind.BOOLEAN && identifying.value };
}
const matches = (patterns: string[] | undefined, coordinate: string) =>
  (patterns ?? []).some((p) => p === coordinate || (p.endsWith('.*') && coordinate.startsWith(p.slice(0, -1))));
const classifiedTypes = new Set(
  Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && t.astNode?.directives?.some((d) => d.name.value === 'classified'))
    .map((t) => t.name),
);

interface Principal {
  roles: string[];
  tier: number;
  purpose: string | null;
}
interface PersonFacts {
  allocated: boolean;
  breakGlass: boolean;
}

/** The roles that entitle the principal to a field by role, grant, deny, tier and the report-writer rule. */
function allowingRoles(who: Principal, coordinate: string, facts: Declared): string[] {
  return who.roles.filter((role) => {
    const rules = policy.roles[role];
    if (!rules || !matches(rules.grants, coordinate) || matches(rules.denies, coordinate)) return false;
    if (role === 'report_writer' && facts.identifying) return false;
    return Math.min(who.tier, rules.maxTier) >= facts.tier;
  });
}

/** Whether a value of this field may reach this principal, given the young person (and document) it belongs to. */
function entitled(
  who: Principal,
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  person: PersonFacts | null,
  documentTier: number | null,
): boolean {
  const coordinate = `${type.name}.${field.name}`;
  const facts = declared(type, field);
  const root = type === schema.getQueryType() || type === schema.getMutationType();
  if (!root && facts.tier === 0 && !classifiedTypes.has(type.name)) return true;
  const roles = allowingRoles(who, coordinate, facts);
  if (roles.length === 0) return false;
  const purposeOk = who.purpose !== null && roles.some((role) => policy.roles[role]!.purposes?.includes(who.purpose!));
  const knows = person !== null && (person.allocated || person.breakGlass);
  if (classifiedTypes.has(type.name)) {
    const itemTier = documentTier ?? 3;
    const reach = Math.max(...roles.map((role) => Math.min(who.tier, policy.roles[role]!.maxTier)));
    if (itemTier > reach) return false;
    return itemTier < 2 || (purposeOk && knows);
  }
  if (facts.tier >= 2 && !purposeOk) return false;
  if (facts.tier >= 2 && type.name === 'YoungPerson' && !knows) return false;
  return true;
}

// ---- Query generation from the schema ----

const ARGUMENTS: Record<string, string> = {
  id: '$p0',
  ids: '$ids',
  personId: '$p0',
  first: '3',
  criteria: '{ surname: $surname }',
  referral: '{ forename: $forename, surname: $surname }',
  roles: '["youth_worker"]',
  tier: '1',
  version: '1',
  token: '$token',
};

/** Arguments that mean something else on one field: `referral(id:)` takes a referral's ID, not a person's. */
const FIELD_ARGUMENTS: Record<string, string> = {
  'referral.id': '$r0',
  // A report over the seeded year, broken down so its cells have keys and totals.
  'report.measure': 'FIRST_TIME_ENTRANTS',
  'report.from': '"2025-11-01"',
  'report.to': '"2026-11-01"',
  'report.breakdowns': '[GENDER]',
  // The gap report for the seed's last week: planted problems of children some principals need to know, and some they do not.
  'gapReport.from': '"2026-10-25"',
  'gapReport.to': '"2026-11-01"',
};
const argumentValue = (fieldName: string, argName: string) => FIELD_ARGUMENTS[`${fieldName}.${argName}`] ?? ARGUMENTS[argName];

/** The arguments to give a field: the known ones it takes and every required one, or null when one cannot be supplied. */
function argumentText(field: GraphQLField<unknown, unknown>): string | null {
  const args = field.args.filter((a) => argumentValue(field.name, a.name) !== undefined || isNonNullType(a.type));
  if (args.some((a) => argumentValue(field.name, a.name) === undefined)) return null;
  return args.length ? `(${args.map((a) => `${a.name}: ${argumentValue(field.name, a.name)}`).join(', ')})` : '';
}

/** Every field below `type`, to `depth`, skipping fields whose required arguments we cannot supply. */
function selection(type: GraphQLObjectType, depth: number, seen: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    const argText = argumentText(field);
    if (argText === null) continue;
    if (isLeafType(named)) parts.push(`${field.name}${argText}`);
    else if (isObjectType(named) && depth > 0 && !seen.has(named.name)) {
      const inner = selection(named, depth - 1, new Set([...seen, named.name]));
      if (inner) parts.push(`${field.name}${argText} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

const VARIABLE_TYPES: Record<string, string> = { ids: '[ID!]!', p0: 'ID!', r0: 'ID!', token: 'String!', surname: 'String', forename: 'String' };
/** The variable definitions a query body uses (GraphQL refuses unused ones). */
const variablesOf = (body: string) =>
  Object.entries(VARIABLE_TYPES)
    .filter(([name]) => new RegExp(`\\$${name}\\b`).test(body))
    .map(([name, type]) => `$${name}: ${type}`)
    .join(', ');
const operationText = (name: string, body: string, fragments = '') => {
  const variables = variablesOf(body);
  return `query ${name}${variables ? `(${variables})` : ''} {\n${body}\n}\n${fragments}`;
};
const FRAGMENTS = 'fragment Detail on YoungPerson { k: offences { gravityScore outcome { court } } umisRecords { sourceId } forename yoisRecords { pncNumber } }';


/** The mixed list of young people, one alias per YoungPerson field (so one refusal nulls only its own probe), plus aliases and fragments. */
function peopleQuery(): string {
  const person = schema.getType('YoungPerson') as GraphQLObjectType;
  const roots: string[] = [];
  for (const field of Object.values(person.getFields())) {
    const named = getNamedType(field.type);
    const inner = isObjectType(named) ? ` { ${selection(named, 3, new Set(['YoungPerson', named.name]))} }` : '';
    roots.push(`p_${field.name}: youngPeople(ids: $ids) { id ${field.name === 'id' ? '' : field.name + inner} }`);
  }
  roots.push('aliased: youngPeople(ids: $ids) { id o1: offences { id } o2: offences { offenceCode description } n: forename a: assessments { summary } }');
  roots.push('named: youngPeople(ids: $ids) { id ...Detail }');
  roots.push('inline: youngPeople(ids: $ids) { id ... on YoungPerson { orders { id requirements } plans { title } documents { id title classificationTier } } }');
  return operationText('People', roots.join('\n'), FRAGMENTS);
}

/** Every other root query we can give arguments to: each alone (a refused non-null root nulls the whole response), whole or minimal. */
function rootQueries(minimal: boolean): Map<string, string> {
  const queries = new Map<string, string>();
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name === 'youngPeople') continue;
    const args = argumentText(field);
    if (args === null) continue;
    const named = getNamedType(field.type);
    const body = isObjectType(named) ? ` { ${minimal ? '__typename' : selection(named, 4, new Set([named.name]))} }` : '';
    queries.set(field.name, operationText('Root', `${field.name}${args}${body}`));
  }
  return queries;
}


/** A literal of the given input type, filling required fields only: enough for the call to reach authorization. */
function literalOf(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literalOf(type.ofType);
  if (isListType(type)) return `[${literalOf(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${literalOf(f.type)}`).join(', ')} }`;
  }
  const scalars: Record<string, string> = { String: '"x"', ID: '"P-ZZZZZZZZZZ"', Int: '999', Float: '1', Boolean: 'false', Date: '"2026-12-01"', DateTime: '"2026-12-01T00:00:00Z"' };
  return scalars[(type as GraphQLScalarType).name] ?? '"x"';
}

/** Each mutation called with placeholder arguments: authorization decides before the resolver looks at them. */
function mutationCalls(): Map<string, string> {
  const calls = new Map<string, string>();
  for (const field of Object.values(schema.getMutationType()!.getFields())) {
    const args = field.args.filter((a) => isNonNullType(a.type));
    const argText = args.length ? `(${args.map((a) => `${a.name}: ${literalOf(a.type)}`).join(', ')})` : '';
    const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
    calls.set(field.name, `mutation Probe { ${field.name}${argText}${selection} }`);
  }
  return calls;
}

// ---- Walking a response against the query ----

interface Tally {
  probes: number;
  leaks: string[];
  wrongDenials: string[];
  answered: Set<string>;
  asked: Set<string>;
}

interface Walk {
  who: Principal;
  people: Map<string, PersonFacts>;
  /** The principal's Core Units, and every young person a gap finding names with the units they are allocated to. */
  units: readonly string[];
  gapPeople: ReadonlyMap<string, readonly string[]>;
  fragments: Map<string, SelectionSetNode>;
  forbidden: Map<string, string>;
  tally: Tally;
}

function fieldsOf(set: SelectionSetNode, fragments: Map<string, SelectionSetNode>): FieldNode[] {
  return set.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s] : s.kind === Kind.INLINE_FRAGMENT ? fieldsOf(s.selectionSet, fragments) : fieldsOf(fragments.get(s.name.value)!, fragments),
  );
}

const GAP_SUBJECT_TYPES = new Set(['GapFinding', 'GapRecord']);

function walk(walkState: Walk, set: SelectionSetNode, type: GraphQLObjectType, data: Record<string, unknown>, at: string, person: PersonFacts | null): void {
  const { who, tally } = walkState;
  const documentTier = classifiedTypes.has(type.name) && typeof data.classificationTier === 'number' ? (data.classificationTier as number) : null;
  // A gap finding or record belongs to the young person its personId names, whoever that is in the seed.
  const gapSubject = GAP_SUBJECT_TYPES.has(type.name) && typeof data.personId === 'string' ? data.personId : null;
  const here =
    type.name === 'YoungPerson' && typeof data.id === 'string'
      ? (walkState.people.get(data.id) ?? { allocated: false, breakGlass: false })
      : gapSubject
        ? (walkState.people.get(gapSubject) ?? { allocated: (walkState.gapPeople.get(gapSubject) ?? []).some((u) => walkState.units.includes(u)), breakGlass: false })
        : person;
  for (const node of fieldsOf(set, walkState.fragments)) {
    if (node.name.value === '__typename') continue;
    const field = type.getFields()[node.name.value]!;
    const key = node.alias?.value ?? node.name.value;
    const coordinate = `${type.name}.${field.name}`;
    const value = data[key];
    const where = `${at}.${key}`;
    tally.probes += 1;
    tally.asked.add(coordinate);
    const ok = entitled(who, type, field, here, documentTier);
    if (value === null || value === undefined) {
      const refusal = walkState.forbidden.get(where);
      // A per-document refusal whose classification is gone with the document cannot be judged here.
      if (refusal && ok && !RESOLVER_LOCKS.has(refusal) && !(classifiedTypes.has(type.name) && documentTier === null)) {
        tally.wrongDenials.push(`${JSON.stringify(who)} ${coordinate} at ${where}: ${refusal}`);
      }
      continue;
    }
    if (!ok) tally.leaks.push(`${JSON.stringify(who)} ${coordinate} at ${where} (person ${JSON.stringify(here)})`);
    tally.answered.add(coordinate);
    const named = getNamedType(field.type);
    if (!node.selectionSet || !isObjectType(named)) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      // A nulled list item (a document the caller may not open) has nothing left to judge.
      if (item === null || typeof item !== 'object') return;
      walk(walkState, node.selectionSet!, named, item as Record<string, unknown>, Array.isArray(value) ? `${where}.${index}` : where, here);
    });
  }
}

/** Fields that hold a value only while a source is down (`notChecked`): the source-failure tests cover them. */
const ONLY_WHILE_A_SOURCE_IS_DOWN = new Set(['SourceCheck.reason', 'SourceCheck.system']);

type Searched = TestGateway['dataset']['population'][number];

/** Object types a root query can reach (mutation results aside): every one of their fields should be asked. */
function coordinatesReachableFromQuery(): Set<string> {
  const coordinates = new Set<string>();
  const queue: GraphQLObjectType[] = [schema.getQueryType()!];
  const seen = new Set<string>();
  for (let type = queue.shift(); type; type = queue.shift()) {
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    for (const field of Object.values(type.getFields())) {
      coordinates.add(`${type.name}.${field.name}`);
      const named = getNamedType(field.type);
      if (isObjectType(named)) queue.push(named);
    }
  }
  return coordinates;
}

/**
 * Records the gateway's own data that no seed makes, so the types holding it have values to judge: five
 * referrals (one handed off to a Core Unit and acknowledged, one reviewed by the panel and kept open; and,
 * newest so `referrals(first: 3)` shows them, a meeting's check request returned, a panel case briefed,
 * closed with an allocation and recalled, and one handed to social care and acknowledged), a break-glass grant reviewed by
 * a security officer and closed by its holder, a policy proposal waiting for approval, a change of details, and two named workers allocated to
 * the child across services (one ended). The hand-off goes to a unit no probe
 * holds, so it changes nobody's need to know. Returns the referral to ask `referral(id:)` about.
 */
async function recordGatewayData(gateway: TestGateway, personId: string, child: Searched): Promise<string> {
  const subject = { forename: child.forename, surname: child.surname, dateOfBirth: child.dateOfBirth, postcode: child.address.postcode };
  const as = (sub: string, roles: string[], units: string[] = []) => gateway.token({ sub, roles, tier: 3, units });
  const [officer, manager, leader, chair, securityA, securityB, holder, liaison] = await Promise.all([
    as('fixture-triage', ['triage_officer']),
    as('fixture-manager', ['triage_manager']),
    as('fixture-leader', ['core_unit_leader'], ['CU-FIXTURE']),
    as('fixture-chair', ['panel_chair']),
    as('fixture-security-a', ['security_officer']),
    as('fixture-security-b', ['security_officer']),
    as('fixture-holder', ['practitioner'], ['CU-FIXTURE']),
    as('fixture-liaison', ['social_care_liaison']),
  ]);
  const step = async (token: string, text: string, variables: Record<string, unknown>) => {
    const { body } = await gateway.graphql(text, variables, token);
    if (body.errors) throw new Error(`fixture step failed: ${text.slice(0, 60)}: ${body.errors[0]!.message}`);
    return Object.values(body.data as Record<string, { id?: string; version?: number }>)[0]!;
  };
  const receive = async (source: string, information: string, familyConsented?: boolean, request: Record<string, unknown> = {}) =>
    (await step(officer, 'mutation($i: ReceiveReferralInput!) { receiveReferral(input: $i) { id } }', {
      i: { source, information, subject, familyConsented, familyMembers: [{ forename: 'Sam', surname: subject.surname, relationship: 'sibling' }], ...request },
    })).id!;
  const handedOff = await receive('POLICE_NOTIFICATION', 'Exhaustive leak test: police notification to hand off.');
  await step(officer, 'mutation($id: ID!) { runReferralChecks(referralId: $id) { id } }', { id: handedOff });
  await step(officer, 'mutation($id: ID!) { recordAgencyShare(referralId: $id, agency: "School", information: "Attendance 71%") { id } }', { id: handedOff });
  await step(manager, 'mutation($id: ID!) { decideReferral(referralId: $id, decision: HAND_OFF_TO_CORE_UNIT, reason: "Early help") { id } }', { id: handedOff });
  await step(manager, 'mutation($id: ID!) { handOffReferral(referralId: $id, toUnit: "CU-FIXTURE", toPerson: "Duty worker") { id } }', { id: handedOff });
  await step(leader, 'mutation($id: ID!) { acknowledgeHandOff(referralId: $id) { id } }', { id: handedOff });
  const paneled = await receive('SCHOOL', 'Exhaustive leak test: school referral for the panel.', true);
  await step(officer, 'mutation($id: ID!) { runReferralChecks(referralId: $id) { id } }', { id: paneled });
  await step(manager, 'mutation($id: ID!) { decideReferral(referralId: $id, decision: REFER_TO_PANEL, reason: "Several agencies") { id } }', { id: paneled });
  // Listed for today's panel: a review is refused before its panel date.
  await step(officer, 'mutation($id: ID!) { listForPanel(referralId: $id) { id } }', { id: paneled });
  await step(chair, `mutation($id: ID!) { recordPanelReview(referralId: $id, review: { leadAgency: "Young Hackney", leadProfessional: "A. Worker",
    decision: CONTINUE, nextReviewDate: "2030-02-04", notes: "Review school place", referringAgencyAttended: true }) { id } }`, { id: paneled });
  const meeting = await receive('SOCIAL_CARE', 'Exhaustive leak test: checks for a multi-agency meeting.', undefined, { kind: 'MULTI_AGENCY_MEETING', requestedBy: 'MARAC', neededBy: '2030-01-14' });
  await step(officer, 'mutation($id: ID!) { runReferralChecks(referralId: $id) { id } }', { id: meeting });
  await step(officer, 'mutation($id: ID!) { returnChecks(referralId: $id, returnedTo: "MARAC coordinator", notes: "Known to YOIS") { id } }', { id: meeting });
  const recalled = await receive('POLICE_NOTIFICATION', 'Exhaustive leak test: a panel case closed and recalled.');
  await step(officer, 'mutation($id: ID!) { runReferralChecks(referralId: $id) { id } }', { id: recalled });
  await step(manager, 'mutation($id: ID!) { decideReferral(referralId: $id, decision: REFER_TO_PANEL, reason: "Gang concerns") { id } }', { id: recalled });
  await step(officer, 'mutation($id: ID!) { listForPanel(referralId: $id) { id } }', { id: recalled });
  await step(officer, 'mutation($id: ID!) { recordPanelBriefing(referralId: $id, notes: "Known to YOIS") { id } }', { id: recalled });
  await step(chair, `mutation($id: ID!) { recordPanelReview(referralId: $id, review: { leadAgency: "IGIP", leadProfessional: "B. Worker",
    decision: CLOSE, referringAgencyAttended: true, allocatedTo: ["IGIP"] }) { id } }`, { id: recalled });
  await step(chair, 'mutation($id: ID!) { recallCase(referralId: $id, reason: "Further concerns", panelDate: "2030-03-04") { id } }', { id: recalled });
  const socialCare = await receive('POLICE_NOTIFICATION', 'Exhaustive leak test: handed to social care.');
  await step(officer, 'mutation($id: ID!) { runReferralChecks(referralId: $id) { id } }', { id: socialCare });
  await step(manager, 'mutation($id: ID!) { decideReferral(referralId: $id, decision: REFER_TO_SOCIAL_CARE, reason: "Child protection concerns") { id } }', { id: socialCare });
  await step(officer, 'mutation($id: ID!) { handOffReferral(referralId: $id, toPerson: "Duty social worker") { id } }', { id: socialCare });
  await step(liaison, 'mutation($id: ID!) { acknowledgeHandOff(referralId: $id) { id } }', { id: socialCare });

  const grant = await step(holder, 'mutation($p: ID!) { openBreakGlass(personId: $p, reason: "Exhaustive leak test: reviewed grant", minutes: 5) { id } }', { p: personId });
  await step(securityA, 'mutation($g: ID!) { reviewBreakGlass(grantId: $g, outcome: JUSTIFIED, notes: "Fixture") { id } }', { g: grant.id });
  // Closed early by its holder, so BreakGlassGrant.closure has a value to judge (the holder is no probe).
  await step(holder, 'mutation($g: ID!) { closeBreakGlass(grantId: $g, reason: "Fixture: emergency over") { id } }', { g: grant.id });

  const { body } = await gateway.graphql('{ activePolicy { document } }', {}, securityA);
  // A change the matrix diff shows (clinicians lose plans), left waiting: the policy in force stays version 1.
  const active = JSON.parse(body.data.activePolicy.document as string) as { roles: Record<string, { denies?: string[] }> };
  active.roles.clinician!.denies = [...(active.roles.clinician!.denies ?? []), 'YoungPerson.plans'];
  const proposal = { ...active, description: 'Exhaustive leak test: a proposal left waiting' };
  await step(securityB, 'mutation($d: String!) { proposePolicy(document: $d, reason: "Fixture") { version } }', { d: JSON.stringify(proposal) });

  // A change of details made through the gateway, so YoungPerson.pendingChanges has entries to judge (a
  // youth worker's reaches the child's IYSS record only).
  const changer = await as('fixture-changer', ['youth_worker']);
  await step(changer, 'mutation($p: ID!) { changeDemographics(idempotencyKey: "fixture-change-0001", personId: $p, change: { knownAs: "Fixture" }) { id } }', { p: personId });

  // Two named workers allocated across services by a leader of the child's unit, one of them ended, so
  // YoungPerson.workerAllocations and WorkerAllocationEnd have values to judge (the workers are no probe).
  const childLeader = await as('fixture-child-leader', ['core_unit_leader'], await gateway.allocatedUnitsOf(personId));
  const allocate = 'mutation($p: ID!, $w: String!, $e: Date!) { allocateWorker(personId: $p, allocation: { worker: $w, workerName: "Fixture Worker", endsOn: $e, reason: "Exhaustive leak test: a named worker" }) { id } }';
  const endsOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await step(childLeader, allocate, { p: personId, w: 'fixture-named-worker', e: endsOn });
  const ended = await step(childLeader, allocate, { p: personId, w: 'fixture-ended-worker', e: endsOn });
  await step(childLeader, 'mutation($a: ID!) { endWorkerAllocation(allocationId: $a, reason: "Fixture: ended") { id } }', { a: ended.id });
  return handedOff;
}


// ---- Targets the caller may not see: every operation that takes a young person's ID or record ----

/**
 * Every root field with an argument naming a young person, a record or an identity event, and how it is
 * driven; `$id`, `$rec`, `$recs` and `$event` are the target. Fields whose IDs are not about a young
 * person are listed in NOT_PERSON_IDS with the reason; a new ID-taking field that is in neither fails the test.
 */
const TARGETED: Record<string, { kind: 'lookup' | 'leader' | 'link' | 'undo' | 'write' | 'review' | 'allocation'; text: string }> = {
  'Query.youngPerson': { kind: 'lookup', text: 'query($id: ID!) { youngPerson(id: $id) { id forename surname dateOfBirth } }' },
  'Query.youngPeople': { kind: 'lookup', text: 'query($id: ID!) { youngPeople(ids: [$id]) { id forename surname } }' },
  'Query.identityHistory': { kind: 'lookup', text: 'query($id: ID!) { identityHistory(personId: $id) { id personId system sourceId action } }' },
  'Query.identityLinks': { kind: 'lookup', text: 'query($id: ID!) { identityLinks(personId: $id) { system sourceId method matchedWith { system sourceId } explanation { total } } }' },
  // A review item names two records: one the caller may not resolve reads as one that does not exist.
  'Mutation.resolveIdentityReview': { kind: 'review', text: 'mutation($item: ID!) { resolveIdentityReview(itemId: $item, decision: REJECT, reason: "Exhaustive leak test") { id records { system sourceId personId umis { forename } yois { pncNumber } } } }' },
  'Mutation.openBreakGlass': { kind: 'lookup', text: 'mutation($id: ID!) { openBreakGlass(personId: $id, reason: "Exhaustive leak test: probing a target", minutes: 5) { id personId } }' },
  'Query.personAccessHistory': { kind: 'leader', text: 'query($id: ID!) { personAccessHistory(personId: $id) { personId sub returned } }' },
  'Query.breakGlassGrants': { kind: 'leader', text: 'query($id: ID!) { breakGlassGrants(personId: $id) { id personId holder } }' },
  'Mutation.confirmLink': { kind: 'link', text: 'mutation($id: ID!, $rec: RecordRefInput!) { confirmLink(personId: $id, record: $rec, reason: "Exhaustive leak test") { id forename surname iyssRecords { sourceId } umisRecords { sourceId forename } yoisRecords { sourceId pncNumber } } }' },
  'Mutation.rejectLink': { kind: 'link', text: 'mutation($id: ID!, $rec: RecordRefInput!) { rejectLink(personId: $id, record: $rec, reason: "Exhaustive leak test") { id forename surname iyssRecords { sourceId } umisRecords { sourceId forename } yoisRecords { sourceId pncNumber } } }' },
  'Mutation.splitPerson': { kind: 'link', text: 'mutation($id: ID!, $recs: [RecordRefInput!]!) { splitPerson(personId: $id, records: $recs, reason: "Exhaustive leak test") { id forename surname umisRecords { sourceId } yoisRecords { sourceId pncNumber } } }' },
  // Writes to IYSS (tier 1) go to any child the caller may see; tier-2/3 writes also need to know the child.
  'Mutation.recordContact': { kind: 'lookup', text: 'mutation($id: ID!) { recordContact(idempotencyKey: "leak-probe-contact", personId: $id, contact: { contactDate: "2026-01-01T10:00:00Z", contactType: "FACE" }) { recordId personId } }' },
  'Mutation.uploadDocument': { kind: 'lookup', text: 'mutation($id: ID!) { uploadDocument(idempotencyKey: "leak-probe-upload", personId: $id, document: { title: "Probe", documentType: "LTRGEN", classificationTier: 1, contentType: "text/plain", contentBase64: "cHJvYmU=" }) { recordId personId } }' },
  'Mutation.registerYoungPerson': { kind: 'lookup', text: 'mutation($id: ID!) { registerYoungPerson(idempotencyKey: "leak-probe-register", personId: $id, system: IYSS) { recordId personId } }' },
  'Mutation.changeDemographics': { kind: 'lookup', text: 'mutation($id: ID!) { changeDemographics(idempotencyKey: "leak-probe-change", personId: $id, change: { knownAs: "Probe" }) { id personId } }' },
  'Mutation.recordContactAttempt': { kind: 'write', text: 'mutation($id: ID!) { recordContactAttempt(idempotencyKey: "leak-probe-attempt", personId: $id, step: { orderId: "1", date: "2026-01-01", notes: "Probe" }) { recordId personId } }' },
  'Mutation.issueBreachWarning': { kind: 'write', text: 'mutation($id: ID!) { issueBreachWarning(idempotencyKey: "leak-probe-warning", personId: $id, step: { orderId: "1", date: "2026-01-01", notes: "Probe" }) { recordId personId } }' },
  'Mutation.referBreachToPanel': { kind: 'write', text: 'mutation($id: ID!) { referBreachToPanel(idempotencyKey: "leak-probe-refer", personId: $id, step: { orderId: "1", date: "2026-01-01", notes: "Probe" }) { recordId personId } }' },
  'Mutation.recordBreachPanelDecision': { kind: 'write', text: 'mutation($id: ID!) { recordBreachPanelDecision(idempotencyKey: "leak-probe-panel", personId: $id, step: { orderId: "1", date: "2026-01-01", notes: "Probe" }, decision: CONTINUE_ORDER) { recordId personId } }' },
  'Mutation.recordAssessment': { kind: 'write', text: 'mutation($id: ID!) { recordAssessment(idempotencyKey: "leak-probe-assessment", personId: $id, assessment: { assessmentType: "EHA", status: DRAFT, startedOn: "2026-01-01", domains: [] }) { recordId personId } }' },
  'Mutation.recordPlanReview': { kind: 'write', text: 'mutation($id: ID!) { recordPlanReview(idempotencyKey: "leak-probe-review", personId: $id, review: { planId: "00000000-0000-0000-0000-000000000000", reviewedOn: "2026-01-01", outcome: "PROG" }) { recordId personId } }' },
  'Mutation.recordAppointmentOutcome': { kind: 'write', text: 'mutation($id: ID!) { recordAppointmentOutcome(idempotencyKey: "leak-probe-outcome", personId: $id, outcome: { appointmentId: "1", attendance: ATTENDED }) { recordId personId } }' },
  'Mutation.recordOrderProgressNote': { kind: 'write', text: 'mutation($id: ID!) { recordOrderProgressNote(idempotencyKey: "leak-probe-note", personId: $id, note: { orderId: "1", noteDate: "2026-01-01", text: "Probe" }) { recordId personId } }' },
  'Mutation.allocateWorker': { kind: 'write', text: `mutation($id: ID!) { allocateWorker(personId: $id, allocation: { worker: "leak-probe-worker", workerName: "Probe Worker", endsOn: "${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}", reason: "Exhaustive leak test: probing a target" }) { id personId worker } }` },
  'Mutation.endWorkerAllocation': { kind: 'allocation', text: 'mutation($alloc: ID!) { endWorkerAllocation(allocationId: $alloc, reason: "Exhaustive leak test") { id personId worker inForce } }' },
  'Mutation.undoIdentityChange': { kind: 'undo', text: 'mutation($event: ID!) { undoIdentityChange(eventId: $event, reason: "Exhaustive leak test") { id forename surname umisRecords { sourceId } yoisRecords { sourceId pncNumber } } }' },
};
const NOT_PERSON_IDS: Record<string, string> = {
  'Query.referral': 'a referral ID: referrals are shown by role (triage, panel), not by a child\u2019s need to know',
  'Query.auditTrail': 'auditors only, who may look up any young person in the trail',
  'Mutation.reviewBreakGlass': 'a grant ID is a random UUID, and reviewers see the queue',
  'Mutation.closeBreakGlass': 'a grant ID is a random UUID; an unknown grant and another holder\u2019s read alike (break-glass lifecycle tests)',
  'Mutation.addPanelAgency': 'a panel agency ID (IGIP, NIA, ...): reference data the panel chair keeps, about no young person',
  'Mutation.retirePanelAgency': 'a panel agency ID (IGIP, NIA, ...): reference data the panel chair keeps, about no young person',
};
const PERSON_ARGUMENTS = new Set(['id', 'ids', 'personId', 'record', 'records', 'eventId', 'itemId', 'referralId', 'grantId', 'breakGlassId', 'allocationId']);

/** Root fields taking an argument that names a young person, a record, an event or a grant (a referral's steps take only its ID). */
function idTakingRootFields(): string[] {
  return [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
    Object.values(type.getFields())
      .filter((field) => field.args.some((arg) => PERSON_ARGUMENTS.has(arg.name) && arg.name !== 'referralId'))
      .map((field) => `${type.name}.${field.name}`),
  );
}

/** What a client can tell apart in an answer: data, and each error's message, code and reason. */
const answerOf = (body: GraphQLBody) =>
  JSON.stringify({ data: body.data ?? null, errors: (body.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, reason: e.extensions?.reason })) });

describe('exhaustive leak test over the whole schema', () => {
  let gateway: TestGateway;
  let ids: string[];
  let unit: string;
  /** Who searches and triage look for: one of the chosen young people. */
  let searched: Searched;
  let referralId: string;
  /** The token a security officer asks `effectivePermissionsForToken` about. */
  let namedToken: string;
  const allocatedTo = new Map<string, string[]>();
  /** Every young person a gap finding names (as of the probed period's end), with their Core Units. */
  const gapPeople = new Map<string, string[]>();
  const fragments = new Map(
    parse(FRAGMENTS).definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  const operationOf = (text: string) => parse(text).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  const peopleProbe = peopleQuery();
  const roots = rootQueries(false);
  const minimalRoots = rootQueries(true);
  const queryType = schema.getQueryType()!;
  const rootAllowed = (who: Principal, name: string) => entitled(who, queryType, queryType.getFields()[name]!, null, null);

  beforeAll(async () => {
    // Its probe queries are deliberately huge (every YoungPerson field as its own aliased root), far past what
    // a client may send: the operation limits are opened up so they reach authorization, which is what this tests.
    gateway = await startTestGateway({
      volume: 400,
      env: {
        MAX_QUERY_COMPLEXITY: '10000000',
        MAX_PAGE_SIZE: '100',
        MAX_QUERY_TOKENS: '1000000',
        MAX_ROOT_FIELDS: '10000',
        MAX_ALIASES: '10000',
        MAX_QUERY_DEPTH: '100',
      },
    });
    // The young people with the most data: known to IYSS, UMIS and YOIS, with offences, and a unit in common for some.
    const inIyss = new Set(gateway.dataset.iyss.truth.map((t) => t.personKey));
    const inUmis = new Set(gateway.dataset.umis.truth.map((t) => t.personKey));
    const withOffences = new Set(gateway.dataset.yois.rows.YP_OFFENCE.filter((o) => o.DELETED_FLAG === 'N').map((o) => String(o.PERSON_ID)));
    const candidates = gateway.dataset.yois.truth.filter((t) => inIyss.has(t.personKey) && inUmis.has(t.personKey) && withOffences.has(t.sourceId));
    const chosen: string[] = [];
    for (const record of candidates) {
      const id = await gateway.personIdOf('YOIS', record.sourceId);
      if (chosen.includes(id)) continue;
      const units = await gateway.allocatedUnitsOf(id);
      // Someone whose records can be read (a soft-deleted record makes no young person).
      const insider = await gateway.token({ sub: 'chooser', roles: ['practitioner'], tier: 3, units });
      const found = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { id } }', { id }, insider);
      if (!found.body.data?.youngPerson) continue;
      allocatedTo.set(id, units);
      unit ??= units[0]!;
      const inUnit = units.includes(unit);
      const have = chosen.filter((c) => allocatedTo.get(c)!.includes(unit)).length;
      if ((inUnit && have < 3) || (!inUnit && chosen.length - have < 3)) chosen.push(id);
      if (chosen.length === 6) break;
    }
    ids = chosen;
    expect(ids).toHaveLength(6);
    const key = gateway.dataset.yois.truth.find((t) => t.sourceId === candidates[0]!.sourceId)!.personKey;
    searched = gateway.dataset.population.find((p) => p.personKey === key)!;
    referralId = await recordGatewayData(gateway, ids[0]!, searched);
    namedToken = await gateway.token({ sub: 'named-clinician', roles: ['clinician'], tier: 2, units: [unit] });
    const gaps = await runGapChecks(gateway.services.gapChecks, new Set(['IYSS', 'UMIS', 'YOIS'] as const), FIELD_ARGUMENTS['gapReport.to']!.replace(/"/g, ''));
    for (const record of gaps.findings.flatMap((finding) => finding.records)) {
      const personId = await gateway.personIdOf(record.system, record.personRecordId);
      if (!gapPeople.has(personId)) gapPeople.set(personId, await gateway.allocatedUnitsOf(personId));
    }
  });
  afterAll(() => gateway.stop());

  it('returns no value above any principal\u2019s entitlement, and refuses nothing they are entitled to', async () => {
    const tally: Tally = { probes: 0, leaks: [], wrongDenials: [], answered: new Set(), asked: new Set() };
    const principals = [...ROLES.map((r) => [r]), ...COMBINATIONS];
    let scenarios = 0;
    let n = 0;
    for (const roles of principals) {
      const purposes = roles.flatMap((r) => policy.roles[r]?.purposes ?? []);
      for (const tier of [0, 1, 2, 3]) {
        for (const allocated of [true, false]) {
          for (const breakGlass of [false, true]) {
            for (const purpose of [purposes[0] ?? null, null]) {
              n += 1;
              const units = allocated ? [unit] : ['CU-NONE'];
              const sub = `probe-${n}`;
              const token = await gateway.token({ sub, roles, tier: tier as 0 | 1 | 2 | 3, units });
              const people = new Map(ids.map((id) => [id, { allocated: allocatedTo.get(id)!.some((u) => units.includes(u)), breakGlass: false }]));
              if (breakGlass) {
                const openField = schema.getMutationType()!.getFields().openBreakGlass!;
                const mayOpen = roles.some((r) => policy.roles[r]?.breakGlass) && entitled({ roles, tier, purpose: null }, schema.getMutationType()!, openField, null, null);
                for (const id of ids) {
                  const opened = await gateway.graphql(
                    'mutation($id: ID!) { openBreakGlass(personId: $id, reason: "Exhaustive leak test: emergency access probe", minutes: 5) { id } }',
                    { id },
                    token,
                  );
                  const granted = !opened.body.errors && Boolean(opened.body.data?.openBreakGlass?.id);
                  if (granted !== mayOpen) tally.wrongDenials.push(`${roles.join('+')}/${tier}: openBreakGlass ${granted ? 'granted' : 'refused'} (policy says ${mayOpen})`);
                  people.get(id)!.breakGlass = granted;
                }
              }
              const who = { roles, tier, purpose };
              const headers: Record<string, string> = purpose ? { 'x-purpose': purpose } : {};
              const variables = { ids, p0: ids[0], r0: referralId, token: namedToken, surname: searched.surname, forename: searched.forename };
              const run = async (text: string) => {
                const { status, body } = await gateway.graphql(text, variables, token, headers);
                if (status !== 200) throw new Error(`${status}: ${JSON.stringify(body.errors?.slice(0, 2))}\n${text.slice(0, 300)}`);
                const forbidden = new Map(
                  (body.errors ?? [])
                    .filter((e) => e.extensions?.code === 'FORBIDDEN' && e.path)
                    .map((e) => [['', ...e.path!].join('.'), String(e.extensions?.reason)] as const),
                );
                const state: Walk = { who, people, units, gapPeople, fragments, forbidden, tally };
                const operation = operationOf(text);
                // People beyond the chosen six (a caseload lists the unit's children): their facts come from
                // the allocations need to know reads, looked up here independently of the response.
                for (const [, id] of JSON.stringify(body.data ?? {}).matchAll(/"id":"(P-[0-9A-Z]+)"/g)) {
                  if (people.has(id!)) continue;
                  if (!allocatedTo.has(id!)) allocatedTo.set(id!, await gateway.allocatedUnitsOf(id!));
                  people.set(id!, { allocated: allocatedTo.get(id!)!.some((u) => units.includes(u)), breakGlass: false });
                }
                if (body.data) {
                  walk(state, operation.selectionSet, queryType, body.data as Record<string, unknown>, '', null);
                } else {
                  // A refused non-null field nulled the whole response: nothing leaked; was the refusal right?
                  tally.probes += 1;
                  const rootFieldOf = new Map(fieldsOf(operation.selectionSet, fragments).map((f) => [f.alias?.value ?? f.name.value, f.name.value]));
                  for (const [where, reason] of forbidden) {
                    const root = rootFieldOf.get(where.split('.')[1]!)!;
                    if (where.split('.').length === 2 && rootAllowed(who, root) && !RESOLVER_LOCKS.has(reason)) {
                      tally.wrongDenials.push(`${JSON.stringify(who)} Query.${root}: ${reason}`);
                    }
                  }
                }
              };
              if (rootAllowed(who, 'youngPeople')) await run(peopleProbe);
              for (const [name, text] of roots) if (rootAllowed(who, name)) await run(text);
              // Refused roots depend on roles and tier only: checked once per pair, each alone.
              if (allocated && !breakGlass && purpose === purposes[0]) {
                for (const [name, text] of minimalRoots) if (!rootAllowed(who, name)) await run(text);
                if (!rootAllowed(who, 'youngPeople')) await run(peopleProbe);
              }
              scenarios += 1;
            }
          }
        }
      }
    }
    const never = [...tally.asked].filter((c) => !tally.answered.has(c)).sort();
    const neverAsked = [...coordinatesReachableFromQuery()].filter((c) => !tally.asked.has(c)).sort();
    const summary = {
      probes: tally.probes,
      leaks: tally.leaks.length,
      wrongDenials: tally.wrongDenials.length,
      principals: scenarios,
      fieldsAsked: tally.asked.size,
      fieldsCovered: tally.answered.size,
      fieldsNeverAnswered: never,
      fieldsNeverAsked: neverAsked,
    };
    process.stdout.write(`exhaustive leak test: ${JSON.stringify(summary)}\n`);
    if (process.env.LEAK_TEST_DUMP) fs.writeFileSync(process.env.LEAK_TEST_DUMP, JSON.stringify({ leaks: tally.leaks, wrongDenials: tally.wrongDenials }, null, 1));
    expect(tally.leaks.slice(0, 20)).toEqual([]);
    expect(tally.wrongDenials.slice(0, 20)).toEqual([]);
    expect(tally.probes).toBeGreaterThan(100_000);
    // Every field a root query reaches was asked with a parent to judge it on, bar those only a failure fills.
    expect(neverAsked.filter((c) => !ONLY_WHILE_A_SOURCE_IS_DOWN.has(c))).toEqual([]);
  }, 600_000);


  it('runs no mutation for a principal the policy does not entitle to it', async () => {
    const mutationType = schema.getMutationType()!;
    const calls = mutationCalls();
    let probes = 0;
    const ran: string[] = [];
    const refusedWrongly: string[] = [];
    for (const roles of [...ROLES.map((r) => [r]), ...COMBINATIONS]) {
      for (const tier of [0, 1, 2, 3]) {
        const token = await gateway.token({ sub: `mutation-probe-${roles.join('+')}-${tier}`, roles, tier: tier as 0 | 1 | 2 | 3, units: [unit] });
        for (const [name, text] of calls) {
          probes += 1;
          const { body } = await gateway.graphql(text, {}, token);
          const allowed = entitled({ roles, tier, purpose: null }, mutationType, mutationType.getFields()[name]!, null, null);
          const refusal = body.errors?.find((e) => e.path?.[0] === name && e.extensions?.code === 'FORBIDDEN');
          const policyRefusal = refusal && !RESOLVER_LOCKS.has(String(refusal.extensions?.reason)) && !['OWN_GRANT', 'OWN_PROPOSAL', 'BREAK_GLASS_NOT_ALLOWED'].includes(String(refusal.extensions?.reason));
          if (!allowed && !refusal) ran.push(`${roles.join('+')}/${tier} ${name}: ${JSON.stringify(body).slice(0, 200)}`);
          if (allowed && policyRefusal) refusedWrongly.push(`${roles.join('+')}/${tier} ${name}: ${refusal!.message}`);
        }
      }
    }
    process.stdout.write(`exhaustive mutation probe: ${JSON.stringify({ probes, mutations: calls.size, ranWithoutEntitlement: ran.length, wrongDenials: refusedWrongly.length })}\n`);
    expect(ran).toEqual([]);
    expect(refusedWrongly).toEqual([]);
    expect(calls.size).toBeGreaterThan(15);
  }, 300_000); // 31 mutations x 68 principals: about 2,100 calls over HTTP

  it('answers every ID-taking operation alike for targets the caller may not see and for nobody, writes nothing and says nothing about them', async () => {
    const fields = idTakingRootFields();
    // Every root field naming a person, record or event is driven here, or listed with why it needs not be.
    expect(fields.filter((f) => !TARGETED[f] && !NOT_PERSON_IDS[f])).toEqual([]);
    expect(Object.keys(TARGETED).filter((f) => !fields.includes(f))).toEqual([]);

    // The targets: children of another unit (allocated elsewhere), a child known only to YOIS, record
    // references above a clearance, an ID computed the way IDs used to be derived, and IDs nobody has.
    const own = ids.find((id) => allocatedTo.get(id)!.includes(unit))!;
    const other = ids.find((id) => !allocatedTo.get(id)!.includes(unit))!;
    const viewOf = async (id: string) => (await gateway.services.persons.personsByIds([id]))[0] as { personId: string; records: Array<{ system: string; sourceId: string }> };
    const [ownView, otherView] = [await viewOf(own), await viewOf(other)];
    const recordOf = (view: typeof ownView, system: string) => {
      const found = view.records.find((r) => r.system === system)!;
      return { system: found.system, sourceId: found.sourceId };
    };
    let yoisOnly: typeof ownView | undefined;
    for (const t of gateway.dataset.yois.truth) {
      const view = await viewOf(await gateway.personIdOf('YOIS', t.sourceId));
      if (!view.records.every((r) => r.system === 'YOIS')) continue;
      const [read] = await gateway.services.sources.yois.peopleByIds([view.records[0]!.sourceId]);
      if (read instanceof Error || (await gateway.allocatedUnitsOf(view.personId)).includes(unit)) continue;
      yoisOnly = view;
      break;
    }
    expect(yoisOnly).toBeDefined();
    // What must never appear in a refused answer: the targets' IDs, names, record IDs and PNC numbers.
    const secrets = new Set<string>();
    for (const view of [otherView, yoisOnly!]) {
      secrets.add(view.personId);
      for (const record of view.records) {
        secrets.add(record.sourceId);
        const source = record.system === 'IYSS' ? gateway.services.sources.iyss : record.system === 'UMIS' ? gateway.services.sources.umis : gateway.services.sources.yois;
        const [read] = await source.peopleByIds([record.sourceId]);
        if (read && !(read instanceof Error)) {
          for (const value of [read.forename, read.surname, (read as { pncNumber?: string | null }).pncNumber]) if (value && value.length >= 4) secrets.add(value);
        }
      }
    }

    // An identity event about the other unit's child that undoing would change: a split of its YOIS record, undone.
    const fixture = await gateway.token({ sub: 'fixture-steward', roles: ['data_steward'], tier: 3, units: allocatedTo.get(other)! });
    const dq = { 'x-purpose': 'data_quality' };
    const split = await gateway.graphql('mutation($p: ID!, $r: [RecordRefInput!]!) { splitPerson(personId: $p, records: $r, reason: "Fixture split") { id } }', { p: other, r: [recordOf(otherView, 'YOIS')] }, fixture, dq);
    expect(split.body.errors).toBeUndefined();
    const history = (await gateway.graphql('query($p: ID!) { identityHistory(personId: $p) { id action } }', { p: other }, fixture, dq)).body.data.identityHistory as Array<{ id: string; action: string }>;
    // Undone in the store directly: the steward may lack need to know for the two halves (that rule is tested over HTTP elsewhere).
    await gateway.services.identity.undo(history.find((e) => e.action === 'SPLIT')!.id, 'fixture', 'Fixture undo');
    const undoEvent = (await gateway.services.identity.history(other)).find((e) => e.action === 'UNDO')!.id;
    // A worker allocation on the other unit's child, made by that unit's leader: no probe may end it or learn of it.
    const otherLeader = await gateway.token({ sub: 'fixture-other-leader', roles: ['core_unit_leader'], tier: 3, units: allocatedTo.get(other)! });
    const endsOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const made = await gateway.graphql(
      'mutation($p: ID!, $e: Date!) { allocateWorker(personId: $p, allocation: { worker: "fixture-other-worker", workerName: "Fixture Worker", endsOn: $e, reason: "Exhaustive leak test: a target" }) { id } }',
      { p: other, e: endsOn },
      otherLeader,
    );
    expect(made.body.errors).toBeUndefined();
    const otherAllocation = made.body.data.allocateWorker.id as string;

    const otherYois = recordOf(otherView, 'YOIS');
    // An open review item about a UMIS or YOIS record of a child not allocated to the probes' unit.
    let reviewItem: string | undefined;
    for (const item of await gateway.services.identity.reviewItems('OPEN', null, 10_000)) {
      if (!item.records.some((r) => r.system !== 'IYSS')) continue;
      const holders = await Promise.all(item.records.map((r) => gateway.personIdOf(r.system, r.sourceId)));
      const units = await Promise.all(holders.map((h) => gateway.allocatedUnitsOf(h)));
      if (units.some((u) => u.length > 0) && !units.some((u) => u.includes(unit))) {
        reviewItem = item.id;
        for (const record of item.records) secrets.add(record.sourceId);
        break;
      }
    }
    expect(reviewItem).toBeDefined();
    const nobody = { id: 'P-0000000000', rec: { system: 'YOIS', sourceId: '888881' }, recs: [{ system: 'YOIS', sourceId: '888881' }], event: 'E-0000000000000000000000', item: 'R-0000000000000000000000', alloc: 'WA-00000000-0000-0000-0000-000000000000' };
    /** Targets per kind of operation, for a caller of this tier: each must be answered exactly as `nobody` is. */
    const targetsFor = (kind: string, tier: number): Array<{ label: string; vars: Record<string, unknown> }> => {
      const computed = formerlyDerivedPersonId('YOIS', otherYois.sourceId);
      const unknown = [
        { label: 'computed ID', vars: { ...nobody, id: computed } },
        { label: 'unknown yp: reference', vars: { ...nobody, id: 'yp:YOIS:888881' } },
      ];
      const aboveTier = [
        ...(tier < 3 ? [{ label: 'YOIS-only child', vars: { ...nobody, id: yoisOnly!.personId } }, { label: 'yp:YOIS reference', vars: { ...nobody, id: `yp:YOIS:${otherYois.sourceId}` } }] : []),
        ...(tier < 2 ? [{ label: 'yp:UMIS reference', vars: { ...nobody, id: `yp:UMIS:${recordOf(otherView, 'UMIS').sourceId}` } }] : []),
      ];
      if (kind === 'lookup') return [...unknown, ...aboveTier];
      if (kind === 'leader') return [...unknown, ...aboveTier, { label: 'other unit\u2019s child', vars: { ...nobody, id: other } }, { label: 'YOIS-only child, other unit', vars: { ...nobody, id: yoisOnly!.personId } }];
      if (kind === 'write') return [...unknown, ...aboveTier, { label: 'other unit\u2019s child', vars: { ...nobody, id: other } }, { label: 'YOIS-only child, other unit', vars: { ...nobody, id: yoisOnly!.personId } }];
      if (kind === 'undo') return [{ label: 'event about another unit\u2019s child', vars: { ...nobody, event: undoEvent } }];
      if (kind === 'review') return [{ label: 'review item about another unit\u2019s child', vars: { ...nobody, item: reviewItem } }];
      if (kind === 'allocation') return [{ label: 'worker allocation on another unit\u2019s child', vars: { ...nobody, alloc: otherAllocation } }];
      return [
        { label: 'computed ID', vars: { ...nobody, id: computed, rec: otherYois, recs: [otherYois] } },
        { label: 'own child + other unit\u2019s YOIS record', vars: { ...nobody, id: own, rec: otherYois, recs: [otherYois] } },
        { label: 'other unit\u2019s child + its YOIS record', vars: { ...nobody, id: other, rec: otherYois, recs: [otherYois] } },
        { label: 'other unit\u2019s child + its UMIS record', vars: { ...nobody, id: other, rec: recordOf(otherView, 'UMIS'), recs: [recordOf(otherView, 'UMIS')] } },
        { label: 'other unit\u2019s child + own child\u2019s UMIS record', vars: { ...nobody, id: other, rec: recordOf(ownView, 'UMIS'), recs: [recordOf(ownView, 'UMIS')] } },
        { label: 'YOIS-only child + its record', vars: { ...nobody, id: yoisOnly!.personId, rec: recordOf(yoisOnly!, 'YOIS'), recs: [recordOf(yoisOnly!, 'YOIS')] } },
      ];
    };

    const leaks: string[] = [];
    let probes = 0;
    let principals = 0;
    for (const roles of [...ROLES.map((r) => [r]), ...COMBINATIONS]) {
      const purpose = roles.flatMap((r) => policy.roles[r]?.purposes ?? [])[0];
      const headers: Record<string, string> = purpose ? { 'x-purpose': purpose } : {};
      for (const tier of [0, 1, 2, 3]) {
        principals += 1;
        const who = `${roles.join('+')}/${tier}`;
        const token = await gateway.token({ sub: `target-probe-${who}`, roles, tier: tier as 0 | 1 | 2 | 3, units: [unit] });
        const before = await storeRowCounts(gateway);
        for (const [coordinate, { kind, text }] of Object.entries(TARGETED)) {
          // Auditors may look up anyone's access history and break-glass: that is their job, not a leak.
          if (kind === 'leader' && roles.includes('auditor')) continue;
          const write = text.startsWith('mutation');
          const ask = async (vars: Record<string, unknown>) => {
            const used = Object.fromEntries(Object.entries(vars).filter(([name]) => new RegExp(`\\$${name}\\b`).test(text)));
            const counts = write ? await storeRowCounts(gateway) : null;
            const { body } = await gateway.graphql(text, used, token, headers);
            if (counts && JSON.stringify(await storeRowCounts(gateway)) !== JSON.stringify(counts)) leaks.push(`${who} ${coordinate}: wrote to the gateway store`);
            return body;
          };
          probes += 1;
          const reference = await ask(nobody);
          const field = coordinate.split('.')[1]!;
          const refusedAnswer = (body: GraphQLBody) => Boolean(body.errors?.length) && (body.data?.[field] === null || body.data === null || body.data === undefined || (Array.isArray(body.data?.[field]) && body.data[field].every((item: unknown) => item === null)));
          if (!refusedAnswer(reference)) leaks.push(`${who} ${coordinate}: nobody's ID was not refused: ${answerOf(reference).slice(0, 200)}`);
          for (const target of targetsFor(kind, tier)) {
            probes += 1;
            const body = await ask(target.vars);
            const answer = answerOf(body);
            if (!refusedAnswer(body)) leaks.push(`${who} ${coordinate} ${target.label}: not refused: ${answer.slice(0, 200)}`);
            else if (answer !== answerOf(reference)) leaks.push(`${who} ${coordinate} ${target.label}: answered unlike an unknown ID: ${answer.slice(0, 200)} vs ${answerOf(reference).slice(0, 200)}`);
            const told = [...secrets].filter((secret) => JSON.stringify(body).includes(secret));
            if (told.length) leaks.push(`${who} ${coordinate} ${target.label}: response names ${told.join(', ')}`);
          }
        }
        if (JSON.stringify(await storeRowCounts(gateway)) !== JSON.stringify(before)) leaks.push(`${who}: the gateway store changed`);
      }
    }
    const summary = { principals, operations: Object.keys(TARGETED).length, probes, leaks: leaks.length };
    process.stdout.write(`exhaustive target probe: ${JSON.stringify(summary)}\n`);
    if (process.env.LEAK_TEST_DUMP) fs.writeFileSync(`${process.env.LEAK_TEST_DUMP}.targets`, JSON.stringify(leaks, null, 1));
    expect(leaks.slice(0, 20)).toEqual([]);
    expect(probes).toBeGreaterThan(1_500);
  }, 600_000);
});
