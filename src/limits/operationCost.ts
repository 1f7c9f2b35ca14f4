import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldWork } from './fieldWork';

/** What each kind of work costs, in units of one field resolved for one item. */
export interface CostWeights {
  /** One (batched) call to a source or the gateway store. */
  sourceCall: number;
  /** One search or walk over a whole collection (see fieldWork). */
  search: number;
  /** Items assumed in a list whose size no argument bounds (a person's contacts, orders, ...). */
  assumedListLength: number;
}

/**
 * The cost of a selection set is linear in how many parent items it runs for: `perItem` is paid for
 * each (field resolutions, multiplied down nested lists), `fixed` once (batched source calls and
 * searches do not grow with the list, DataLoader makes them one call). Keeping the two apart lets
 * each fragment be costed once, whatever the list sizes around its spreads.
 */
interface Cost {
  perItem: number;
  fixed: number;
}

/**
 * Estimates what an operation will cost before it runs: 1 per field per item it resolves for
 * (`first` or the number of `ids` for a list, the connection's `first` for its `edges`, else
 * `assumedListLength`), plus `sourceCall` for each distinct batched source call in each selection set
 * and `search` for each search (per item, when a list holds it). Skip/include directives are ignored (the estimate assumes the field runs).
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  weights: CostWeights,
): number {
  const memo = new Map<string, Cost>();

  const costOfSet = (set: SelectionSetNode, type: GraphQLCompositeType, edgesSize: number): Cost => {
    let perItem = 0;
    let fixed = 0;
    const batches = new Set<string>();
    const add = (cost: Cost) => {
      perItem += cost.perItem;
      fixed += cost.fixed;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) add(costOfSet(selection.selectionSet, on, edgesSize));
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !on || !isCompositeType(on)) continue;
        const key = `${fragment.name.value}:${edgesSize}`;
        let cost = memo.get(key);
        if (!cost) {
          memo.set(key, { perItem: 0, fixed: 0 }); // a cycle (refused by validation anyway) costs nothing more
          cost = costOfSet(fragment.selectionSet, on, edgesSize);
          memo.set(key, cost);
        }
        add(cost);
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename' || !isObjectType(type)) continue;
      // Introspection is costed like data, so nesting its lists (types { fields { type { fields ... } } }) multiplies too.
      const field: GraphQLField<unknown, unknown> | undefined =
        name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : type.getFields()[name];
      if (!field) continue;
      const args = getArgumentValues(field, selection, variables);
      const work = fieldWork(type.name, name, (selection.alias ?? selection.name).value);
      // A search is never batched: under a list it runs for each item.
      if (work.kind === 'search') perItem += weights.search;
      else if (work.kind === 'source' && !batches.has(work.batch)) {
        batches.add(work.batch);
        fixed += weights.sourceCall;
      }
      perItem += 1;
      if (!selection.selectionSet) continue;
      const named = getNamedType(field.type);
      if (!isCompositeType(named)) continue;
      const first = typeof args.first === 'number' ? Math.max(0, args.first) : null;
      const isConnection = isObjectType(named) && 'edges' in named.getFields();
      let items = 1;
      if (name === 'edges') items = edgesSize;
      else if (isListType(getNullableType(field.type))) {
        items = first ?? (Array.isArray(args.ids) ? args.ids.length : weights.assumedListLength);
      }
      const child = costOfSet(selection.selectionSet, named, isConnection ? (first ?? weights.assumedListLength) : 1);
      perItem += items * child.perItem;
      fixed += child.fixed;
    }
    return { perItem, fixed };
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const cost = costOfSet(operation.selectionSet, root, 1);
  return cost.perItem + cost.fixed;
}
