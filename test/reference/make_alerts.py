#!/usr/bin/env python3
"""Regenerate test/reference/alerts.json: RDKit (Python) reference values for molnav's structural alerts, BertzCT,
element counts and GuacaMol isomer scores (src/chem/alerts.ts, bertz.ts, formula.ts).

Run with Debian's RDKit (python3-rdkit 2022.09.3):

    /usr/bin/python3 test/reference/make_alerts.py

The jest suites test/chem/alerts.spec.ts, bertz.spec.ts and formula.spec.ts compare src/chem (RDKit MinimalLib
2025.03 WASM + our TypeScript) with these values.

Molecule set (deterministic): every molecule of test/reference/reference.json, ZINC250k test-split lines 100..399
(/work/shared/data/zinc250k/split_test.smi.gz; lines 0..99 are already in reference.json) and the parents of the first
300 rows of src/chem/data/approved-drugs.tsv; duplicates (same input SMILES) are dropped.

Per molecule:
  * alerts: the names of the fired filters per set (sets with no hit are omitted), in table order.
    - BRENK, NIH, PAINS_A, PAINS_B, PAINS_C, ZINC: RDKit's built-in FilterCatalog (`FilterCatalogParams`), i.e.
      the C++ implementation, independent of our TSV copies;
    - CHEMBL_*: this Python build has no such FilterCatalog enums, so they come from the shipped tables with the
      FilterCatalog rule (`MolFromSmarts(smarts, mergeHs=True)`, fires when len(GetSubstructMatches) >=
      max_allowed_matches + 1). The script checks that this rule reproduces FilterCatalog on the six built-in sets;
    - MCF: the MOSES rule (`mol.HasSubstructMatch(Chem.MolFromSmarts(smarts))`, no mergeHs) on moses_mcf.csv.
  * bertzCT: rdkit.Chem.GraphDescriptors.BertzCT (full precision);
  * elementCounts: GuacaMol's AtomCounter semantics (atoms by GetSymbol() after Chem.AddHs) and numAtoms (GuacaMol's
    num_atoms: Chem.AddHs(mol).GetNumAtoms());
  * formula: rdMolDescriptors.CalcMolFormula.
Isomer scores: GuacaMol's IsomerScoringFunction formula (guacamol is not installed here; the formula is re-written
from guacamol/common_scoring_functions.py, score_modifier.py and utils/chemistry.py: one GaussianModifier(mu=count,
sigma=1) per (element, count) term of the formula on that element's count, one GaussianModifier(mu=sum of counts,
sigma=2) on the total atom count, geometric = prod ** (1/n) or arithmetic mean) for a few formulas on the first 40
molecules plus hand-picked isomers.
"""
import csv
import gzip
import json
import math
import os
import re
import sys

from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import GraphDescriptors, rdMolDescriptors
from rdkit.Chem.FilterCatalog import FilterCatalog, FilterCatalogParams

RDLogger.DisableLog("rdApp.*")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ALERT_DIR = os.path.join(REPO, "src", "chem", "data", "alerts")
DRUG_TSV = os.path.join(REPO, "src", "chem", "data", "approved-drugs.tsv")
REFERENCE = os.path.join(HERE, "reference.json")
ZINC_TEST = "/work/shared/data/zinc250k/split_test.smi.gz"
OUT = os.path.join(HERE, "alerts.json")

ZINC_RANGE = (100, 400)
N_DRUGS = 300
N_ISOMER_MOLS = 40

BUILTIN = ["BRENK", "NIH", "PAINS_A", "PAINS_B", "PAINS_C", "ZINC"]
TABLE_ONLY = ["CHEMBL_BMS", "CHEMBL_DUNDEE", "CHEMBL_GLAXO", "CHEMBL_INPHARMATICA", "CHEMBL_LINT", "CHEMBL_MLSMR",
              "CHEMBL_SURECHEMBL"]
ISOMER_FORMULAS = ["C7H8N2O2", "C9H10N2O2PF2Cl", "C11H24", "C17H14F3N3O2S"]
ISOMER_EXTRA = [
    ("4-nitrobenzylamine", "NCc1ccc(cc1)[N+](=O)[O-]"),
    ("celecoxib", "Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1"),
    ("undecane", "CCCCCCCCCCC"),
    ("2-methyldecane", "CC(C)CCCCCCCC"),
    ("trideuteroanisole", "[2H]C([2H])([2H])Oc1ccccc1"),
    ("sodium acetate", "CC(=O)[O-].[Na+]"),
]


def read_table(set_name):
    path = os.path.join(ALERT_DIR, set_name.lower() + ".tsv")
    with open(path) as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["name", "smarts", "max_allowed_matches", "comment"], rows[0]
    return [(r[0], r[1], int(r[2])) for r in rows[1:] if r]


def table_rule(set_name):
    compiled = []
    for name, smarts, max_allowed in read_table(set_name):
        q = Chem.MolFromSmarts(smarts, mergeHs=True)
        assert q is not None, (set_name, name)
        compiled.append((name, q, max_allowed))

    def fired(m):
        return [name for name, q, mx in compiled if len(m.GetSubstructMatches(q)) >= mx + 1]

    return fired


def builtin_catalog(set_name):
    params = FilterCatalogParams()
    params.AddCatalog(getattr(FilterCatalogParams.FilterCatalogs, set_name))
    cat = FilterCatalog(params)
    order = {cat.GetEntryWithIdx(i).GetDescription(): i for i in range(cat.GetNumEntries())}

    def fired(m):
        return sorted({e.GetDescription() for e in cat.GetMatches(m)}, key=lambda n: order[n])

    return fired


def mcf_rule():
    with open(os.path.join(ALERT_DIR, "moses_mcf.csv")) as fh:
        rows = list(csv.DictReader(fh))
    compiled = [(r["names"], Chem.MolFromSmarts(r["smarts"])) for r in rows]
    assert all(q is not None for _, q in compiled)
    return lambda m: [name for name, q in compiled if m.HasSubstructMatch(q)]


def select_molecules():
    mols, seen = [], set()

    def add(mid, smi):
        if smi not in seen:
            seen.add(smi)
            mols.append({"id": mid, "smiles": smi})

    with open(REFERENCE) as fh:
        for rec in json.load(fh)["molecules"]:
            add(rec["id"], rec["smiles"])
    with gzip.open(ZINC_TEST, "rt") as fh:
        for i, line in enumerate(fh):
            if ZINC_RANGE[0] <= i < ZINC_RANGE[1]:
                add("zinc_test:%d" % i, line.strip())
    with open(DRUG_TSV) as fh:
        rows = [l.rstrip("\n").split("\t") for l in fh if not l.startswith("#")]
    for name, chembl, smi, _year, _salt in rows[1:1 + N_DRUGS]:
        add("drug:%s" % chembl, smi)
    return mols


# --- GuacaMol isomer scoring (formula re-written, see module doc) ---------------------------------------------------
def parse_molecular_formula(formula):
    return [(el, int(n) if n else 1) for el, n in re.findall(r"([A-Z][a-z]*)(\d*)", formula)]


def gaussian(x, mu, sigma):
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2)


def atom_counts(m):
    mh = Chem.AddHs(m)
    counts = {}
    for a in mh.GetAtoms():
        counts[a.GetSymbol()] = counts.get(a.GetSymbol(), 0) + 1
    return counts, mh.GetNumAtoms()


def isomer_score(m, formula, mean):
    counts, n_atoms = atom_counts(m)
    terms = parse_molecular_formula(formula)
    scores = [gaussian(counts.get(el, 0), n, 1.0) for el, n in terms]
    scores.append(gaussian(n_atoms, sum(n for _, n in terms), 2.0))
    if mean == "arithmetic":
        return sum(scores) / len(scores)
    prod = 1.0
    for s in scores:
        prod *= s
    return prod ** (1.0 / len(scores))


def main():
    sets = {s: builtin_catalog(s) for s in BUILTIN}
    rules = {s: table_rule(s) for s in BUILTIN + TABLE_ONLY}
    mcf = mcf_rule()
    out, hits, disagreements = [], {}, 0
    for rec in select_molecules():
        m = Chem.MolFromSmiles(rec["smiles"])
        if m is None:
            print("unparsable: %s" % rec, file=sys.stderr)
            continue
        alerts = {}
        for s in BUILTIN:
            names = sets[s](m)
            if names != rules[s](m):
                disagreements += 1
                print("table rule != FilterCatalog: %s %s %s %s" % (rec["id"], s, names, rules[s](m)), file=sys.stderr)
            if names:
                alerts[s] = names
        for s in TABLE_ONLY:
            names = rules[s](m)
            if names:
                alerts[s] = names
        names = mcf(m)
        if names:
            alerts["MCF"] = names
        for s in alerts:
            hits[s] = hits.get(s, 0) + 1
        counts, n_atoms = atom_counts(m)
        out.append(dict(rec, alerts=alerts, bertzCT=GraphDescriptors.BertzCT(m),
                        elementCounts=dict(sorted(counts.items())), numAtoms=n_atoms,
                        formula=rdMolDescriptors.CalcMolFormula(m)))

    isomer = []
    targets = [(r["id"], r["smiles"]) for r in out[:N_ISOMER_MOLS]] + [("extra:" + n, s) for n, s in ISOMER_EXTRA]
    for mid, smi in targets:
        m = Chem.MolFromSmiles(smi)
        for f in ISOMER_FORMULAS:
            for mean in ("geometric", "arithmetic"):
                isomer.append({"id": mid, "smiles": smi, "formula": f, "mean": mean, "score": isomer_score(m, f, mean)})

    doc = {
        "generator": "test/reference/make_alerts.py",
        "rdkit": rdBase.rdkitVersion,
        "notes": "alerts: FilterCatalog for BRENK/NIH/PAINS_A/B/C/ZINC, table rule (mergeHs, >= max+1 unique matches) "
                 "for CHEMBL_*, MOSES rule for MCF; sets without hits omitted. bertzCT: GraphDescriptors.BertzCT. "
                 "elementCounts/numAtoms: after Chem.AddHs (GuacaMol AtomCounter / num_atoms).",
        "setHits": dict(sorted(hits.items())),
        "molecules": out,
        "isomerScores": isomer,
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print("wrote %d molecules, %d isomer scores to %s (%d bytes); molecules with hits per set: %s; "
          "table-rule disagreements with FilterCatalog: %d"
          % (len(out), len(isomer), OUT, os.path.getsize(OUT), json.dumps(doc["setHits"]), disagreements),
          file=sys.stderr)
    if disagreements:
        sys.exit(1)


if __name__ == "__main__":
    main()
