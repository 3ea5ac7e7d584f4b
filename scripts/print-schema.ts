/** Writes the sorted GraphQL schema to schema.gql (commit it: schema changes are reviewed as diffs). */
import 'reflect-metadata';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { buildSchemaSdl } from '../src/graphql/schema';

buildSchemaSdl()
  .then((sdl) => {
    writeFileSync(join(__dirname, '..', 'schema.gql'), sdl);
    console.log(`schema.gql written (${sdl.split('\n').length} lines)`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
