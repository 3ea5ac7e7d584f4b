/**
 * rdkitHeapBytes reports the RDKit WASM heap, the figure the soak benchmark watches for leaked molecules: freeing
 * every molecule keeps it flat, leaking molecules grows it.
 */
import { loadRDKit, rdkitHeapBytes } from '../../src/chem/rdkit';

const SMILES = ['CC(=O)Oc1ccccc1C(=O)O', 'Cn1c(=O)c2c(ncn2C)n(C)c1=O', 'CC(C)Cc1ccc(C(C)C(=O)O)cc1', 'Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1'];

it('is flat while molecules are freed and grows when they are leaked', async () => {
  const rdkit = await loadRDKit();
  const parseAndFree = (n: number) => {
    for (let i = 0; i < n; i++) {
      const mol = rdkit.get_mol(SMILES[i % SMILES.length]);
      try {
        mol?.get_descriptors(); // some work on each molecule, as the service does
      } finally {
        mol?.delete();
      }
    }
  };
  parseAndFree(500); // warm-up: the allocator reaches its working size
  const before = rdkitHeapBytes();
  expect(before).toBeGreaterThan(1 << 20);
  parseAndFree(5000);
  expect(rdkitHeapBytes()).toBe(before);
  const leaked = [];
  for (let i = 0; i < 5000; i++) leaked.push(rdkit.get_mol(SMILES[i % SMILES.length]));
  expect(rdkitHeapBytes()).toBeGreaterThan(before as number);
  for (const m of leaked) m?.delete();
});
