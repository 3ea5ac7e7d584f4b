/**
 * Several independent ask/tell optimisers run as one: `ask()` concatenates their populations (member 0's points
 * first) so the caller decodes and scores one batch, and `tell()` hands each member its slice of the fitness values.
 * Use it for several random seeds from one start point (restarts) or for several prior start points; members may be
 * of different kinds but must share the dimension. The members do not interact.
 */
import type { AskTellOptimizer, OptimizerState } from './ask-tell';
import { checkFitness, checkInt, requireKeys, stateObject } from './common';
import { SerializableRng } from './serializable-rng';

/** Plain-JSON state of a {@link MultiStart}: the members' own states, in order. */
export interface MultiStartState {
  kind: 'MULTI_START';
  version: 1;
  /** Completed generations (tell() calls on the composite). */
  generation: number;
  /** Whether an ask() is waiting for its tell(). */
  pending: boolean;
  /** The members' snapshots, in batch order. */
  members: OptimizerState[];
  /** Always null: each member carries its own generator state. */
  rng: null;
}

export class MultiStart implements AskTellOptimizer {
  /** Always 'MULTI_START'. */
  readonly name = 'MULTI_START';
  /** Common dimension n of the members. */
  readonly dimension: number;
  /** The members, in batch order (owned by the composite: do not call their ask/tell directly). */
  readonly members: readonly AskTellOptimizer[];
  private generationCount = 0;
  private pending = false;

  /**
   * @param members at least one optimiser, all of the same dimension, no two drawing from the same
   *   {@link SerializableRng} instance (their snapshots could not be restored into one shared stream). A member's
   *   own pending ask() is discarded by the composite's first ask().
   * @throws {RangeError} when these conditions are not met
   */
  constructor(members: AskTellOptimizer[]) {
    if (!Array.isArray(members) || members.length < 1) throw new RangeError('MultiStart needs at least one member');
    const n = members[0].dimension;
    const rngs = new Set<SerializableRng>();
    members.forEach((m, k) => {
      if (m.dimension !== n) throw new RangeError(`MultiStart member ${k} has dimension ${m.dimension}, expected ${n}`);
      const rng = (m as { rng?: unknown }).rng;
      if (rng instanceof SerializableRng) {
        if (rngs.has(rng)) throw new RangeError(`MultiStart member ${k} shares its SerializableRng with another member; give each its own (see deriveSeed)`);
        rngs.add(rng);
      }
    });
    this.dimension = n;
    this.members = [...members];
  }

  /**
   * Rebuilds a composite from `snapshot()` output.
   * @param restoreMember restores one member state (restoreOptimizer from ask-tell.ts)
   * @param normal passed on to every member whose state has no rng
   * @throws {RangeError} when the state is malformed
   */
  static fromState(
    state: unknown,
    restoreMember: (s: unknown, normal?: () => number) => AskTellOptimizer,
    normal?: () => number,
  ): MultiStart {
    const s = stateObject(state, 'MULTI_START state');
    if (s.kind !== 'MULTI_START') throw new RangeError(`expected a MULTI_START state, got kind ${JSON.stringify(s.kind)}`);
    if (s.version !== 1) throw new RangeError(`MULTI_START state: unsupported version ${JSON.stringify(s.version)}`);
    requireKeys(s, ['generation', 'pending', 'members'], 'MULTI_START');
    if (!Array.isArray(s.members) || s.members.length < 1) throw new RangeError('MULTI_START state: members must be a non-empty array');
    if (typeof s.pending !== 'boolean') throw new RangeError('MULTI_START state: pending must be a boolean');
    const hasOwnRng = (m: unknown) => typeof m === 'object' && m !== null && (m as { rng?: unknown }).rng != null;
    if (normal !== undefined && s.members.every(hasOwnRng)) {
      throw new RangeError('MULTI_START state: every member carries its own rng state: do not pass a normal sampler');
    }
    const members = s.members.map((m, k) => {
      try {
        return restoreMember(m, hasOwnRng(m) ? undefined : normal);
      } catch (e) {
        if (e instanceof RangeError) throw new RangeError(`MULTI_START state members[${k}]: ${e.message}`);
        throw e;
      }
    });
    if (members.some((m) => m.awaitingTell !== s.pending)) throw new RangeError('MULTI_START state: members disagree with pending');
    const multi = new MultiStart(members);
    multi.generationCount = checkInt(s.generation, 'MULTI_START state generation', 0);
    multi.pending = s.pending;
    return multi;
  }

  /** Points per ask(): the sum of the members' batch sizes. */
  get batchSize(): number {
    return this.members.reduce((a, m) => a + m.batchSize, 0);
  }

  /** Completed generations. */
  get generation(): number {
    return this.generationCount;
  }

  /** Whether an ask() is waiting for its tell(). */
  get awaitingTell(): boolean {
    return this.pending;
  }

  /** Largest member step size. */
  get stepSize(): number {
    return Math.max(...this.members.map((m) => m.stepSize));
  }

  /** Which member and which of its points a batch index belongs to. */
  locate(index: number): { member: number; offset: number } {
    let rest = checkInt(index, 'index', 0, this.batchSize - 1);
    for (let k = 0; k < this.members.length; k++) {
      if (rest < this.members[k].batchSize) return { member: k, offset: rest };
      rest -= this.members[k].batchSize;
    }
    throw new RangeError(`index ${index} out of range`); // unreachable
  }

  /** The members' asks, concatenated in member order. */
  ask(): Float64Array[] {
    const out: Float64Array[] = [];
    for (const m of this.members) {
      const xs = m.ask();
      if (xs.length !== m.batchSize) throw new Error(`MultiStart: member ${m.name} returned ${xs.length} points, expected ${m.batchSize}`);
      out.push(...xs);
    }
    this.pending = true;
    return out;
  }

  /**
   * Splits the fitness values by member and tells each. The whole batch is validated first, so a throwing call
   * changes no member.
   * @throws Error before ask() or with the wrong number of values; RangeError on NaN or -Infinity
   */
  tell(fitness: number[]): void {
    if (!this.pending) throw new Error('tell() called before ask()');
    checkFitness(fitness, this.batchSize, 'MultiStart tell()');
    let offset = 0;
    for (const m of this.members) {
      m.tell(Array.from(fitness.slice(offset, offset + m.batchSize)));
      offset += m.batchSize;
    }
    this.pending = false;
    this.generationCount += 1;
  }

  /** Plain-JSON state: the members' snapshots. */
  snapshot(): MultiStartState {
    return { kind: 'MULTI_START', version: 1, generation: this.generationCount, pending: this.pending, members: this.members.map((m) => m.snapshot()), rng: null };
  }
}
