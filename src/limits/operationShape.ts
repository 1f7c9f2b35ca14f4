import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** What an operation asks for, counted as execution would see it (fragments expanded). */
export interface OperationShape {
  /** Fields selected at the root, one per response key (`a: searchYoungPeople ... b: searchYoungPeople` is 2). */
  rootFields: number;
  /** Fields selected under an alias, anywhere, each time a fragment holding one is spread. */
  aliases: number;
  /** Deepest field nesting: `{ youngPerson { orders { id } } }` is 3. */
  depth: number;
}

interface Measure {
  aliases: number;
  depth: number;
}

/**
 * Measures an operation's root fields, aliases and depth. Each fragment is measured once and reused
 * wherever it is spread, so the work is linear in the document's size even when nested spreads
 * would expand exponentially (the counts then grow large, and are refused). Runs on a validated
 * document: fragment cycles have been refused already; a spread of an unknown fragment counts as empty.
 */
export function operationShape(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): OperationShape {
  const measured = new Map<string, Measure>();
  const inProgress = new Set<string>();

  const measureSet = (set: SelectionSetNode): Measure => {
    let aliases = 0;
    let depth = 0;
    for (const selection of set.selections) {
      let inner: Measure;
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? measureSet(selection.selectionSet) : { aliases: 0, depth: 0 };
        inner = { aliases: child.aliases + (selection.alias ? 1 : 0), depth: child.depth + 1 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measureSet(selection.selectionSet);
      } else {
        inner = measureFragment(selection.name.value);
      }
      aliases += inner.aliases;
      depth = Math.max(depth, inner.depth);
    }
    return { aliases, depth };
  };

  const measureFragment = (name: string): Measure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return { aliases: 0, depth: 0 };
    inProgress.add(name);
    const result = measureSet(fragment.selectionSet);
    inProgress.delete(name);
    measured.set(name, result);
    return result;
  };

  const rootKeys = new Set<string>();
  const seenAtRoot = new Set<string>();
  const collectRoot = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) rootKeys.add((selection.alias ?? selection.name).value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collectRoot(selection.selectionSet);
      else if (!seenAtRoot.has(selection.name.value)) {
        seenAtRoot.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collectRoot(fragment.selectionSet);
      }
    }
  };
  collectRoot(operation.selectionSet);

  const whole = measureSet(operation.selectionSet);
  return { rootFields: rootKeys.size, aliases: whole.aliases, depth: whole.depth };
}
