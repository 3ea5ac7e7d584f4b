/**
 * What beam search buys in interpolation and traverse, and what it costs, on the model in MOLNAV_MODEL_DIR (default
 * the shipped model). The README's "Interpolation with beam search" figures come from this script:
 *
 *   npx ts-node --transpile-only scripts/measure-beam.ts
 *
 * - interpolate(): every pair of 10 approved drugs (45 paths, 10 steps, SLERP, seed 0, 16 decodes per point, RDKit in 2
 *   worker threads as in the service), first pass greedy or beam search with 3, 5 and 10 beams: the share of interior
 *   points the first pass settles (source GREEDY or BEAM), distinct intermediates, decodes per path, wall time p50/p95.
 * - traverse(): 6 drugs x every direction of the model's directions.json x distance ±6 (10 steps), greedy or beam:
 *   the share of valid points, distinct valid molecules per walk, wall time p50/p95.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { ChemService } from '../src/chem/chem.service';
import { ModelService, modelOptionsFromEnv } from '../src/model/model.service';
import { Rng } from '../src/model/rng';
import { DecodingChoice, GREEDY } from '../src/navigation/decoding-choice';
import { interpolate } from '../src/navigation/interpolation';
import type { DescribedMolecule, MoleculeBatchPort } from '../src/navigation/ports';
import { traverse } from '../src/navigation/traverse';
import { ScoringPool } from '../src/scoring/pool';

const INTERPOLATION_DRUGS = ['celecoxib', 'ibuprofen', 'aspirin', 'imatinib', 'diazepam', 'sildenafil', 'acetaminophen', 'caffeine', 'metformin', 'atorvastatin'];
const TRAVERSE_DRUGS = ['celecoxib', 'ibuprofen', 'aspirin', 'imatinib', 'diazepam', 'sildenafil'];
const BEAM_WIDTHS = [3, 5, 10];

/** p50 and p95 of wall times, ms. */
function percentiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${s[s.length >> 1].toFixed(0)} ms, p95 ${s[Math.min(s.length - 1, Math.floor(s.length * 0.95))].toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const chem = await new ChemService().init();
  const model = new ModelService({ ...modelOptionsFromEnv(), logger: { log: () => undefined, warn: () => undefined, error: console.error } });
  await model.onModuleInit();
  const pool = await ScoringPool.create(2);
  try {
    const molecules: MoleculeBatchPort = {
      canonicalizeMany: (smiles) => pool.canonicalize([...smiles]),
      describeMany: async (smiles) => (await pool.describeCanonical([...smiles])) as DescribedMolecule[],
    };
    console.log(`model ${model.modelVersion}`);
    const pairs: [string, string][] = [];
    INTERPOLATION_DRUGS.forEach((a, i) => INTERPOLATION_DRUGS.slice(i + 1).forEach((b) => pairs.push([a, b])));
    for (const beamWidth of [undefined, ...BEAM_WIDTHS]) {
      let settled = 0, interior = 0, distinct = 0, decodes = 0;
      const ms: number[] = [];
      for (const [a, b] of pairs) {
        const rng = new Rng(0);
        const t = performance.now();
        const out = await interpolate(chem, molecules, model, chem.resolveMolecule(a), chem.resolveMolecule(b),
          { steps: 10, method: 'SLERP', seed: 0, maxAttempts: 16, beamWidth }, () => rng.normal());
        ms.push(performance.now() - t);
        const inner = out.path.slice(1, -1);
        interior += inner.length;
        settled += inner.filter((p) => p.source === 'GREEDY' || p.source === 'BEAM').length;
        distinct += out.distinctIntermediates;
        decodes += out.decodes;
      }
      console.log(
        `interpolate, first pass ${beamWidth === undefined ? 'greedy' : `beam ${beamWidth}`}: ${pairs.length} paths, ` +
          `settled by the first pass ${((100 * settled) / interior).toFixed(1)}%, distinct intermediates ${(distinct / pairs.length).toFixed(2)} of 9, ` +
          `decodes per path ${(decodes / pairs.length).toFixed(0)}, ${percentiles(ms)}`,
      );
    }
    const directions = [...(model.directions?.properties.values() ?? [])];
    if (directions.length === 0) console.log('traverse: the model ships no directions.json, skipped');
    const choices: [string, DecodingChoice][] = [['greedy', GREEDY], ...BEAM_WIDTHS.map((k): [string, DecodingChoice] => [`beam ${k}`, { strategy: 'beam', beamWidth: k }])];
    for (const [name, decoding] of directions.length > 0 ? choices : []) {
      let points = 0, valid = 0, distinct = 0;
      const ms: number[] = [];
      for (const drug of TRAVERSE_DRUGS) {
        for (const direction of directions) {
          for (const distance of [-6, 6]) {
            const t = performance.now();
            const out = await traverse(chem, model, chem.resolve(drug), direction,
              { distance, steps: 10, minSteps: 2, maxSteps: 50, maxDistance: 20, decoding, seed: 0 });
            ms.push(performance.now() - t);
            points += out.points.length;
            valid += out.validPoints;
            distinct += out.distinctValidPoints;
          }
        }
      }
      console.log(
        `traverse, ${name}: ${ms.length} walks, valid points ${((100 * valid) / points).toFixed(1)}%, ` +
          `distinct valid per walk ${(distinct / ms.length).toFixed(2)}, ${percentiles(ms)}`,
      );
    }
  } finally {
    await pool.close();
    await model.dispose();
    chem.onModuleDestroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
