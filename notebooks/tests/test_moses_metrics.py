"""Known-answer checks of molnav_vae.moses_metrics on real molecules (run by notebooks/ci-tiny.sh).

/usr/bin/python3 -m unittest discover -s notebooks/tests
"""
import sys
import unittest
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from molnav_vae import moses_metrics as mm  # noqa: E402
from molnav_vae.config import load_config  # noqa: E402

DRUGS = [
    "CC(=O)Oc1ccccc1C(=O)O",  # aspirin
    "CC(C)Cc1ccc(C(C)C(=O)O)cc1",  # ibuprofen
    "Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1",  # celecoxib
    "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21",  # diazepam
    "CC(=O)Nc1ccc(O)cc1",  # paracetamol
    "O=C(O)c1ccccc1O",  # salicylic acid
]


def rdkit_fps(smiles, bits):
    from rdkit.Chem import AllChem

    return [AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=bits) for m in mm.to_mols(smiles)]


class TanimotoMetrics(unittest.TestCase):
    def test_matrix_matches_rdkit_bulk_tanimoto(self):
        from rdkit import DataStructs

        fps = mm.morgan_matrix(mm.to_mols(DRUGS))
        ref = rdkit_fps(DRUGS, mm.FP_BITS)
        (_, block), = list(mm._tanimoto_blocks(fps, fps))
        for i, fp in enumerate(ref):
            np.testing.assert_allclose(block[i], DataStructs.BulkTanimotoSimilarity(fp, ref), atol=1e-6)

    def test_internal_diversity(self):
        fps = mm.morgan_matrix(mm.to_mols(DRUGS[:1] * 3))
        self.assertAlmostEqual(mm.internal_diversity(fps), 0.0, places=6)
        from rdkit import DataStructs

        a, b = rdkit_fps(DRUGS[:2], mm.FP_BITS)
        t = DataStructs.TanimotoSimilarity(a, b)
        two = mm.morgan_matrix(mm.to_mols(DRUGS[:2]))
        self.assertAlmostEqual(mm.internal_diversity(two), 1 - (2 + 2 * t) / 4, places=6)

    def test_snn(self):
        from rdkit import DataStructs

        fps = mm.morgan_matrix(mm.to_mols(DRUGS))
        self.assertAlmostEqual(mm.snn(fps, fps), 1.0, places=6)
        gen, ref = DRUGS[:2], DRUGS[2:]
        want = np.mean([max(DataStructs.BulkTanimotoSimilarity(g, rdkit_fps(ref, mm.FP_BITS))) for g in rdkit_fps(gen, mm.FP_BITS)])
        got = mm.snn(mm.morgan_matrix(mm.to_mols(gen)), mm.morgan_matrix(mm.to_mols(ref)))
        self.assertAlmostEqual(got, want, places=6)
        self.assertLess(got, 0.6)


class CountMetrics(unittest.TestCase):
    def test_unique_and_novelty(self):
        self.assertEqual(mm.unique_at(["C", "C", "CC", "CCC"], 2), {"k": 2, "n": 2, "value": 0.5})
        self.assertEqual(mm.unique_at(["C", "CC"], 10)["n"], 2)
        self.assertAlmostEqual(mm.novelty(["C", "CC", "CC", "CCO"], {"CC"}), 2 / 3)

    def test_fragments_and_scaffolds(self):
        frags = mm.brics_fragments(mm.to_mols(["CC(=O)Oc1ccccc1C(=O)O"]))
        self.assertEqual(sum(frags.values()), 4)  # acetyl, ester O, the ring, the acid: aspirin has 3 BRICS bonds
        scaf = mm.murcko_scaffolds(mm.to_mols(["c1ccc2ccccc2c1CC", "c1ccccc1CC", "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21"]))
        self.assertEqual(set(scaf), {"c1ccc2ccccc2c1", "O=C1CN=C(c2ccccc2)c2ccccc2N1"})  # one-ring benzene dropped

    def test_cosine(self):
        a = Counter({"x": 2, "y": 1})
        self.assertAlmostEqual(mm.cosine_counts(a, a), 1.0)
        self.assertEqual(mm.cosine_counts(a, Counter({"z": 5})), 0.0)
        self.assertAlmostEqual(mm.cosine_counts(a, Counter({"x": 1})), 2 / np.sqrt(5))
        self.assertEqual(mm.cosine_counts(a, Counter()), 0.0)


class Filters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.patterns = mm.load_filters(load_config().data_dir / "filters")

    def test_all_moses_smarts_load(self):
        self.assertEqual(len(self.patterns), 22 + 480)

    def test_rules(self):
        cases = {
            "CC(=O)Nc1ccc(O)cc1": True,  # paracetamol
            "Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1": True,  # celecoxib
            "O=C1C=CC(=O)C=C1": False,  # quinone (MCF/PAINS)
            "C[N+](C)(C)C": False,  # charged
            "C1CCCCCCC1": False,  # 8-membered ring
            "CCI": False,  # iodine is not an allowed atom
            "CCP(C)C": False,  # nor phosphorus
        }
        for smi, want in cases.items():
            self.assertEqual(mm.passes_filters(mm.to_mols([smi])[0], self.patterns), want, smi)
        self.assertFalse(mm.passes_filters(None, self.patterns))


class Smoothness(unittest.TestCase):
    def test_path_statistics(self):
        a, b = "CC(=O)Nc1ccc(O)cc1", "O=C(O)c1ccccc1O"
        out = mm.smoothness([(a, b)], [[a, None, "Oc1ccccc1", "Oc1ccccc1", b]])
        self.assertEqual(out["interior_points"], 5)
        self.assertAlmostEqual(out["valid_fraction"], 0.8)
        self.assertEqual(out["mean_distinct_intermediates"], 1.0)
        from rdkit import DataStructs

        fa, fp, fb = rdkit_fps([a, "Oc1ccccc1", b], 2048)
        want = (DataStructs.TanimotoSimilarity(fa, fp) + DataStructs.TanimotoSimilarity(fp, fb)) / 2
        self.assertAlmostEqual(out["mean_consecutive_tanimoto"], want)

    def test_slerp_matches_service(self):
        a, b = np.array([1.0, 0.0]), np.array([0.0, 2.0])
        np.testing.assert_allclose(mm.slerp(a, b, 0.0), a, atol=1e-12)
        np.testing.assert_allclose(mm.slerp(a, b, 1.0), b, atol=1e-12)
        mid = mm.slerp(a, b, 0.5)
        np.testing.assert_allclose(mid, [np.sqrt(0.5), 2 * np.sqrt(0.5)], atol=1e-12)
        np.testing.assert_allclose(mm.slerp(a, 2 * a, 0.5), 1.5 * a)  # parallel: linear


if __name__ == "__main__":
    unittest.main()
