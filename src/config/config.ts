import { loadSecurityConfig, type SecurityConfig } from '../auth/security-config';

/**
 * Explicit limits on every request. They are part of the API contract and listed in README.md ("Limits").
 * Exceeding one returns a `LIMIT_EXCEEDED` or `BAD_USER_INPUT` GraphQL error; none is silently clipped.
 */
export const LIMITS = Object.freeze({
  /** Characters in a SMILES or name argument. */
  maxInputLength: 500,
  /** Interpolation intervals (the path has steps + 1 points). */
  minSteps: 2,
  maxSteps: 50,
  /** Molecules in one filterMolecules call. */
  maxFilterBatch: 1000,
  /** Oracle calls (scored distinct valid molecules) in one optimize call or job. */
  minBudget: 10,
  maxBudget: 10000,
  /** Population per start and generation of an optimiser. */
  maxPopulation: 256,
  /** Seed molecules of one ask/tell session, or further seeds of one optimize call. */
  maxAskTellSeeds: 10,
  /** Ranked results returned by optimize. */
  maxTopK: 100,
  /** Page size for candidates connections. */
  maxPageSize: 200,
  /** Depiction size in pixels. */
  maxSvgSize: 1000,
  /** Decode attempts per interpolation point (1 greedy + sampled retries). */
  interpolationAttempts: 16,
  /** Neighbours requested from one sampleNeighbours call. */
  maxNeighbours: 100,
  /** sampleNeighbours attempt budget: at most this many decodes per requested neighbour. */
  neighbourDecodesPerResult: 20,
  /** Noise radius of sampleNeighbours (std of the latent noise), latent units; must be > 0. */
  maxRadius: 5,
  /** traverse intervals (the walk has steps + 1 points). */
  minTraverseSteps: 2,
  maxTraverseSteps: 50,
  /** |distance| of a traverse, latent units; must be non-zero. */
  maxTraverseDistance: 20,
  /** Sampling temperature of the decoding option (must be > 0). */
  maxTemperature: 5,
  /** topK of sampled decoding: 1..maxSampleTopK tokens. */
  maxSampleTopK: 100,
  /** GraphQL documents (docs/security.md; QUERY_TOO_COMPLEX): nesting depth of selections (fragments counted). */
  maxQueryDepth: 10,
  /** graphql-armor cost: object 2, scalar 1, x1.5 per level, x a literal `first` (clamped to maxPageSize) for lists. A full
   * 200-row candidates page with every field costs ~20,000; nested lists of lists are refused. */
  maxQueryCost: 50000,
  /** Aliased fields in one operation. */
  maxQueryAliases: 30,
  /** Directives in one operation. */
  maxQueryDirectives: 20,
  /** Lexical tokens in one document. */
  maxQueryTokens: 3000,
  /** Characters of the `query` string of one request. */
  maxQueryLength: 20000,
  /** Bytes of one JSON request body (HTTP 413 PAYLOAD_TOO_LARGE above). Fits filterMolecules' 1000 x 500-char SMILES. */
  maxRequestBodyBytes: 1048576,
  /** Libraries (docs/libraries.md): characters of a library name (1..100, trimmed). */
  maxLibraryNameLength: 100,
  /** Characters of a library description or an entry note. */
  maxLibraryTextLength: 2000,
  /** Characters of one tag (1..50, lower-cased, [a-z0-9_.:-]). */
  maxTagLength: 50,
  /** Distinct tags in one tag/untag/add call, and tags in one entry filter. */
  maxTagsPerCall: 20,
  /** Candidate ids or run positions in one addToLibrary / addRunToLibrary / tag / remove call. */
  maxLibraryBatch: 1000,
  /** SMILES in one addToLibrary call (each is described by RDKit, ~25 ms). */
  maxLibrarySmilesBatch: 200,
  /** Entries (after the property/tag/note filters) a substructure or similarity search may scan. */
  maxLibrarySearchRows: 10000,
  /** Rows in one library export (CSV or SDF). */
  maxExportRows: 10000,
});

export interface AppConfig {
  port: number;
  host: string;
  production: boolean;
  /** API keys and rate limits (src/auth/security-config.ts, docs/security.md). */
  security: SecurityConfig;
}

/**
 * Typed configuration of the HTTP layer, read once from the environment (PORT, HOST, NODE_ENV). The model
 * (MOLNAV_MODEL_DIR, MOLNAV_DEVICE, MOLNAV_ORT_THREADS, MOLNAV_DECODER_PRECISION) and the store (DATABASE_URL) read their own variables:
 * see README "Configuration".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    production: env.NODE_ENV === 'production',
    security: loadSecurityConfig(env),
  };
}

/** Injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
