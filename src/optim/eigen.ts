/**
 * Symmetric eigendecomposition for CMA-ES (cmaes.ts), which needs C = B diag(D^2) B^T.
 *
 * Algorithm: Householder reduction to tridiagonal form followed by the QL algorithm with implicit shifts, i.e. the
 * EISPACK routines tred2 and tql2 (Bowdler, Martin, Reinsch & Wilkinson, Numer. Math. 11, 1968; Wilkinson & Reinsch,
 * Handbook for Automatic Computation II, 1971) in the form of the public-domain JAMA library (NIST/MathWorks), which
 * is also what Hansen's reference Java/C CMA-ES use. About 9 n^3 flops (a few ms for n = 128 in V8), against ~10x
 * that for cyclic Jacobi. `hypot` is computed with sqrt only (no Math.hypot), so the result depends only on IEEE
 * arithmetic: the same input gives bitwise the same output on every platform.
 */

// Math functions bound once: in a vm context (jest) every global lookup inside a hot loop is ~100x slower.
const { abs, sqrt, max } = Math;

/** Result of {@link symmetricEigen}: A = V diag(values) V^T. */
export interface SymmetricEigen {
  /** Eigenvalues, length n, ascending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as columns, row-major n x n: component i of vector k at `vectors[i * n + k]`. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix.
 * @param a row-major n x n matrix (only the lower triangle is read; the input is not modified)
 * @param n dimension, >= 1
 * @throws {RangeError} when `a.length !== n * n`, an entry is not finite, or QL fails to converge (30 n iterations)
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) throw new RangeError(`symmetricEigen: expected an ${n} x ${n} matrix`);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = a[i * n + j];
      if (!Number.isFinite(x)) throw new RangeError('symmetricEigen: matrix entries must be finite');
      V[i * n + j] = x;
      V[j * n + i] = x;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, V, d, e);
  tql2(n, V, d, e);
  return { values: d, vectors: V };
}

function hypot(a: number, b: number): number {
  const x = abs(a);
  const y = abs(b);
  const big = x < y ? y : x;
  if (big === 0) return 0;
  const r = (x < y ? x : y) / big;
  return big * sqrt(1 + r * r);
}

/** Householder tridiagonalisation: on return d is the diagonal, e the subdiagonal (e[0] = 0), V the transform. */
function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), accumulating into V; eigenvalues sorted ascending with their vectors. */
function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  const maxIter = 30 * n;
  for (let l = 0; l < n; l++) {
    tst1 = max(tst1, abs(d[l]) + abs(e[l]));
    let m = l;
    while (m < n - 1 && abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) throw new RangeError('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const row = k * n;
            h = V[row + i + 1];
            V[row + i + 1] = s * V[row + i] + c * h;
            V[row + i] = c * V[row + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // selection sort, ascending, moving the eigenvector columns along
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const row = j * n;
        const t = V[row + i];
        V[row + i] = V[row + k];
        V[row + k] = t;
      }
    }
  }
}
