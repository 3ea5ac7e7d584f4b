"""Known answers of the SMILES syntax mask's chemistry rules (molnav_vae.syntax): bracket-atom valences, dead ends
and the Kekulé rule. test/model/syntax.spec.ts checks the same cases on the TypeScript mask."""
import json
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # notebooks/, for molnav_vae

from molnav_vae.syntax import SyntaxState, max_valence, token_class  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ITOS = json.loads((ROOT / "models" / "smiles-gru-vae-v2" / "vocab.json").read_text())["tokens"]
CLASSES = [token_class(t) for t in ITOS]


def walk(tokens):
    st = SyntaxState(CLASSES, ITOS, 121)
    for t in tokens:
        assert st.allowed()[ITOS.index(t)], f"{t} refused after {''.join(tokens)}"
        st.advance(ITOS.index(t))
    return st


def allows(tokens, nxt):
    return walk(tokens).allowed()[ITOS.index(nxt)]


class BracketValence(unittest.TestCase):
    def test_values(self):
        got = {t: max_valence(t) for t in ["[NH3+]", "[NH2+]", "[NH+]", "[N+]", "[O-]", "[C@@H]", "[C@]", "[nH]",
                                          "[n+]", "[S-]", "[S@@]", "[CH2-]", "[13C]", "C", "c", "F"]}
        self.assertEqual(got, {"[NH3+]": 1, "[NH2+]": 2, "[NH+]": 3, "[N+]": 4, "[O-]": 1, "[C@@H]": 3, "[C@]": 4,
                               "[nH]": 2, "[n+]": 4, "[S-]": 1, "[S@@]": 6, "[CH2-]": 1, "[13C]": 99, "C": 4, "c": 4,
                               "F": 1})

    def test_second_bond_on_ammonium_refused(self):
        self.assertFalse(allows(["C", "[NH3+]"], "C"))
        self.assertTrue(allows(["C", "[NH2+]"], "C"))


class DeadEnds(unittest.TestCase):
    def test_saturated_atom_with_an_open_ring_label(self):
        self.assertFalse(allows(["C", "1", "C", "C"], "F"))  # nothing could close ring 1 after the F
        self.assertTrue(allows(["C", "1", "C", "C"], "C"))
        self.assertFalse(allows(["C", "1", "C", "C", "="], "O"))
        self.assertTrue(allows(["C", "C", "="], "O"))  # no ring open: C=O is fine

    def test_an_open_branch_keeps_the_row_alive(self):
        self.assertTrue(allows(["C", "1", "C", "C", "(", "C"], "F"))  # the branch point still has room
        self.assertTrue(allows(["C", "1", "C", "(", "C", "C"], "F"))  # `)` returns to a C with room


class Kekule(unittest.TestCase):
    def test_five_ring_with_two_donors_refused(self):
        prefix = ["C", "n", "1", "c", "c", "c", "(", "C", ")"]
        self.assertFalse(allows(prefix, "s"))
        self.assertFalse(allows(prefix, "o"))
        self.assertFalse(allows(prefix, "[nH]"))
        self.assertTrue(allows(prefix, "n"))  # a pyrazole
        self.assertTrue(allows(prefix, "c"))

    def test_six_ring_with_a_pyrrole_type_atom_refused(self):
        self.assertFalse(allows(["c", "1", "c", "c", "c", "c", "[nH]"], "1"))
        self.assertTrue(allows(["c", "1", "c", "c", "c", "c", "n"], "1"))  # pyridine
        self.assertTrue(allows(["c", "1", "c", "c", "c", "c", "c"], "1"))  # benzene

    def test_end_refused_until_the_closing_atom_has_a_partner(self):
        ring = ["c", "1", "n", "c", "c", "o", "c", "1"]  # five atoms need a double bond, one is left over
        self.assertFalse(allows(ring, "<eos>"))
        self.assertTrue(allows(ring + ["="], "O"))  # a c=O takes it out of the system
        self.assertTrue(allows(ring + ["=", "O"], "<eos>"))

    def test_a_closer_the_network_wants_is_not_refused_by_the_kekule_rule_alone(self):
        ring = ["c", "1", "n", "c", "c", "o", "c", "1"]
        end = ITOS.index("<eos>")
        self.assertFalse(walk(ring).allowed()[end])
        self.assertTrue(walk(ring).allowed(end)[end])  # the network wants to stop: it may (the row ends invalid)

    def test_closing_mode_closes_a_branch_the_kekule_rule_refuses(self):
        branch = ["C", "(", "c", "1", "n", "c", "c", "o", "c", "1"]
        self.assertFalse(allows(branch, ")"))
        allowed = walk(branch).allowed(ITOS.index("<eos>"))  # wants <eos>, which needs `)` first
        self.assertEqual([ITOS[i] for i, ok in enumerate(allowed) if ok], [")"])

    def test_fused_and_substituted_systems_allowed(self):
        for smi in (["c", "1", "c", "c", "c", "2", "c", "c", "c", "c", "c", "2", "c", "1"],  # naphthalene
                    ["C", "n", "1", "c", "(", "=", "O", ")", "c", "2", "c", "(", "n", "c", "n", "2", "C", ")", "n",
                     "(", "C", ")", "c", "1", "=", "O"],  # caffeine
                    ["O", "=", "c", "1", "c", "c", "c", "c", "[nH]", "1"]):  # 2-pyridone
            walk(smi + ["<eos>"])


if __name__ == "__main__":
    unittest.main()
