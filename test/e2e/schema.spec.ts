import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSchemaSdl } from '../../src/graphql/schema';

describe('committed GraphQL schema', () => {
  it('schema.gql matches the schema generated from the code (run `npm run schema` after API changes)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8');
    expect(await buildSchemaSdl()).toBe(committed);
  });
});
