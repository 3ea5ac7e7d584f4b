/**
 * Measures how well properties follow their directions (directions.json of the model in MOLNAV_MODEL_DIR, default the
 * shipped model) from four approved drugs, greedy decoding, 10 steps. The README's traverse table comes from it:
 *
 *   PROPS=tpsa,mw,clogp DISTS=-4,4,8 npx ts-node scripts/measure-traverse.ts
 *
 * Per drug and distance: the Spearman of the property with the offset over the valid distinct points (null with
 * fewer than 3 or a constant property), distinct / valid points of the 11, and the property at the start and at the
 * last valid point.
 */
import 'reflect-metadata';
import { ChemService } from '../src/chem/chem.service';
import { LIMITS } from '../src/config/config';
import { ModelService, modelOptionsFromEnv } from '../src/model/model.service';
import { GREEDY } from '../src/navigation/decoding-choice';
import { traverse } from '../src/navigation/traverse';

const DRUGS = ['celecoxib', 'ibuprofen', 'aspirin', 'imatinib'];

async function main(): Promise<void> {
  const chem = await new ChemService().init();
  const model = new ModelService({ ...modelOptionsFromEnv(), logger: { log: () => undefined, warn: () => undefined, error: console.error } });
  await model.onModuleInit();
  const directions = model.directions;
  if (!directions) throw new Error(`no directions.json for model ${model.modelVersion}`);
  const props = (process.env.PROPS ?? [...directions.properties.keys()].join(',')).split(',');
  const dists = (process.env.DISTS ?? '-4,4,8').split(',').map(Number);
  for (const prop of props) {
    const d = directions.properties.get(prop);
    if (!d) throw new Error(`no direction for ${prop}`);
    console.log(`== ${prop}: slope ${d.slope.toFixed(3)} per latent unit, held-out R² ${d.r2Heldout.toFixed(2)}, Spearman ${d.spearmanHeldout.toFixed(2)}`);
    for (const drug of DRUGS) {
      const start = chem.resolve(drug);
      const row: string[] = [];
      for (const distance of dists) {
        const o = await traverse(chem, model, start, d, {
          distance, steps: 10, minSteps: LIMITS.minTraverseSteps, maxSteps: LIMITS.maxTraverseSteps, maxDistance: LIMITS.maxTraverseDistance, decoding: GREEDY, seed: 0,
        });
        const last = o.points.filter((p) => p.value !== null).pop();
        row.push(`${distance}: rho ${o.spearman?.toFixed(2) ?? 'null'} ${o.distinctValidPoints}/${o.validPoints} ${o.startValue.toFixed(1)} -> ${last?.value?.toFixed(1) ?? '-'}`);
      }
      console.log(`${drug.padEnd(10)} ${row.join(' | ')}`);
    }
  }
  await model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
