import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ResponsePath } from 'graphql';
import type { AuditedPerson, AuditEventInput, AuditOutcome } from '../audit/AuditEvent';
import { AUDIT_SUBJECT_TYPES, subjectPersonId } from '../audit/auditSubjects';
import { fieldSensitivities } from '../audit/fieldSensitivity';
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

/** Purpose and break-glass as the request's authorization decided them. */
export function defaultAccessFacts(context: GatewayContext): RequestAccessFacts {
  return { purpose: context.authz.purpose, breakGlassIdFor: (personId) => context.authz.breakGlassIdFor(personId) };
}

export interface UseAccessAuditOptions {
  schema: () => GraphQLSchema;
  /** Purpose and break-glass for the request; see `defaultAccessFacts`. */
  accessFacts?: (context: GatewayContext) => RequestAccessFacts;
  /** Types whose objects belong to one young person (`personId`). */
  subjectTypes?: ReadonlySet<string>;
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
}

function pathOf(path: ResponsePath): Path {
  const keys: Array<string | number> = [];
  for (let at: ResponsePath | undefined = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse();
}

const keyOf = (path: Path): string => path.join('\u0000');

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

const isForbidden = (error: unknown): boolean =>
  (error as GraphQLError | null)?.extensions?.code === ErrorCode.FORBIDDEN;

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
export function useAccessAudit(options: UseAccessAuditOptions): ApolloServerPlugin<GatewayContext> {
  const { accessFacts = defaultAccessFacts, subjectTypes = AUDIT_SUBJECT_TYPES } = options;
  return {
    async requestDidStart() {
      const fields: ResolvedField[] = [];
      let mutationAttempted = false;
      return {
        async executionDidStart() {
          const schema = options.schema();
          const sensitivity = fieldSensitivities(schema);
          const mutationType = schema.getMutationType();
          return {
            willResolveField({ source, info }) {
              const coordinate = `${info.parentType.name}.${info.fieldName}`;
              // Every change is recorded, whatever its tier: a policy proposal or approval, or a break-glass
              // review, belongs in the tamper-evident chain as much as a read of a child's record.
              const change = info.parentType === mutationType;
              const recorded = change || (sensitivity.get(coordinate)?.tier ?? 0) >= 1;
              const returnsSubjects = subjectTypes.has(getNamedType(info.returnType).name);
              if (!recorded && !returnsSubjects) return;
              if (change) mutationAttempted = true;
              const parentSubject = subjectTypes.has(info.parentType.name) ? subjectPersonId(source) : null;
              const path = pathOf(info.path);
              return (error, result) => {
                fields.push({
                  path,
                  coordinate,
                  recorded,
                  parentSubject,
                  valueSubjects: returnsSubjects && result != null ? subjectsIn(result, path) : null,
                  denied: isForbidden(error),
                });
              };
            },
          };
        },

        async willSendResponse({ response, contextValue, operation }) {
          // Incremental delivery (@defer) needs graphql 17; with graphql 16 every response is a single result.
          if ((fields.length === 0 && !mutationAttempted) || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const event = auditEventOf(fields, result.data, result.errors ?? [], mutationAttempted, {
            at: contextValue.services.clock.now().toISOString(),
            requestId: contextValue.requestId,
            principal: contextValue.principal,
            operation: operation ? `${operation.operation}${operation.name ? ` ${operation.name.value}` : ''}` : null,
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
  const subjectAt = new Map<string, string>();
  for (const field of fields) {
    if (field.parentSubject) subjectAt.set(keyOf(field.path.slice(0, -1)), field.parentSubject);
    for (const value of field.valueSubjects ?? []) subjectAt.set(keyOf(value.path), value.personId);
  }
  const ownerOf = (field: ResolvedField): string | null => {
    if (field.parentSubject) return field.parentSubject;
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
    if (field.denied || deniedPaths.has(keyOf(field.path))) {
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
  if (returned.size === 0 && denied.size === 0 && !mutationAttempted) return null;
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
