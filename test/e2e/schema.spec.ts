import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { buildSchemaSdl, RESOLVERS } from '../../src/graphql/schema';

/** Names of the classes decorated with @Resolver anywhere in src/. */
function resolverClassesInSource(dir = join(__dirname, '..', '..', 'src')): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...resolverClassesInSource(p));
    else if (e.name.endsWith('.ts')) {
      for (const m of readFileSync(p, 'utf8').matchAll(/@Resolver\((?:[^()]|\([^()]*\))*\)\s*export class (\w+)/g)) out.push(m[1]);
    }
  }
  return out.sort();
}

describe('committed GraphQL schema', () => {
  it('is generated from every resolver class in src/', () => {
    const found = resolverClassesInSource();
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(RESOLVERS.map((r) => r.name).sort()).toEqual(found);
  });

  it('schema.gql matches the schema generated from the code (run `npm run schema` after API changes)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8');
    expect(await buildSchemaSdl()).toBe(committed);
  });
});
