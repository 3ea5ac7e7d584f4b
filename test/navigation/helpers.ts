/** Shared setup of the navigation tests (not a spec file): the real RDKit and the shipped model, without Nest. */
import { Logger } from '@nestjs/common';
import { ChemService } from '../../src/chem/chem.service';
import { ModelService, modelOptionsFromEnv } from '../../src/model/model.service';
import { Rng } from '../../src/model/rng';
import type { PropertyDirection } from '../../src/model/directions';
import { isModelDir } from '../model/helpers';

/** The shipped model's directory (MOLNAV_MODEL_DIR or models/smiles-gru-vae-v2) and whether it is complete. */
export const MODEL_DIR = modelOptionsFromEnv().modelDir;
export const HAVE_MODEL = isModelDir(MODEL_DIR);

/** Loads RDKit and the shipped model once per spec file; call `close` in afterAll. */
export async function loadServices(): Promise<{ chem: ChemService; model: ModelService; close: () => Promise<void> }> {
  Logger.overrideLogger(['error']);
  const chem = await new ChemService().init();
  const model = new ModelService({ ...modelOptionsFromEnv(), logger: { log: () => undefined, warn: () => undefined, error: () => undefined } });
  await model.onModuleInit();
  return {
    chem,
    model,
    close: async () => {
      await model.dispose();
      chem.onModuleDestroy();
    },
  };
}

/** A seeded random unit direction for `property` (a synthetic direction: it does not predict the property). */
export function randomDirection(property: string, dim: number, seed: number, slope = 10): PropertyDirection {
  const rng = new Rng(seed);
  const v = Float64Array.from({ length: dim }, () => rng.normal());
  const norm = Math.hypot(...v);
  return {
    property, label: property, unit: '', direction: v.map((x) => x / norm), slope, r2Heldout: 0, spearmanHeldout: 0, mean: 0, std: 1,
  };
}
