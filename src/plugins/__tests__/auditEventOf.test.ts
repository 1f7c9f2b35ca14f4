import { auditEventOf } from '../useAccessAudit';

const frame = {
  at: '2026-11-24T09:00:00.000Z',
  requestId: 'r-1',
  principal: { sub: 'worker', name: 'Worker', roles: ['practitioner'], tier: 1 as const, units: ['CU1'] },
  operation: 'query',
  facts: { purpose: 'triage', breakGlassIdFor: (personId: string) => (personId === 'P-B' ? 'BG-1' : null) },
};

type Field = Parameters<typeof auditEventOf>[0][number];
const field = (path: Array<string | number>, coordinate: string, extra: Partial<Field> = {}): Field => ({
  path,
  coordinate,
  recorded: true,
  parentSubject: null,
  valueSubjects: null,
  denied: false,
  ...extra,
});

describe('auditEventOf: what a response returned, person by person', () => {
  it('attributes fields to the person whose object they sit under, and marks refusals beside returned data (PARTIAL)', () => {
    const data = { people: [{ id: 'P-A', plans: [{ title: 'x' }] }, { id: 'P-B', plans: null }] };
    const event = auditEventOf(
      [
        field(['people'], 'Query.youngPeople', { valueSubjects: [{ path: ['people', 0], personId: 'P-A' }, { path: ['people', 1], personId: 'P-B' }] }),
        field(['people', 0, 'id'], 'YoungPerson.id', { parentSubject: 'P-A' }),
        field(['people', 0, 'plans'], 'YoungPerson.plans', { parentSubject: 'P-A' }),
        field(['people', 0, 'plans', 0, 'title'], 'Plan.title'),
        field(['people', 1, 'id'], 'YoungPerson.id', { parentSubject: 'P-B' }),
        field(['people', 1, 'plans'], 'YoungPerson.plans', { parentSubject: 'P-B', denied: true }),
      ],
      data,
      [],
      false,
      frame,
    );
    expect(event).toEqual({
      at: frame.at,
      requestId: 'r-1',
      principal: { sub: 'worker', roles: ['practitioner'], tier: 1, units: ['CU1'] },
      operation: 'query',
      purpose: 'triage',
      people: [
        { personId: 'P-A', breakGlassId: null, returned: ['Plan.title', 'Query.youngPeople', 'YoungPerson.id', 'YoungPerson.plans'], denied: [] },
        { personId: 'P-B', breakGlassId: 'BG-1', returned: ['Query.youngPeople', 'YoungPerson.id'], denied: ['YoungPerson.plans'] },
      ],
      returned: ['Plan.title', 'Query.youngPeople', 'YoungPerson.id', 'YoungPerson.plans'],
      denied: ['YoungPerson.plans'],
      outcome: 'PARTIAL',
    });
  });

  it('does not count values a failing non-null field nulled on the way out', () => {
    // P-B's object was nulled in the list (an error in a non-null child); only P-A was sent.
    const data = { people: [{ id: 'P-A' }, null] };
    const event = auditEventOf(
      [
        field(['people'], 'Query.youngPeople', { valueSubjects: [{ path: ['people', 0], personId: 'P-A' }, { path: ['people', 1], personId: 'P-B' }] }),
        field(['people', 0, 'id'], 'YoungPerson.id', { parentSubject: 'P-A' }),
        field(['people', 1, 'id'], 'YoungPerson.id', { parentSubject: 'P-B' }),
      ],
      data,
      [],
      false,
      frame,
    );
    expect(event!.people.map((p) => p.personId)).toEqual(['P-A']);
  });

  it('takes refusals from the response errors too, and writes nothing when nothing personal was returned or refused', () => {
    const data = { youngPerson: { id: 'P-A', offences: null } };
    const fields = [
      field(['youngPerson'], 'Query.youngPerson', { valueSubjects: [{ path: ['youngPerson'], personId: 'P-A' }] }),
      field(['youngPerson', 'id'], 'YoungPerson.id', { parentSubject: 'P-A' }),
      field(['youngPerson', 'offences'], 'YoungPerson.offences', { parentSubject: 'P-A' }),
    ];
    const event = auditEventOf(fields, data, [{ message: 'no', path: ['youngPerson', 'offences'], extensions: { code: 'FORBIDDEN' } }], false, frame);
    expect(event!.people[0]).toMatchObject({ returned: ['Query.youngPerson', 'YoungPerson.id'], denied: ['YoungPerson.offences'] });
    expect(auditEventOf(fields, null, [], false, frame)).toBeNull();
  });

  it('records a read of personal data that failed on its way (a source down) as FAILED, not as nothing', () => {
    const fields = [field(['youngPerson'], 'Query.youngPerson', { recorded: false })];
    const unavailable = { message: 'IYSS is unavailable', path: ['youngPerson'], extensions: { code: 'SOURCE_UNAVAILABLE' } };
    expect(auditEventOf(fields, { youngPerson: null }, [unavailable], false, frame)).toMatchObject({ outcome: 'FAILED', returned: [], denied: [], people: [] });
    // An error elsewhere in the operation (not under a logged field) is not an attempt on personal data.
    expect(auditEventOf(fields, { youngPerson: null }, [{ ...unavailable, path: ['gatewayInfo'] }], false, frame)).toBeNull();
    // Nor is an answer the gateway gave without asking any source.
    expect(auditEventOf(fields, { youngPerson: null }, [{ ...unavailable, extensions: { code: 'NOT_FOUND' } }], false, frame)).toBeNull();
  });

  it('records an attempted change to personal data that failed (FAILED)', () => {
    const event = auditEventOf([field(['decideReferral'], 'Mutation.decideReferral')], null, [], true, frame);
    expect(event).toMatchObject({ outcome: 'FAILED', returned: [], denied: [], people: [] });
  });
});
