import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { projectRoot, readSchemaSdl } from '../schema/buildSchema';

/**
 * Writes the gateway's schema as one SDL file for front-end tools (codegen, editors):
 * `npm run schema:print [-- --out file]`, client/schema.graphql by default. Sorted, so it diffs cleanly.
 */
export function gatewaySdl(): string {
  return printSchema(lexicographicSortSchema(makeExecutableSchema({ typeDefs: readSchemaSdl() })));
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = path.resolve(values.out ?? path.join(projectRoot(), 'client', 'schema.graphql'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${gatewaySdl()}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), out) || out}\n`);
}

if (require.main === module) main();
