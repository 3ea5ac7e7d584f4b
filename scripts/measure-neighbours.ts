/**
 * Measures how the ECFP4 Tanimoto of sampled neighbours to their query varies with the noise radius, on the model
 * in MOLNAV_MODEL_DIR (default the shipped model), greedy decoding. The README's radius table comes from this script:
 *
 *   npx ts-node scripts/measure-neighbours.ts [count=20] [seed=0]
 *
 * For each drug and radius it runs sampleNeighbours (no band) and prints the decodes needed for `count` distinct valid
 * neighbours, the share of valid decodes, decodes that gave the query back, duplicates, and the Tanimoto of the
 * neighbours found (mean, median, min, max).
 */
import 'reflect-metadata';
import { ChemService } from '../src/chem/chem.service';
import { ModelService, modelOptionsFromEnv } from '../src/model/model.service';
import { Rng } from '../src/model/rng';
import { GREEDY } from '../src/navigation/decoding-choice';
import { sampleNeighbours } from '../src/navigation/neighbours';

const DRUGS = ['celecoxib', 'ibuprofen', 'aspirin', 'imatinib'];
const RADII = (process.env.RADII ?? "0.1,0.25,0.35,0.5,0.75,1,1.5,2").split(",").map(Number);

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 20);
  const seed = Number(process.argv[3] ?? 0);
  const chem = await new ChemService().init();
  const model = new ModelService({ ...modelOptionsFromEnv(), logger: { log: () => undefined, warn: () => undefined, error: console.error } });
  await model.onModuleInit();
  console.log(`model ${model.modelVersion}, ${count} neighbours per run, budget ${20 * count} decodes, greedy, seed ${seed}`);
  console.log('drug       radius  decodes  valid%  query  dups  found  T mean  T median  T min  T max');
  for (const name of DRUGS) {
    const query = chem.resolve(name);
    for (const radius of RADII) {
      const rng = new Rng(seed);
      const o = await sampleNeighbours(chem, model, query,
        { count, radius, maxRadius: 5, decoding: GREEDY, seed, maxDecodes: 20 * count }, () => rng.normal());
      const ts = o.neighbours.map((n) => n.tanimoto).sort((a, b) => a - b);
      const mean = ts.reduce((a, b) => a + b, 0) / Math.max(1, ts.length);
      const examined = o.invalidDecodes + o.identicalToQuery + o.duplicates + o.outsideBand + o.found;
      const f = (x: number | undefined) => (x === undefined ? '   -' : x.toFixed(2));
      console.log(
        `${name.padEnd(10)} ${radius.toFixed(2).padStart(6)} ${String(o.decodes).padStart(8)} ` +
          `${(100 * (1 - o.invalidDecodes / examined)).toFixed(0).padStart(6)} ${String(o.identicalToQuery).padStart(6)} ` +
          `${String(o.duplicates).padStart(5)} ${String(o.found).padStart(6)} ${f(mean).padStart(7)} ${f(ts[Math.floor(ts.length / 2)]).padStart(9)} ` +
          `${f(ts[0]).padStart(6)} ${f(ts[ts.length - 1]).padStart(6)}`,
      );
    }
  }
  await model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
