import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddCandidateItem, CandidateInput, CandidateProperties } from '../../src/store';

/** A fresh temporary directory for one test file; returns it and a cleanup function. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `molnav-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function fileUrl(dir: string, name = 'store.db'): string {
  return `file:${path.join(dir, name)}`;
}

const p = (
  mw: number, clogp: number, tpsa: number, hbd: number, hba: number, rotatableBonds: number, heavyAtoms: number,
  aromaticRings: number, qed: number, sa: number, plogp: number,
): CandidateProperties => ({ mw, clogp, tpsa, hbd, hba, rotatableBonds, heavyAtoms, aromaticRings, qed, sa, plogp });

/** Real molecules (RDKit canonical SMILES) with RDKit-like descriptor values. */
export const MOLECULES = {
  aspirin: { canonicalSmiles: 'CC(=O)Oc1ccccc1C(=O)O', inchiKey: 'BSYNRYMUTXBXSQ-UHFFFAOYSA-N', properties: p(180.159, 1.3101, 63.6, 1, 3, 2, 13, 1, 0.5501, 1.5800, -0.1847) },
  caffeine: { canonicalSmiles: 'Cn1c(=O)c2c(ncn2C)n(C)c1=O', inchiKey: 'RYYVLZVUVIJVGH-UHFFFAOYSA-N', properties: p(194.194, -1.0293, 61.82, 0, 6, 0, 14, 2, 0.5385, 2.2980, -3.7826) },
  ibuprofen: { canonicalSmiles: 'CC(C)Cc1ccc(C(C)C(=O)O)cc1', inchiKey: 'HEFNNWSXXWATRW-UHFFFAOYSA-N', properties: p(206.285, 3.0732, 37.3, 1, 1, 4, 15, 1, 0.8216, 1.9196, 1.1536) },
  paracetamol: { canonicalSmiles: 'CC(=O)Nc1ccc(O)cc1', inchiKey: 'RZVAJINKPMORJF-UHFFFAOYSA-N', properties: p(151.165, 1.3506, 49.33, 2, 2, 1, 11, 1, 0.5950, 1.4151, -0.0645) },
  benzene: { canonicalSmiles: 'c1ccccc1', inchiKey: 'UHOVQNZJYSORNB-UHFFFAOYSA-N', properties: p(78.114, 1.6866, 0, 0, 0, 0, 6, 1, 0.4426, 1.0000, 0.6866) },
  ethanol: { canonicalSmiles: 'CCO', inchiKey: 'LFQSCWFLJHTTHZ-UHFFFAOYSA-N', properties: p(46.069, -0.0014, 20.23, 1, 1, 0, 3, 0, 0.4068, 1.9802, -1.9816) },
} satisfies Record<string, CandidateInput>;

export function item(c: CandidateInput, position: number, extra: Partial<AddCandidateItem> = {}): AddCandidateItem {
  return { ...c, position, ...extra };
}

/** Deterministic synthetic molecules (linear alkanes C1..Cn) with many ties on qed and hbd. */
export function alkanes(n: number, offset = 0): CandidateInput[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1 + offset;
    return {
      canonicalSmiles: 'C'.repeat(k),
      inchiKey: null,
      properties: p(
        Math.round((12.011 * k + 1.008 * (2 * k + 2)) * 1000) / 1000, 0.6 * k, 0, 0, 0, Math.max(0, k - 3), k, 0,
        [0.3, 0.4, 0.5][k % 3], // heavy ties
        1 + (k % 4) * 0.5, 0.6 * k - 1,
      ),
    };
  });
}
