import { Molecule } from '../molecules/models/molecule.model';
import type { PropertyDirection as DomainDirection, PropertyDirections } from '../model/directions';
import { DecodingChoice, DEFAULT_BEAM_WIDTH, GREEDY } from './decoding-choice';
import { DecodingInput } from './dto/navigation.inputs';
import { InterpolationOutcome } from './interpolation';
import {
  DecodeSource, DecodeStrategy, InterpolationMethod, InterpolationResult, NeighbourResult, ObjectiveKind, OptimizationResult,
  PropertyDirection, PropertyDirectionSet, TraverseResult,
} from './models/navigation.models';
import { NeighbourOutcome } from './neighbours';
import type { OptimizeOutcome } from './navigation.service';
import type { OptimizerKind } from '../optim/factory';
import { ResolvedMolecule } from './ports';
import { TraverseOutcome } from './traverse';

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
  runId: string, seed: ResolvedMolecule | null, objective: ObjectiveKind | null, optimizer: OptimizerKind, outcome: OptimizeOutcome, modelVersion: string,
): OptimizationResult {
  return {
    runId, seed: seed ? toMolecule(seed) : null, objective, seedScore: outcome.seedScore?.score ?? null, optimizer, modelVersion,
    oracleCalls: outcome.oracleCalls, decodes: outcome.decodes, invalidDecodes: outcome.invalidDecodes,
    generations: outcome.generations, stopReason: outcome.stopReason,
    candidates: outcome.ranked.map((m, i) => ({
      rank: i + 1, canonicalSmiles: m.canonicalSmiles, score: m.score, softScore: m.softScore, similarityToSeed: m.similarityToSeed,
      feasible: m.feasible, foundAtCall: m.foundAtCall, properties: { ...m.properties },
      components: m.result.components.map((c) => ({ name: c.name, raw: Number.isFinite(c.raw) ? c.raw : null, value: c.value, weight: c.weight })),
    })),
  };
}

/** The decoding choice of a GraphQL DecodingInput (absent: greedy). */
export function toDecodingChoice(input: DecodingInput | null | undefined): DecodingChoice {
  if (!input || input.strategy === DecodeStrategy.GREEDY) return GREEDY;
  if (input.strategy === DecodeStrategy.BEAM) return { strategy: 'beam', beamWidth: input.beamWidth ?? DEFAULT_BEAM_WIDTH };
  return { strategy: 'sample', temperature: input.temperature, ...(input.topK != null ? { topK: input.topK } : {}) };
}

function toStrategy(choice: DecodingChoice): DecodeStrategy {
  if (choice.strategy === 'beam') return DecodeStrategy.BEAM;
  return choice.strategy === 'sample' ? DecodeStrategy.SAMPLE : DecodeStrategy.GREEDY;
}

export function toNeighbourResult(
  runId: string, query: ResolvedMolecule, outcome: NeighbourOutcome, band: { minTanimoto: number | null; maxTanimoto: number | null },
  decoding: DecodingChoice, modelVersion: string,
): NeighbourResult {
  return {
    runId, query: toMolecule(query), modelVersion, strategy: toStrategy(decoding), ...band,
    neighbours: outcome.neighbours.map((n, i) => ({
      rank: i + 1, canonicalSmiles: n.canonicalSmiles, inchiKey: n.inchiKey, tanimoto: n.tanimoto, properties: { ...n.properties },
      round: n.round, foundAtDecode: n.foundAtDecode,
    })),
    requested: outcome.requested, found: outcome.found, complete: outcome.complete, message: outcome.message,
    decodes: outcome.decodes, invalidDecodes: outcome.invalidDecodes, identicalToQuery: outcome.identicalToQuery,
    duplicates: outcome.duplicates, outsideBand: outcome.outsideBand, rounds: outcome.rounds,
    radius: outcome.initialRadius, finalRadius: outcome.finalRadius,
  };
}

export function toPropertyDirection(d: DomainDirection): PropertyDirection {
  return {
    property: d.property, label: d.label, unit: d.unit, slope: d.slope, r2Heldout: d.r2Heldout, spearmanHeldout: d.spearmanHeldout,
    mean: d.mean, std: d.std,
  };
}

export function toPropertyDirectionSet(directions: PropertyDirections | null, modelVersion: string): PropertyDirectionSet {
  if (!directions) return { available: false, modelVersion, method: null, created: null, provenance: null, directions: [] };
  return {
    available: true, modelVersion, method: directions.method, created: directions.created,
    provenance: JSON.stringify(directions.provenance), directions: [...directions.properties.values()].map(toPropertyDirection),
  };
}

export function toTraverseResult(
  runId: string, start: ResolvedMolecule, distance: number, steps: number, decoding: DecodingChoice, outcome: TraverseOutcome, modelVersion: string,
): TraverseResult {
  return {
    runId, start: toMolecule(start), direction: toPropertyDirection(outcome.direction), distance, steps, strategy: toStrategy(decoding),
    startValue: outcome.startValue, decodes: outcome.decodes, validPoints: outcome.validPoints,
    distinctValidPoints: outcome.distinctValidPoints, spearman: outcome.spearman, monotonic: outcome.monotonic, modelVersion,
    points: outcome.points.map((p) => ({
      index: p.index, t: p.t, offset: p.offset, valid: p.canonicalSmiles !== null, reason: p.reason, canonicalSmiles: p.canonicalSmiles,
      properties: p.properties ? { ...p.properties } : null, value: p.value, predicted: p.predicted, tanimotoToStart: p.tanimotoToStart,
      distinct: p.distinct,
    })),
  };
}
