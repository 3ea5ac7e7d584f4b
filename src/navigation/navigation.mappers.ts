import { Molecule } from '../molecules/models/molecule.model';
import { InterpolationOutcome } from './interpolation';
import { InterpolationMethod, InterpolationResult, ObjectiveKind, OptimizationResult, DecodeSource } from './models/navigation.models';
import { OptimizationOutcome } from './optimization';
import { ResolvedMolecule } from './ports';

/** GraphQL Molecule from a resolved (valid) molecule. */
export function toMolecule(m: ResolvedMolecule): Molecule {
  return {
    input: m.input, name: m.name, chemblId: m.chemblId, valid: true, reason: null,
    canonicalSmiles: m.canonicalSmiles, inchiKey: m.inchiKey, properties: { ...m.properties },
  };
}

export function toInterpolationResult(
  runId: string, from: ResolvedMolecule, to: ResolvedMolecule, method: InterpolationMethod, outcome: InterpolationOutcome, modelVersion: string,
): InterpolationResult {
  return {
    runId, from: toMolecule(from), to: toMolecule(to), method, modelVersion,
    decodes: outcome.decodes, distinctIntermediates: outcome.distinctIntermediates,
    path: outcome.path.map((p) => ({
      index: p.index, t: p.t, valid: p.canonicalSmiles !== null, reason: p.reason, canonicalSmiles: p.canonicalSmiles,
      properties: p.properties ? { ...p.properties } : null, tanimotoToFrom: p.tanimotoToFrom, tanimotoToTo: p.tanimotoToTo,
      source: DecodeSource[p.source], attempts: p.attempts,
    })),
  };
}

export function toOptimizationResult(
  runId: string, seed: ResolvedMolecule, objective: ObjectiveKind, outcome: OptimizationOutcome, modelVersion: string,
): OptimizationResult {
  return {
    runId, seed: toMolecule(seed), objective, seedScore: outcome.seedScore, modelVersion,
    oracleCalls: outcome.oracleCalls, decodes: outcome.decodes, invalidDecodes: outcome.invalidDecodes,
    generations: outcome.generations, stopReason: outcome.stopReason,
    candidates: outcome.ranked.map((m, i) => ({
      rank: i + 1, canonicalSmiles: m.canonicalSmiles, score: m.score, similarityToSeed: m.similarityToSeed,
      feasible: m.feasible, foundAtCall: m.foundAtCall, properties: { ...m.properties },
    })),
  };
}
