import { symmetricEigen } from '../../src/optim/eigen';
import { SerializableRng } from '../../src/optim/serializable-rng';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new SerializableRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** max |V diag(d) V^T - A| and max |V^T V - I|. */
function errors(a: Float64Array, n: number) {
  const { values, vectors } = symmetricEigen(a, n);
  let recon = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        s += vectors[i * n + k] * values[k] * vectors[j * n + k];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      recon = Math.max(recon, Math.abs(s - a[i * n + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { values, recon, orth };
}

describe('symmetricEigen (Householder + QL)', () => {
  it.each([1, 2, 7, 40])('decomposes a random symmetric matrix of order %i to working precision', (n) => {
    const { values, recon, orth } = errors(randomSymmetric(n, n), n);
    expect(recon).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  });

  it('handles diagonal and repeated-eigenvalue matrices', () => {
    const n = 5;
    const id = new Float64Array(n * n);
    for (let i = 0; i < n; i++) id[i * n + i] = 2;
    const e = errors(id, n);
    expect(Array.from(e.values)).toEqual([2, 2, 2, 2, 2]);
    const diag = Float64Array.from([3, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(Array.from(symmetricEigen(diag, 3).values)).toEqual([1, 2, 3]);
  });

  it('is deterministic and rejects bad input', () => {
    const a = randomSymmetric(12, 3);
    expect(Array.from(symmetricEigen(a, 12).vectors)).toEqual(Array.from(symmetricEigen(a, 12).vectors));
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(RangeError);
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).toThrow(RangeError);
  });
});
