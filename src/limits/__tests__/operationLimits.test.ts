import { getIntrospectionQuery, Kind, Lexer, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { buildGatewaySchema } from '../../schema/buildSchema';
import { countTokens } from '../countTokens';
import { operationCost } from '../operationCost';
import { operationShape } from '../operationShape';

const schema = buildGatewaySchema({ authorization: false });
const weights = { sourceCall: 100, search: 300, assumedListLength: 5 };

function parts(text: string) {
  const document = parse(text);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return { operation, fragments };
}
const shape = (text: string) => {
  const { operation, fragments } = parts(text);
  return operationShape(operation, fragments);
};
const cost = (text: string, variables: Record<string, unknown> = {}) => {
  const { operation, fragments } = parts(text);
  return operationCost(schema, operation, fragments, variables, weights);
};

describe('countTokens', () => {
  it('counts punctuators, names and strings, and stops just past the limit', () => {
    expect(countTokens('{ youngPerson(id: "P-1") { id } }', 100)).toBe(11);
    // Counted, not timed: a 100,000-token document is read only as far as the limit.
    const huge = `{ ${'a '.repeat(100_000)}}`;
    const advance = jest.spyOn(Lexer.prototype, 'advance');
    try {
      expect(countTokens(huge, 1_000)).toBe(1_001);
      expect(advance).toHaveBeenCalledTimes(1_001);
    } finally {
      advance.mockRestore();
    }
  });

  it('leaves a syntax error to the parser (counts what it read)', () => {
    expect(countTokens('{ "unterminated', 100)).toBe(1);
  });
});

describe('operationShape', () => {
  it('counts root fields by response key, aliases anywhere, and depth, through fragments', () => {
    const text = `query { a: youngPerson(id: "1") { id ...F } b: youngPerson(id: "2") { id } ...R }
      fragment F on YoungPerson { x: orders { y: id breachWarnings { strike } } }
      fragment R on Query { c: gatewayInfo { version } }`;
    expect(shape(text)).toEqual({ rootFields: 3, aliases: 5, depth: 4 });
  });

  it('measures nested spreads once each, however far they would expand', () => {
    // Each level spreads the one below twice: expanded, 2^20 aliases; measured in linear time.
    const levels = Array.from({ length: 20 }, (_, i) => `fragment L${i} on YoungPerson { ...L${i + 1} ...L${i + 1} }`).join('\n');
    const text = `{ youngPerson(id: "1") { ...L0 } }\n${levels}\nfragment L20 on YoungPerson { n: id }`;
    const { operation, fragments } = parts(text);
    // Counted, not timed: each of the 21 fragments is looked up once (expanding would be 2^21 lookups).
    let lookups = 0;
    const counting = new Map([...fragments].map(([name, fragment]) => [name, fragment]));
    const get = counting.get.bind(counting);
    counting.get = (name: string) => {
      lookups += 1;
      return get(name);
    };
    expect(operationShape(operation, counting).aliases).toBe(2 ** 20);
    expect(lookups).toBeLessThanOrEqual(21);
  });

  it('the standard introspection query is 15 deep (the default depth limit lets GraphQL tools in)', () => {
    expect(shape(getIntrospectionQuery()).depth).toBe(15);
  });
});

describe('operationCost', () => {
  it('a search costs what a search costs, per occurrence: 1,000 aliased searches are priced as 1,000 searches', () => {
    const one = cost('{ searchYoungPeople(criteria: { name: "x" }) { totalCount } }');
    const bomb = cost(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: searchYoungPeople(criteria: { name: "x" }) { totalCount }`).join(' ')} }`);
    expect(one).toBe(300 + 1 + 1);
    expect(bomb).toBe(1000 * one);
  });

  it('a batched source call costs once per place in the query, not once per item; fields cost per item', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `P-${i}`);
    const q = (fields: string) => `query($ids: [ID!]!) { youngPeople(ids: $ids) { ${fields} } }`;
    const idOnly = cost(q('id'), { ids });
    expect(idOnly).toBe(100 + 1 + 100); // the lookup, the root field, id for each of 100
    // forename and surname share the golden view's one call; contacts is one more call and 5 assumed items of 1 field.
    expect(cost(q('id forename surname'), { ids }) - idOnly).toBe(100 + 200);
    expect(cost(q('id contacts { contactType }'), { ids }) - idOnly).toBe(100 + 100 * (1 + 5));
  });

  it("a connection's first multiplies its edges, not its totalCount", () => {
    const small = cost('{ searchYoungPeople(criteria: { name: "x" }, first: 10) { totalCount edges { node { id } } } }');
    const large = cost('{ searchYoungPeople(criteria: { name: "x" }, first: 20) { totalCount edges { node { id } } } }');
    expect(large - small).toBe(10 * 2); // node and id for 10 more items (edges itself resolves once)
  });

  it('costs a fragment the same wherever it is spread, from variables and defaults', () => {
    const text = 'query($n: Int) { referrals(first: $n) { ...R } } fragment R on Referral { id status }';
    expect(cost(text, { n: 10 })).toBe(100 + 1 + 10 * 2);
    expect(cost(text, {})).toBe(100 + 1 + 50 * 2); // the schema's default first: 50
  });
});
