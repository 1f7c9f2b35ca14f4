import { schemaFromSdl } from '../../schema/buildSchema';
import { defaultPolicyText } from '../PolicyService';
import { parsePolicy } from '../parsePolicy';

const schema = schemaFromSdl();

/** A small valid document, as lines, so each test can break one line and know its number. */
const lines = () => [
  '{', //                                                        1
  '  "purposes": { "allocated_casework": "Casework" },', //      2
  '  "breakGlass": { "maxMinutes": 60 },', //                    3
  '  "roles": {', //                                             4
  '    "practitioner": {', //                                    5
  '      "maxTier": 3,', //                                      6
  '      "grants": ["Query.youngPerson", "YoungPerson.*"],', //  7
  '      "purposes": ["allocated_casework"]', //                 8
  '    }', //                                                    9
  '  }', //                                                      10
  '}', //                                                        11
];

function problemsOf(edit: (l: string[]) => void) {
  const text = lines();
  edit(text);
  const result = parsePolicy(text.join('\n'), schema);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('policy validation names the line of each problem', () => {
  it('accepts the shipped default and the small document', () => {
    expect(parsePolicy(defaultPolicyText(), schema)).toMatchObject({ ok: true });
    expect(parsePolicy(lines().join('\n'), schema)).toMatchObject({ ok: true });
  });

  it('an unknown role', () => {
    const [problem] = problemsOf((l) => (l[5 - 1] = '    "janitor": {'));
    expect(problem).toMatchObject({ line: 5, path: 'roles.janitor', message: expect.stringContaining('unknown role "janitor"') });
  });

  it('an unknown type and an unknown field', () => {
    expect(problemsOf((l) => (l[7 - 1] = '      "grants": ["Query.youngPerson", "Youngster.*"],'))[0]).toMatchObject({
      line: 7,
      path: 'roles.practitioner.grants[1]',
      message: 'unknown type "Youngster" in Youngster.*',
    });
    expect(problemsOf((l) => (l[7 - 1] = '      "grants": ["Query.youngPerson", "YoungPerson.shoeSize"],'))[0]).toMatchObject({
      line: 7,
      message: 'type YoungPerson has no field "shoeSize"',
    });
  });

  it('a tier out of range, and a malformed grant', () => {
    expect(problemsOf((l) => (l[6 - 1] = '      "maxTier": 4,'))[0]).toMatchObject({ line: 6, path: 'roles.practitioner.maxTier' });
    expect(problemsOf((l) => (l[7 - 1] = '      "grants": ["everything"],'))[0]).toMatchObject({ line: 7, message: 'expected Type.field or Type.*' });
  });

  it('an undeclared purpose, and an unknown setting', () => {
    expect(problemsOf((l) => (l[8 - 1] = '      "purposes": ["curiosity"]'))[0]).toMatchObject({
      line: 8,
      message: 'purpose "curiosity" is not declared under "purposes"',
    });
    expect(problemsOf((l) => (l[6 - 1] = '      "maxTier": 3, "superuser": true,'))[0]).toMatchObject({ line: 5, path: 'roles.practitioner' });
  });

  it('an identifying field granted to report writers by name', () => {
    const [problem] = problemsOf((l) => {
      l[9 - 1] = '    },';
      l.splice(9, 0, '    "report_writer": { "maxTier": 1, "grants": ["YoungPerson.surname"] }');
    });
    expect(problem).toMatchObject({ line: 10, message: expect.stringContaining('report writers never see identifying fields') });
  });

  it('a JSON syntax error', () => {
    const [problem] = problemsOf((l) => (l[3 - 1] = '  "breakGlass": { "maxMinutes": 60 }'));
    expect(problem).toMatchObject({ line: 4, path: '(syntax)', message: expect.stringContaining('JSON syntax error') });
  });
});
