/** Standard test functions (minimum 0) and a run loop shared by the optimiser specs. */
import type { AskTellOptimizer } from '../../src/optim/ask-tell';

export type Objective = (x: Float64Array) => number;

export const sphere: Objective = (x) => x.reduce((s, v) => s + v * v, 0);

/** Axis-parallel ellipsoid, condition number 1e6. */
export const ellipsoid: Objective = (x) => x.reduce((s, v, i) => s + 10 ** ((6 * i) / (x.length - 1)) * v * v, 0);

/** Rosenbrock (minimum 0 at (1, ..., 1)). */
export const rosenbrock: Objective = (x) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};

/** Rastrigin: 10 n + sum (x_i^2 - 10 cos(2 pi x_i)); multimodal, minimum 0 at the origin. */
export const rastrigin: Objective = (x) => 10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);

/** Runs ask/tell until f < target or the budget is spent; returns evaluations used and the best value seen. */
export function minimise(opt: AskTellOptimizer, f: Objective, budget: number, target = -Infinity): { evals: number; best: number } {
  let evals = 0;
  let best = Infinity;
  while (evals < budget && best >= target) {
    const xs = opt.ask();
    const fs = xs.map(f);
    evals += xs.length;
    for (const v of fs) best = Math.min(best, v);
    opt.tell(fs);
  }
  return { evals, best };
}

/** Bitwise equality of two batches of points. */
export function sameBits(a: Float64Array[], b: Float64Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, k) => x.length === b[k].length && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(b[k].buffer, b[k].byteOffset, b[k].byteLength)));
}

export const fill = (n: number, v: number) => new Array<number>(n).fill(v);
