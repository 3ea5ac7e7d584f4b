/**
 * Latent-space geometry: interpolation paths between two latent vectors.
 *
 * Vectors are float32, length `latentDim`; batches are row-major `[batch, latentDim]` Float32Arrays.
 */

/** Interpolation methods. LINEAR is straight-line interpolation; SLERP is spherical linear interpolation. */
export type InterpolationKind = 'LINEAR' | 'SLERP';

/** Straight line: (1 - t) a + t b. */
export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
  return out;
}

/**
 * Spherical linear interpolation (Shoemake 1985, doi:10.1145/325165.325242), as suggested for Gaussian latent
 * spaces by White 2016 ("Sampling Generative Networks", arXiv:1609.04468): it keeps intermediate points at a norm
 * typical of the prior instead of cutting through the low-density centre. Falls back to LINEAR when the vectors are
 * (anti)parallel or one has zero norm.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let na = 0;
  let nb = 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i] * a[i];
    nb += b[i] * b[i];
    dot += a[i] * b[i];
  }
  na = Math.sqrt(na);
  nb = Math.sqrt(nb);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  const cos = Math.min(1, Math.max(-1, dot / (na * nb)));
  const omega = Math.acos(cos);
  const so = Math.sin(omega);
  if (so < 1e-6) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / so;
  const wb = Math.sin(t * omega) / so;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

/** `steps + 1` evenly spaced values of t from 0 to 1 inclusive. */
export function tGrid(steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => i / steps);
}

/** Points of the path at each t, stacked into one `[ts.length, dim]` batch. */
export function interpolationPath(a: Float32Array, b: Float32Array, ts: number[], kind: InterpolationKind): Float32Array {
  const dim = a.length;
  const out = new Float32Array(ts.length * dim);
  ts.forEach((t, i) => out.set(kind === 'SLERP' ? slerp(a, b, t) : lerp(a, b, t), i * dim));
  return out;
}
