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
});

export interface AppConfig {
  port: number;
  host: string;
  production: boolean;
}

/**
 * Typed configuration of the HTTP layer, read once from the environment (PORT, HOST, NODE_ENV). The model
 * (MOLNAV_MODEL_DIR, MOLNAV_DEVICE, MOLNAV_ORT_THREADS) and the store (DATABASE_URL) read their own variables:
 * see README "Configuration".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    production: env.NODE_ENV === 'production',
  };
}

/** Injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
