/**
 * Hostile inputs for test/security/hostile-inputs.e2e.spec.ts (not a spec file): malformed SMILES, injection strings,
 * numeric edge cases, and documents built to exhaust the server (depth, aliases, fragments, introspection fan-out,
 * tokens, batches). Each entry is data; the spec decides which operation it is sent to.
 */

/** Strings that are not valid SMILES (or not molecules at all), with what is wrong. */
export const MALFORMED_SMILES: readonly { what: string; smiles: string }[] = [
  { what: 'unclosed branch', smiles: 'CC(C' },
  { what: 'unopened branch', smiles: 'CC)C' },
  { what: 'unclosed bracket atom', smiles: '[CH3' },
  { what: 'stray closing bracket', smiles: 'C]C' },
  { what: 'nested brackets', smiles: '[[C]]' },
  { what: 'unclosed ring bond', smiles: 'C1CCC' },
  { what: 'ring-closure garbage', smiles: 'C%%1CC%' },
  { what: 'two-digit ring label never closed', smiles: 'C%99CC' },
  { what: 'ring bond to itself', smiles: 'C11' },
  { what: 'unknown element', smiles: '[Xx]' },
  { what: 'aromatic atom outside a ring', smiles: 'c' },
  { what: 'pentavalent carbon', smiles: 'C(C)(C)(C)(C)C' },
  { what: 'empty', smiles: '' },
  { what: 'spaces', smiles: '   ' },
  { what: 'tab and newline', smiles: '\t\n' },
  { what: 'only bonds', smiles: '==##' },
  { what: 'SMARTS, not SMILES', smiles: '[#6;R]~*' },
];

/** Characters of the long-SMILES cases: over LIMITS.maxInputLength (500), and over the 1 MiB body limit. */
export const LONG_SMILES_10K = 'C'.repeat(10_000);
export const HUGE_SMILES_1MB = 'C'.repeat(1024 * 1024);

/** Strings aimed at SQL, HTML/JS, template, path, log and terminal handling, and Unicode tricks. */
export const INJECTION_STRINGS: readonly { what: string; value: string }[] = [
  { what: 'SQL injection', value: "'; DROP TABLE Candidate; --" },
  { what: 'SQL injection (Run)', value: "Robert'); DROP TABLE \"Run\";--" },
  { what: 'SQL tautology', value: "' OR '1'='1" },
  { what: 'HTML/JS', value: '<script>alert(1)</script>' },
  { what: 'JNDI lookup', value: '${jndi:ldap://x}' },
  { what: 'template expression', value: '{{7*7}}${7*7}' },
  { what: 'path traversal', value: '../../etc/passwd' },
  { what: 'NUL byte', value: 'C\u0000C' },
  { what: 'control characters', value: 'C\u0007\u0008\u001b[31mC\r\n' },
  { what: 'emoji', value: '💊🧪C' },
  { what: 'right-to-left override', value: '\u202eOCC' },
  { what: 'zero-width joiner', value: 'C\u200dC' },
  { what: 'lone surrogate', value: 'C\ud800C' },
  { what: 'very long name', value: 'celecoxib'.repeat(600) },
  { what: 'JSON in a string', value: '{"__proto__": {"polluted": true}}' },
];

/**
 * Raw JSON bodies whose numbers GraphQL must refuse. JSON has no NaN or Infinity: `NaN` is not JSON at all (the body
 * parser refuses it), and `1e999` parses to Infinity in JavaScript, which GraphQL's Float refuses.
 */
export const RAW_NUMBER_BODIES: readonly { what: string; body: string; expect: string }[] = [
  {
    what: 'NaN literal in variables (not JSON)',
    body: '{"query":"mutation($r: Float!) { sampleNeighbours(input: { molecule: \\"aspirin\\", radius: $r }) { runId } }","variables":{"r":NaN}}',
    expect: 'BAD_REQUEST',
  },
  {
    what: 'Infinity via 1e999 in variables',
    body: '{"query":"mutation($r: Float!) { sampleNeighbours(input: { molecule: \\"aspirin\\", radius: $r }) { runId } }","variables":{"r":1e999}}',
    expect: 'BAD_USER_INPUT',
  },
  {
    what: '-Infinity via -1e999 as a traverse distance',
    body: '{"query":"mutation($d: Float!) { traverse(input: { molecule: \\"aspirin\\", property: \\"qed\\", distance: $d }) { runId } }","variables":{"d":-1e999}}',
    expect: 'BAD_USER_INPUT',
  },
];

/** A JSON body whose variable is nested `depth` arrays deep (parsers and walkers must not recurse on it). */
export function deeplyNestedVariablesBody(depth: number): string {
  return `{"query":"query($s: [String!]!) { filterMolecules(smiles: $s) { valid } }","variables":{"s":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

/** Numbers that are valid JSON but outside what most arguments allow (sent as variables). */
export const HOSTILE_NUMBERS: readonly { what: string; value: number | string }[] = [
  { what: 'huge float', value: 1e308 },
  { what: 'negative huge float', value: -1e308 },
  { what: 'denormal', value: 5e-324 },
  { what: 'beyond safe integers', value: 2 ** 53 + 2 },
  { what: 'the string NaN', value: 'NaN' },
  { what: 'the string Infinity', value: 'Infinity' },
];

/** `{ __type(name: "Query") { ofType { ofType ... } } }` nested `depth` levels (valid GraphQL, only too deep). */
export function deepQuery(depth: number): string {
  return `{ __type(name: "Query") { ${'ofType { '.repeat(depth - 1)}name${' }'.repeat(depth - 1)} } }`;
}

/** `n` aliases of molecule() in one operation. */
export function aliasBomb(n: number): string {
  const fields = Array.from({ length: n }, (_, i) => `m${i}: molecule(query: "CCO") { valid }`);
  return `{ ${fields.join(' ')} }`;
}

/** Two fragments spreading each other (graphql-js refuses cycles). */
export const FRAGMENT_CYCLE = `
  query { molecule(query: "CCO") { ...A } }
  fragment A on Molecule { valid ...B }
  fragment B on Molecule { canonicalSmiles ...A }
`;

/** A fragment "billion laughs": each level spreads the previous one twice (2^levels fields once expanded). */
export function fragmentBomb(levels: number): string {
  const frags = [`fragment F0 on Molecule { valid canonicalSmiles }`];
  for (let i = 1; i <= levels; i++) frags.push(`fragment F${i} on Molecule { ...F${i - 1} ...F${i - 1} }`);
  return `{ molecule(query: "CCO") { ...F${levels} } } ${frags.join(' ')}`;
}

/** Introspection fan-out within the depth limit: types x fields x type.fields x ... */
export const INTROSPECTION_FAN_OUT = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;

/** The same field selected `n` times, each with @include(if: true) (selections merge; only the directives add up). */
export function directiveBomb(n: number): string {
  return `{ molecule(query: "CCO") { ${'valid @include(if: true) '.repeat(n)} } }`;
}

/** A document of more than `n` tokens but few characters: an inline list of `n` empty strings. */
export function tokenBomb(n: number): string {
  return `{ filterMolecules(smiles: [${'"" '.repeat(n)}]) { valid } }`;
}
