import { defaultFieldResolver, getNamedType, isObjectType, type GraphQLError, type GraphQLFieldResolver, type GraphQLSchema, type ResponsePath } from 'graphql';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode } from '../errors/ErrorCode';
import { AUDIT_SUBJECT_TYPES, subjectPersonId } from './auditSubjects';
import { fieldSensitivities } from './fieldSensitivity';

/**
 * What the access audit needs to know of one request's field resolutions, recorded as they happen
 * with as little work as possible: the response path graphql-js already built (converted to an array
 * only when the event is written), the coordinate (a constant per field), the young person whose object
 * the field is on, and for fields returning young people, the value. Parallel arrays, not an object
 * and a closure per field as an Apollo `willResolveField` hook needed.
 */
export class FieldAccessLog {
  readonly paths: ResponsePath[] = [];
  readonly coordinates: string[] = [];
  readonly recorded: boolean[] = [];
  readonly parentSubjects: Array<string | null> = [];
  readonly denied: boolean[] = [];
  /** Index of a field returning young people -> its resolved value. */
  readonly values = new Map<number, unknown>();
  mutationAttempted = false;
  /**
   * Root response keys (a root field, or its alias) whose resolver wrote its own audit event for what it
   * returned (a report run, with its parameters): left out of the request's event, so one read is one event.
   */
  readonly auditedByResolver = new Set<string | number>();

  add(path: ResponsePath, coordinate: string, recorded: boolean, parentSubject: string | null): number {
    this.paths.push(path);
    this.coordinates.push(coordinate);
    this.recorded.push(recorded);
    this.parentSubjects.push(parentSubject);
    this.denied.push(false);
    return this.paths.length - 1;
  }

  get size(): number {
    return this.paths.length;
  }
}

const isForbidden = (value: unknown): boolean =>
  value instanceof Error && (value as GraphQLError).extensions?.code === ErrorCode.FORBIDDEN;

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Wraps, in place, every field the access audit records: personal data (`@sensitivity` tier 1 or more),
 * every mutation, and every field returning one of the subject types (young people). Put it outermost
 * (after authorization's guards), so a refusal the guard answers at once is seen as one. Fields of no
 * interest to the audit are left untouched.
 */
export function recordFieldAccess(schema: GraphQLSchema, subjectTypes: ReadonlySet<string> = AUDIT_SUBJECT_TYPES): GraphQLSchema {
  const sensitivity = fieldSensitivities(schema);
  const mutationType = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const parentIsSubject = subjectTypes.has(type.name);
    const change = type === mutationType;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      // Every change is recorded, whatever its tier: a policy proposal or approval, or a break-glass
      // review, belongs in the tamper-evident chain as much as a read of a child's record.
      const recorded = change || (sensitivity.get(coordinate)?.tier ?? 0) >= 1;
      const returnsSubjects = subjectTypes.has(getNamedType(field.type).name);
      if (!recorded && !returnsSubjects) continue;
      const resolve: GraphQLFieldResolver<unknown, GatewayContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: GatewayContext, info) => {
        const log = context.fieldAccess;
        if (!log) return resolve(source, args, context, info);
        if (change) log.mutationAttempted = true;
        const at = log.add(info.path, coordinate, recorded, parentIsSubject ? subjectPersonId(source) : null);
        const result = resolve(source, args, context, info);
        if (!returnsSubjects) {
          if (result instanceof Error && isForbidden(result)) log.denied[at] = true;
          return result;
        }
        if (Array.isArray(result) && result.some(isPromise)) {
          // A list of promises (one per young person asked for): the people are known once all have settled;
          // if any fails the list's value is not recorded, and each person's own fields still are.
          Promise.all(result).then(
            (values) => log.values.set(at, values),
            () => undefined,
          );
          return result;
        }
        if (isPromise(result)) {
          return result.then((value) => {
            if (isForbidden(value)) log.denied[at] = true;
            else log.values.set(at, value);
            return value;
          });
        }
        if (isForbidden(result)) log.denied[at] = true;
        else log.values.set(at, result);
        return result;
      };
    }
  }
  return schema;
}
