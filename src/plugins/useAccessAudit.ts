import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLFormattedError, type OperationDefinitionNode, type ResponsePath, type SelectionSetNode } from 'graphql';
import type { AuditedPerson, AuditEventInput, AuditOutcome } from '../audit/AuditEvent';
import { subjectPersonId } from '../audit/auditSubjects';
import { FieldAccessLog } from '../audit/fieldAccessLog';
import type { GatewayContext, InvolvedPerson } from '../context/GatewayContext';
import { ErrorCode } from '../errors/ErrorCode';

/** What authorization knows about a request that the audit records. */
export interface RequestAccessFacts {
  /** The purpose the caller stated for this request (X-Purpose), or null. */
  readonly purpose: string | null;
  /** The break-glass grant under which this person's data was reached in this request, or null. */
  breakGlassIdFor(personId: string): string | null;
}

export const AUDIT_UNAVAILABLE_MESSAGE = 'Access could not be recorded, so no personal data was returned. Try again; if it persists, quote the x-request-id header.';
export const MUTATION_AUDIT_UNAVAILABLE_MESSAGE = 'The change could not be recorded in the access audit, so nothing was changed. Try again; if it persists, quote the x-request-id header.';

/** The operation as the audit names it: `mutation ChangeAddress`, `query`, ... */
function operationLabel(operation: OperationDefinitionNode | undefined): string | null {
  return operation ? `${operation.operation}${operation.name ? ` ${operation.name.value}` : ''}` : null;
}

/** The root fields an operation asks for, through fragments, each once in order. */
function rootFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, into = new Set<string>()): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, fragments, into);
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) rootFields(fragment.selectionSet, fragments, into);
    }
  }
  return into;
}

/** Purpose and break-glass as the request's authorization decided them. */
export function defaultAccessFacts(context: GatewayContext): RequestAccessFacts {
  return { purpose: context.authz.purpose, breakGlassIdFor: (personId) => context.authz.breakGlassIdFor(personId) };
}

export interface UseAccessAuditOptions {
  /** Purpose and break-glass for the request; see `defaultAccessFacts`. */
  accessFacts?: (context: GatewayContext) => RequestAccessFacts;
}

type Path = ReadonlyArray<string | number>;

/** A personal-data field, a mutation, or a field returning young people, as it resolved in this request. */
interface ResolvedField {
  path: Path;
  coordinate: string;
  /** Whether it counts in the event's returned/denied: personal data (tier 1+) or a mutation. */
  recorded: boolean;
  /** The young person whose object this field is on. */
  parentSubject: string | null;
  /** For fields returning young people: each one, with where it sits in the response. */
  valueSubjects: Array<{ path: Path; personId: string }> | null;
  denied: boolean;
  /**
   * The young person whose object this field sits under (nearest), when already known; absent, it is
   * found from the other fields' paths.
   */
  owner?: string | null;
}

function pathOf(path: ResponsePath): Path {
  const keys: Array<string | number> = [];
  for (let at: ResponsePath | undefined = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse();
}

const keyOf = (path: Path): string => path.join('\u0000');

const FAILED_READ_CODES: ReadonlySet<string> = new Set([ErrorCode.SOURCE_UNAVAILABLE, ErrorCode.INTERNAL_SERVER_ERROR]);

/** Whether `prefix` is `path` or one of its ancestors. */
const isPrefix = (prefix: Path, path: Path): boolean => prefix.length <= path.length && prefix.every((key, i) => path[i] === key);

/** The log's fields in the shape `auditEventOf` reads (paths as arrays), built once per request. */
function resolvedFields(log: FieldAccessLog): ResolvedField[] {
  // Where each young person's object sits, by graphql-js's own path objects (shared by every field below
  // it): the nearest owner is found by walking up, without building a key per level.
  const subjectAt = new Map<ResponsePath, string>();
  for (let i = 0; i < log.size; i++) {
    const subject = log.parentSubjects[i];
    const parent = log.paths[i]!.prev;
    if (subject && parent) subjectAt.set(parent, subject);
  }
  const ownerOf = (path: ResponsePath): string | null => {
    for (let at = path.prev; at; at = at.prev) {
      const owner = subjectAt.get(at);
      if (owner) return owner;
    }
    return null;
  };
  const rootKey = (path: ResponsePath): string | number => {
    let at = path;
    while (at.prev) at = at.prev;
    return at.key;
  };
  const skip = log.auditedByResolver;
  const fields: ResolvedField[] = [];
  for (let i = 0; i < log.size; i++) {
    if (skip.size > 0 && skip.has(rootKey(log.paths[i]!))) continue;
    const path = pathOf(log.paths[i]!);
    const value = log.values.get(i);
    fields.push({
      path,
      coordinate: log.coordinates[i]!,
      recorded: log.recorded[i]!,
      parentSubject: log.parentSubjects[i]!,
      valueSubjects: value != null ? subjectsIn(value, path) : null,
      denied: log.denied[i]!,
      owner: log.parentSubjects[i] ?? ownerOf(log.paths[i]!),
    });
  }
  return fields;
}

/** The value at `path` in the response data; undefined when it or any parent is null or absent. */
function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value ?? undefined;
}

function subjectsIn(value: unknown, path: Path): Array<{ path: Path; personId: string }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => subjectsIn(item, [...path, index]));
  const personId = subjectPersonId(value);
  return personId ? [{ path, personId }] : [];
}

/**
 * Audits every request that reaches personal data (a field whose `@sensitivity` tier is 1 or more) or
 * calls a mutation:
 * who, when, the young people whose data was actually returned or refused, the coordinates, purpose,
 * break-glass and outcome. The event is written to the gateway store's chain before the response
 * leaves; when it cannot be written the response carries no data, only AUDIT_UNAVAILABLE (fail closed).
 *
 * "Returned" is judged on the response as sent: a field counts when its value is not null there (an
 * empty list counts: it says there is nothing), so values nulled by a failing parent do not count.
 */
export function useAccessAudit(options: UseAccessAuditOptions = {}): ApolloServerPlugin<GatewayContext> {
  const { accessFacts = defaultAccessFacts } = options;
  return {
    async requestDidStart({ contextValue }) {
      // The schema's fields record themselves here as they resolve (src/audit/fieldAccessLog.ts): no per-field hook.
      const log = new FieldAccessLog();
      contextValue.fieldAccess = log;
      return {
        // Runs after validation and the operation limits, before execution. A mutation is recorded before it can change
        // anything: if that record cannot be written, it does not run (fail closed, as reads do).
        async responseForOperation({ operation, document, contextValue }) {
          if (operation.operation !== 'mutation') return null;
          const fragments = new Map(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const fields = [...rootFields(operation.selectionSet, fragments)].join(', ');
          const label = `${operationLabel(operation)} [${fields}]`;
          try {
            await contextValue.services.audit.record({
              at: contextValue.services.clock.now().toISOString(),
              requestId: contextValue.requestId,
              principal: { sub: contextValue.principal.sub, roles: [...contextValue.principal.roles], tier: contextValue.principal.tier, units: [...contextValue.principal.units] },
              operation: label.length > 256 ? `${label.slice(0, 255)}\u2026` : label,
              purpose: accessFacts(contextValue).purpose,
              people: [],
              returned: [],
              denied: [],
              outcome: 'STARTED',
            });
            return null;
          } catch (error) {
            contextValue.log.error({ err: error }, 'audit event could not be written: the mutation was not run');
            const refusal: GraphQLFormattedError = { message: MUTATION_AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } };
            return { http: { status: 503, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: null, errors: [refusal] } } };
          }
        },
        async willSendResponse({ response, contextValue, operation }) {
          // Incremental delivery (@defer) needs graphql 17; with graphql 16 every response is a single result.
          if ((log.size === 0 && !log.mutationAttempted) || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const fields = resolvedFields(log);
          if (fields.length === 0 && !log.mutationAttempted) return;
          const event = auditEventOf(fields, result.data, result.errors ?? [], log.mutationAttempted, {
            at: contextValue.services.clock.now().toISOString(),
            requestId: contextValue.requestId,
            principal: contextValue.principal,
            operation: operationLabel(operation),
            facts: accessFacts(contextValue),
            involved: contextValue.involved ?? [],
          });
          if (!event) return;
          try {
            await contextValue.services.audit.record(event);
          } catch (error) {
            contextValue.log.error({ err: error }, 'audit event could not be written: personal data withheld from the response');
            const refusal: GraphQLFormattedError = { message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } };
            response.body = { kind: 'single', singleResult: { data: null, errors: [refusal] } };
            response.http.status = 503;
          }
        },
      };
    },
  };
}

interface EventFrame {
  at: string;
  requestId: string;
  principal: AuditEventInput['principal'];
  operation: string | null;
  facts: RequestAccessFacts;
  /** People a mutation concerned beyond its response (see `InvolvedPerson`). */
  involved?: readonly InvolvedPerson[];
}

/** The audit event for what a request returned and was refused; null when it touched no personal data. */
export function auditEventOf(
  fields: readonly ResolvedField[],
  data: unknown,
  errors: readonly GraphQLFormattedError[],
  mutationAttempted: boolean,
  frame: EventFrame,
): AuditEventInput | null {
  const deniedPaths = new Set(errors.filter((e) => e.path && e.extensions?.code === ErrorCode.FORBIDDEN).map((e) => keyOf(e.path!)));
  // Where each young person's object sits in the response.
  // Built only for fields whose owner is not known yet (unit tests give paths alone).
  let subjectAt: Map<string, string> | undefined;
  const subjects = () => {
    if (subjectAt) return subjectAt;
    subjectAt = new Map<string, string>();
    for (const field of fields) {
      if (field.parentSubject) subjectAt.set(keyOf(field.path.slice(0, -1)), field.parentSubject);
      for (const value of field.valueSubjects ?? []) subjectAt.set(keyOf(value.path), value.personId);
    }
    return subjectAt;
  };
  const ownerOf = (field: ResolvedField): string | null => {
    if (field.parentSubject) return field.parentSubject;
    if (field.owner !== undefined) return field.owner;
    const subjectAt = subjects();
    for (let length = field.path.length - 1; length >= 1; length--) {
      const owner = subjectAt.get(keyOf(field.path.slice(0, length)));
      if (owner) return owner;
    }
    return null;
  };
  const people = new Map<string, { returned: Set<string>; denied: Set<string> }>();
  const person = (personId: string) => {
    let entry = people.get(personId);
    if (!entry) people.set(personId, (entry = { returned: new Set(), denied: new Set() }));
    return entry;
  };
  const returned = new Set<string>();
  const denied = new Set<string>();
  for (const field of fields) {
    if (!field.recorded) continue;
    if (field.denied || (deniedPaths.size > 0 && deniedPaths.has(keyOf(field.path)))) {
      denied.add(field.coordinate);
      const owner = ownerOf(field);
      if (owner) person(owner).denied.add(field.coordinate);
      continue;
    }
    if (valueAt(data, field.path) === undefined) continue;
    returned.add(field.coordinate);
    if (field.valueSubjects) {
      for (const value of field.valueSubjects) {
        if (valueAt(data, value.path) !== undefined) person(value.personId).returned.add(field.coordinate);
      }
    } else {
      const owner = ownerOf(field);
      if (owner) person(owner).returned.add(field.coordinate);
    }
  }
  // A mutation's change (or refusal) is recorded against every person it concerned, not only the one it returns.
  for (const entry of frame.involved ?? []) {
    if (entry.refused) person(entry.personId).denied.add(entry.coordinate);
    else person(entry.personId).returned.add(entry.coordinate);
  }
  // A read that reached for personal data and failed on the way (a source down, a fault) is an attempt the
  // chain must show too: the sources were asked about a child even though nothing came back. A refusal the
  // gateway gave before asking anyone (NOT_FOUND, BAD_USER_INPUT) writes nothing, as before.
  const failedRead =
    returned.size === 0 &&
    denied.size === 0 &&
    !mutationAttempted &&
    errors.some((error) => error.path && FAILED_READ_CODES.has(String(error.extensions?.code)) && fields.some((field) => isPrefix(field.path, error.path!)));
  if (returned.size === 0 && denied.size === 0 && !mutationAttempted && !failedRead) return null;
  const outcome: AuditOutcome = denied.size ? (returned.size ? 'PARTIAL' : 'DENIED') : returned.size ? 'RETURNED' : 'FAILED';
  const auditedPeople: AuditedPerson[] = [...people.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([personId, entry]) => ({
      personId,
      breakGlassId: frame.facts.breakGlassIdFor(personId),
      returned: [...entry.returned].sort(),
      denied: [...entry.denied].sort(),
    }));
  return {
    at: frame.at,
    requestId: frame.requestId,
    principal: {
      sub: frame.principal.sub,
      roles: [...frame.principal.roles],
      tier: frame.principal.tier,
      units: [...frame.principal.units],
    },
    operation: frame.operation,
    purpose: frame.facts.purpose,
    people: auditedPeople,
    returned: [...returned].sort(),
    denied: [...denied].sort(),
    outcome,
  };
}
