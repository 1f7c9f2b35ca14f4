import fs from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { recordFieldAccess } from '../audit/fieldAccessLog';
import { withAuthorization } from '../authz/fieldGuards';
import { resolvers } from '../resolvers';

/** The project root: the nearest folder above this file with package.json and schema/ (works from src/ and dist/src/). */
export function projectRoot(start = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'schema'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + start);
    dir = parent;
  }
  return dir;
}

/** The unified schema's SDL, one file per domain, in a stable order. */
export function readSchemaSdl(): string[] {
  const dir = path.join(projectRoot(), 'schema');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => fs.readFileSync(path.join(dir, file), 'utf8'));
}

/** The gateway's version, from package.json. */
export function gatewayVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

let sdlOnly: GraphQLSchema | undefined;

/** The schema from the SDL alone (no resolvers): what policy validation and compilation read. */
export function schemaFromSdl(): GraphQLSchema {
  return (sdlOnly ??= makeExecutableSchema({ typeDefs: readSchemaSdl() }));
}

/**
 * The executable schema. With `authorization` (the default, and the only setting the server uses)
 * every field is guarded by its generated rule (src/authz/fieldGuards.ts); the benchmark alone builds it without,
 * to measure what authorization costs.
 */
export function buildGatewaySchema(options: { authorization?: boolean } = {}): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs: readSchemaSdl(),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated resolver types are stricter than graphql-tools' input type
    resolvers: resolvers as any,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  // The audit's recording wraps outermost, so it sees a refusal the guard answers at once.
  return recordFieldAccess(options.authorization === false ? schema : withAuthorization(schema));
}
