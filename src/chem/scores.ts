/**
 * Pure score functions (no RDKit calls): QED from its eight properties, SA score from its components, and the
 * JT-VAE penalised logP. `Chemistry` gathers the inputs with RDKit and calls these.
 */
import type { AdsParameters, QedParameters, QedPropertyName } from './tables';
import { QED_PROPERTY_NAMES } from './tables';

/** The eight QED input properties (names as in RDKit's `QED.properties()`). */
export type QedProperties = Record<QedPropertyName, number>;

/** Which QED weighting to use (Bickerton et al. 2012: QED_w,max, QED_w,mo = mean, QED_w,u = unweighted). */
export type QedWeighting = 'mean' | 'max' | 'none';

/**
 * Asymmetric double sigmoid desirability function, normalised to a maximum of 1 (Bickerton et al. 2012, eq. 1;
 * RDKit QED.ads).
 */
export function ads(x: number, p: AdsParameters): number {
  const exp1 = 1 + Math.exp((-1 * (x - p.C + p.D / 2)) / p.E);
  const exp2 = 1 + Math.exp((-1 * (x - p.C - p.D / 2)) / p.F);
  const dx = p.A + (p.B / exp1) * (1 - 1 / exp2);
  return dx / p.DMAX;
}

/**
 * QED = exp(Σ wᵢ·ln dᵢ / Σ wᵢ), the weighted geometric mean of the eight desirabilities (Bickerton et al., Nat. Chem.
 * 2012, 4, 90, doi:10.1038/nchem.1243; RDKit `QED.qed`, version 1.1.0). Default weights: the paper's mean weights
 * (RDKit `WEIGHT_MEAN`).
 *
 * @returns QED in (0, 1].
 */
export function qedFromProperties(props: QedProperties, params: QedParameters, weighting: QedWeighting = 'mean'): number {
  const w = weighting === 'max' ? params.weightMax : weighting === 'none' ? params.weightNone : params.weightMean;
  let t = 0;
  let sw = 0;
  for (const name of QED_PROPERTY_NAMES) {
    t += w[name] * Math.log(ads(props[name], params.ads[name]));
    sw += w[name];
  }
  return Math.exp(t / sw);
}

/** Inputs of the SA score, as computed by RDKit's Contrib sascorer.py. */
export interface SaComponents {
  /** Mean fragment contribution: Σ count·score(id) / Σ count over the unfolded Morgan r=2 ids (unknown id: −4). */
  fragmentScore: number;
  /** `mol.GetNumAtoms()` (heavy atoms plus any explicit H atoms left in the graph). */
  nAtoms: number;
  /** Stereocentres, assigned or not (`len(FindMolChiralCenters(m, includeUnassigned=True))`). */
  nChiralCenters: number;
  nSpiro: number;
  nBridgeheads: number;
  /** Rings (RDKit ring info) with more than 8 atoms. */
  nMacrocycles: number;
  /** Number of distinct fingerprint identifiers. */
  nDistinctIds: number;
}

/**
 * Synthetic accessibility score, 1 (easy) .. 10 (hard) (Ertl & Schuffenhauer, J. Cheminform. 2009, 1:8,
 * doi:10.1186/1758-2946-1-8), exactly as RDKit Contrib/SA_Score/sascorer.py computes it: fragment score minus
 * complexity penalties (size nAtoms^1.005 − nAtoms, log10(stereo+1), log10(spiro+1), log10(bridgehead+1), log10(2)
 * if any macrocycle), plus the symmetry correction 0.5·ln(nAtoms / nDistinctIds) when positive, mapped linearly
 * from [−4, 2.5] to [10, 1], with the logarithmic smoothing above 8 and clamped to [1, 10].
 */
export function saScoreFromComponents(c: SaComponents): number {
  const sizePenalty = Math.pow(c.nAtoms, 1.005) - c.nAtoms;
  const stereoPenalty = Math.log10(c.nChiralCenters + 1);
  const spiroPenalty = Math.log10(c.nSpiro + 1);
  const bridgePenalty = Math.log10(c.nBridgeheads + 1);
  const macrocyclePenalty = c.nMacrocycles > 0 ? Math.log10(2) : 0;
  const score2 = 0 - sizePenalty - stereoPenalty - spiroPenalty - bridgePenalty - macrocyclePenalty;
  const score3 = c.nAtoms > c.nDistinctIds ? Math.log(c.nAtoms / c.nDistinctIds) * 0.5 : 0;
  let s = c.fragmentScore + score2 + score3;
  const min = -4.0;
  const max = 2.5;
  s = 11 - ((s - min + 1) / (max - min)) * 9;
  if (s > 8) s = 8 + Math.log(s + 1 - 9);
  return Math.min(10, Math.max(1, s));
}

/** ZINC-250k statistics used to normalise penalised logP (JT-VAE / GCPN code; see `penalizedLogPFrom`). */
export const PLOGP_NORMALISATION = Object.freeze({
  logPMean: 2.4570953396190123,
  logPStd: 1.434324401111988,
  saMean: -3.0525811293166134,
  saStd: 0.8335207024513095,
  cycleMean: -0.0485696876403053,
  cycleStd: 0.2860212110245455,
});

/**
 * Normalised penalised logP as in JT-VAE (Jin, Barzilay & Jaakkola, ICML 2018, arXiv:1802.04364; code
 * wengong-jin/icml18-jtnn bo/gen_latent.py) with the fixed ZINC-250k means/standard deviations used by its
 * optimisation scripts and by GCPN (You et al. 2018):
 * (logP − 2.4571)/1.4343 + (−SA + 3.0526)/0.8335 + (−cycle + 0.0486)/0.2860,
 * where cycle = max(0, largest cycle of the networkx cycle basis − 6).
 *
 * @param logP Crippen logP; @param sa SA score (1..10); @param largestCycle largest cycle-basis length (0: acyclic).
 */
export function penalizedLogPFrom(logP: number, sa: number, largestCycle: number): number {
  const k = PLOGP_NORMALISATION;
  const cycle = largestCycle <= 6 ? 0 : largestCycle - 6;
  return (logP - k.logPMean) / k.logPStd + (-sa - k.saMean) / k.saStd + (-cycle - k.cycleMean) / k.cycleStd;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let c = 0;
  for (let v = i; v; v >>= 1) c += v & 1;
  return c;
});

/**
 * Tanimoto (Jaccard) similarity |a ∧ b| / |a ∨ b| of two packed bit vectors of equal length. Two empty vectors give
 * 1, as RDKit's `DataStructs.TanimotoSimilarity` does.
 *
 * @throws RangeError when the lengths differ.
 */
export function tanimotoBits(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`fingerprint lengths differ: ${a.length} vs ${b.length}`);
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += POPCOUNT[a[i] & b[i]];
    either += POPCOUNT[a[i] | b[i]];
  }
  return either === 0 ? 1 : both / either;
}
