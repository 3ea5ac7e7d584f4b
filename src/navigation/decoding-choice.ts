/**
 * How navigation decodes latent points: the user's choice of strategy (greedy or sampled with temperature / top-k)
 * turned into the model port's options, with per-round seeds derived from one request seed.
 */
import { BadUserInputError } from '../common/errors';
import type { DecodeOptions } from './ports';

/** Decoding chosen by the caller. Greedy ignores temperature and topK. */
export interface DecodingChoice {
  strategy: 'greedy' | 'sample';
  /** Sampling temperature, finite > 0; default 1. */
  temperature?: number;
  /** Sample only among the k most likely tokens (integer >= 1); default all tokens. */
  topK?: number;
}

/** Greedy decoding under the syntax mask: the default of every navigation operation. */
export const GREEDY: DecodingChoice = Object.freeze({ strategy: 'greedy' });

/** Deterministic 32-bit seed for round r (0-based) of a request seeded with `seed`. */
export function roundSeed(seed: number, round: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(round + 1, 0xc2b2ae35)) >>> 0;
}

/**
 * The model port's options for one decode call (syntax mask on).
 * @param choice  strategy, temperature, topK
 * @param seed    the request seed; `round` distinguishes successive decode calls of one request
 */
export function decodeOptions(choice: DecodingChoice, seed: number, round: number): DecodeOptions {
  if (choice.strategy === 'greedy') return { strategy: 'greedy', syntaxMask: true };
  return {
    strategy: 'sample',
    temperature: choice.temperature ?? 1,
    ...(choice.topK !== undefined ? { topK: choice.topK } : {}),
    seed: roundSeed(seed, round),
    syntaxMask: true,
  };
}

/**
 * Checks a decoding choice before anything runs.
 * @throws BadUserInputError when the temperature is not finite > 0 or topK is not an integer >= 1
 */
export function checkDecodingChoice(choice: DecodingChoice): void {
  if (choice.strategy !== 'greedy' && choice.strategy !== 'sample') {
    throw new BadUserInputError(`decoding strategy must be greedy or sample, got ${JSON.stringify(choice.strategy)}`);
  }
  if (choice.temperature !== undefined && !(Number.isFinite(choice.temperature) && choice.temperature > 0)) {
    throw new BadUserInputError(`temperature must be a finite number > 0, got ${choice.temperature}`);
  }
  if (choice.topK !== undefined && !(Number.isInteger(choice.topK) && choice.topK >= 1)) {
    throw new BadUserInputError(`topK must be an integer >= 1, got ${choice.topK}`);
  }
}
