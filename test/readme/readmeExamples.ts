import { Kind, parse, print, type DefinitionNode, type OperationDefinitionNode } from 'graphql';

/**
 * The README's fenced examples, read the way a newcomer reads them. Conventions (stated in the README's
 * "Trying the examples"):
 * - a ```bash / ```sh block is a shell script, run on its own as printed (only the port changes);
 * - a ```graphql block is one or more operations, run in order. Comment lines set who runs them:
 *   `# as: <npm run token arguments>` and `# X-Purpose: <purpose>` apply to the operations after them;
 *   `# $name = field from ...` fills variable `$name` with the first `field` in the latest answer that has
 *   one; `# variables: {json}` and `# error: CODE [REASON]` apply to the operation they follow or sit in
 *   (above the first operation: to the first).
 * - `<!-- not run: why -->` on the line before a block keeps it out of the test (a long-running command).
 * Other languages (json, plain text) are not examples.
 */
export interface ReadmeBlock {
  language: string;
  text: string;
  /** 1-based line of the opening fence, to name the block in failures. */
  line: number;
  notRun: string | null;
}

const FENCE = /^```(\w*)\s*$/;
const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->\s*$/;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!);
    const before = start > 0 ? NOT_RUN.exec(lines[start - 1]!) : null;
    blocks.push({ language: open[1]!, text: body.join('\n'), line: start + 1, notRun: before ? before[1]! : null });
  }
  return blocks;
}

export const SHELL = new Set(['bash', 'sh', 'shell']);

export interface Caller {
  /** Arguments as given to `npm run token --`. */
  tokenArgs: string[];
  purpose: string | null;
}

export interface ExpectedError {
  code: string;
  reason: string | null;
}

export interface ReadmeOperation {
  /** The operation with the fragments it spreads, as sent. */
  query: string;
  name: string;
  caller: Caller | null;
  literalVariables: Record<string, unknown>;
  /** Variable name -> the answer field it is taken from. */
  variableSources: Record<string, string>;
  variableNames: string[];
  error: ExpectedError | null;
}

interface Directive {
  offset: number;
  kind: 'as' | 'purpose' | 'source' | 'variables' | 'error';
  value: string;
}

const DIRECTIVES: Array<[Directive['kind'], RegExp]> = [
  ['as', /#\s*as:\s*(.+)$/],
  ['purpose', /#\s*X-Purpose:\s*(\S+)/i],
  ['source', /#\s*(\$\w+\s*=\s*\w+)\b/],
  ['variables', /#\s*variables:\s*(\{.*\})\s*$/],
  ['error', /#\s*error:\s*([A-Z_]+(?:\s+[A-Z_]+)?)/],
];

function directivesOf(text: string): Directive[] {
  const found: Directive[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const hash = line.indexOf('#');
    if (hash >= 0) {
      const comment = line.slice(hash);
      for (const [kind, pattern] of DIRECTIVES) {
        const match = pattern.exec(comment);
        if (match) found.push({ offset: offset + hash, kind, value: match[1]! });
      }
    }
    offset += line.length + 1;
  }
  return found;
}

/** Splits `npm run token -- --role a --tier 3` style arguments (no quoting needed in the README). */
function tokenArgsOf(value: string): string[] {
  // A note in brackets may follow the arguments: `# as: --role practitioner --tier 3 (the holder)`.
  return value.replace(/^npm run -s token --\s*/, '').replace(/\(.*$/, '').trim().split(/\s+/);
}

/** The operations of one ```graphql block, each with its caller, variables and expected outcome. */
export function graphqlOperations(text: string): ReadmeOperation[] {
  const document = parse(text);
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const directives = directivesOf(text);
  const startOf = (definition: DefinitionNode) => definition.loc!.start;
  return operations.map((operation, index) => {
    const start = startOf(operation);
    const nextStart = index + 1 < operations.length ? startOf(operations[index + 1]!) : Infinity;
    // Callers are set before the operations they apply to; the rest belong to the operation they sit in or follow.
    const before = directives.filter((d) => d.offset < start);
    // Variables or an expected error written above the block's first operation are that operation's.
    const own = directives.filter((d) => (index === 0 || d.offset >= start) && d.offset < nextStart);
    const lastAs = [...before].reverse().find((d) => d.kind === 'as');
    const lastPurpose = [...before].reverse().find((d) => d.kind === 'purpose' && (!lastAs || d.offset > lastAs.offset));
    const literal = own.find((d) => d.kind === 'variables');
    const error = own.find((d) => d.kind === 'error');
    const variableSources: Record<string, string> = {};
    for (const d of [...before, ...own].filter((x) => x.kind === 'source')) {
      const [variable, field] = d.value.split('=').map((part) => part.trim());
      variableSources[variable!.slice(1)] = field!;
    }
    const used = text.slice(start, operation.loc!.end);
    const spread = fragments.filter((f) => f.kind === Kind.FRAGMENT_DEFINITION && used.includes(`...${f.name.value}`));
    return {
      query: [print(operation), ...spread.map((f) => print(f))].join('\n'),
      name: operation.name?.value ?? `${operation.operation} #${index + 1}`,
      caller: lastAs ? { tokenArgs: tokenArgsOf(lastAs.value), purpose: lastPurpose?.value ?? null } : null,
      literalVariables: literal ? (JSON.parse(literal.value) as Record<string, unknown>) : {},
      variableSources,
      variableNames: (operation.variableDefinitions ?? []).map((v) => v.variable.name.value),
      error: error ? { code: error.value.split(/\s+/)[0]!, reason: error.value.split(/\s+/)[1] ?? null } : null,
    };
  });
}

/** The first value of `field` in an answer, depth first in document order (null when it has none). */
export function firstValueOf(answer: unknown, field: string): unknown {
  if (Array.isArray(answer)) {
    for (const item of answer) {
      const found = firstValueOf(item, field);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (answer && typeof answer === 'object') {
    for (const [key, value] of Object.entries(answer)) {
      if (key === field && value !== null && typeof value !== 'object') return value;
      const found = firstValueOf(value, field);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Whether a root field's answer says nothing: null, an empty list, a connection with no edges, no cells. */
export function isEmptyAnswer(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.edges)) return record.edges.length === 0;
    if (Array.isArray(record.cells)) return record.cells.length === 0;
  }
  return false;
}
