#!/usr/bin/env python3
"""Regenerate test/reference/reference.json: RDKit (Python) reference values for molnav's chemistry layer.

Run with Debian's RDKit (python3-rdkit 2022.09.3, rdkit-data, python3-networkx 2.8.8):

    /usr/bin/python3 test/reference/make_reference.py          # or: npm run reference

The jest suite test/chem/reference.spec.ts compares src/chem (RDKit MinimalLib 2025.03 WASM + our TS code) with
these values.

Molecule set (deterministic, 270 molecules):
  * ~150 approved-drug parents from src/chem/data/approved-drugs.tsv (run scripts/derive-drug-table.py first):
    the unique parent SMILES ordered by numeric ChEMBL id, evenly spaced picks, plus aspirin/caffeine/celecoxib;
  * the first 100 molecules of /work/shared/data/zinc250k/split_test.smi.gz;
  * ~20 hand-written edge cases (isotopes, charges, stereo, spiro/bridged/macro rings, fragments).

Per molecule: canonical SMILES, MolWt (Da), Crippen MolLogP, TPSA (Å²), NumHBD, NumHBA, NumRotatableBonds
(strict, the RDKit default), heavy atoms, aromatic rings, QED (rdkit.Chem.QED.qed, v1.1.0 WEIGHT_MEAN) with its 8
raw properties, SA score (RDKit Contrib SA_Score/sascorer.py logic with the fragment table), its components,
penalised logP (JT-VAE normalisation; networkx.cycle_basis on the molecule re-parsed from its canonical SMILES, as
JT-VAE's bo/gen_latent.py does), the largest SSSR ring and cycle_basis's largest cycle. For the first 40 molecules
the unfolded Morgan radius-2 count fingerprint (GetMorganFingerprint(m, 2).GetNonzeroElements()) is stored, and
ECFP4 (Morgan r=2, 2048 bits) Tanimoto values for 60 pairs.

Debian's RDKit is built without InChI, so InChIKeys are not in the reference (the jest suite checks aspirin's
InChIKey literally).
"""
import csv
import gzip
import json
import math
import os
import sys

import networkx as nx
from rdkit import Chem, DataStructs, RDLogger
from rdkit.Chem import Crippen, Descriptors, QED, rdMolDescriptors, rdmolops
from rdkit.Chem import AllChem

RDLogger.DisableLog("rdApp.*")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DRUG_TSV = os.path.join(REPO, "src", "chem", "data", "approved-drugs.tsv")
ZINC_TEST = "/work/shared/data/zinc250k/split_test.smi.gz"
OUT = os.path.join(HERE, "reference.json")

N_DRUGS = 150
N_ZINC = 100
N_MORGAN = 40
N_PAIRS = 60

EDGE_CASES = [
    ("trideuteroanisole", "[2H]C([2H])([2H])Oc1ccccc1"),
    ("13C-acetic acid", "[13CH3]C(=O)O"),
    ("acetylcholine", "C[N+](C)(C)CCOC(C)=O"),
    ("nitrobenzene", "[O-][N+](=O)c1ccccc1"),
    ("(R)-butan-2-ol", "C[C@@H](O)CC"),
    ("bromochlorofluoroiodomethane unassigned", "FC(Cl)(Br)I"),
    ("trans-2-butene", "C/C=C/C"),
    ("spiro[4.5]decane", "C1CCC2(CC1)CCCC2"),
    ("norbornane", "C1CC2CCC1C2"),
    ("adamantane", "C1C2CC3CC1CC(C2)C3"),
    ("cyclododecane", "C1CCCCCCCCCCC1"),
    ("naphthalene", "c1ccc2ccccc2c1"),
    ("sodium acetate", "CC(=O)[O-].[Na+]"),
    ("methanol explicit H", "[H]C([H])([H])O"),
    ("methane", "C"),
    ("water", "O"),
    ("pyrrole", "c1cc[nH]c1"),
    ("phenylboronic acid", "B(O)(O)c1ccccc1"),
    ("cubane", "C12C3C4C1C5C2C3C45"),
    ("benzene", "c1ccccc1"),
    ("ethanol", "CCO"),
    # RDKit 2022.09 (legacy stereo) counts the 1-methylcyclopropyl C as a possible stereocentre, 2025.03 does not:
    # the one known SA-score difference between the toolkits (kept on purpose).
    ("glecaprevir",
     "CC(C)(C)[C@@H]1NC(=O)O[C@@H]2CCC[C@H]2OC/C=C/C(F)(F)c2nc3ccccc3nc2O[C@@H]2C[C@@H](C(=O)N[C@]3"
     "(C(=O)NS(=O)(=O)C4(C)CC4)C[C@H]3C(F)F)N(C2)C1=O"),
]

# --- penalised logP (JT-VAE, Jin et al. 2018; constants as used by GCPN/JT-VAE optimisation code) -------------
LOGP_MEAN, LOGP_STD = 2.4570953396190123, 1.434324401111988
SA_MEAN, SA_STD = -3.0525811293166134, 0.8335207024513095
CYCLE_MEAN, CYCLE_STD = -0.0485696876403053, 0.2860212110245455

# --- SA score (Ertl & Schuffenhauer 2009): notebooks/molnav_vae/properties.py, shared with the training pipeline --
sys.path.insert(0, os.path.join(REPO, "notebooks"))
from molnav_vae.properties import sa_score  # noqa: E402


def cycle_basis_max(m):
    cycles = nx.cycle_basis(nx.Graph(rdmolops.GetAdjacencyMatrix(m)))
    return max((len(c) for c in cycles), default=0)


def penalized_logp(m, sa):
    canon = Chem.MolFromSmiles(Chem.MolToSmiles(m))
    cyc = cycle_basis_max(canon)
    cyc = 0 if cyc <= 6 else cyc - 6
    logp = Crippen.MolLogP(m)
    return (
        (logp - LOGP_MEAN) / LOGP_STD + (-sa - SA_MEAN) / SA_STD + (-cyc - CYCLE_MEAN) / CYCLE_STD,
        cycle_basis_max(canon),
    )


def select_molecules():
    mols = []
    # approved drugs: unique parents by numeric ChEMBL id, evenly spaced
    with open(DRUG_TSV) as fh:
        rows = [l.rstrip("\n").split("\t") for l in fh if not l.startswith("#")]
    header, rows = rows[0], rows[1:]
    seen = {}
    for name, chembl, smi, _year, _salt in sorted(rows, key=lambda r: int(r[1].replace("CHEMBL", ""))):
        seen.setdefault(smi, (name, chembl))
    parents = list(seen.items())
    step = len(parents) / N_DRUGS
    picked = {parents[int(i * step)][0]: parents[int(i * step)][1] for i in range(N_DRUGS)}
    for name in ("ASPIRIN", "CAFFEINE", "CELECOXIB"):
        for r in rows:
            if r[0] == name:
                picked.setdefault(r[2], (r[0], r[1]))
    for smi, (name, chembl) in picked.items():
        mols.append({"id": "drug:%s" % chembl, "name": name, "smiles": smi})
    with gzip.open(ZINC_TEST, "rt") as fh:
        for i, line in enumerate(fh):
            if i >= N_ZINC:
                break
            mols.append({"id": "zinc_test:%d" % i, "name": None, "smiles": line.strip()})
    for name, smi in EDGE_CASES:
        mols.append({"id": "edge:%s" % name, "name": name, "smiles": smi})
    return mols


def r6(x):
    return float("%.6f" % x)


def main():
    mols = select_molecules()
    out_mols = []
    fps = []
    for i, rec in enumerate(mols):
        m = Chem.MolFromSmiles(rec["smiles"])
        if m is None:
            print("unparsable: %s" % rec, file=sys.stderr)
            continue
        qp = QED.properties(m)
        sa, comps = sa_score(m)
        plogp, cyc = penalized_logp(m, sa)
        ring_sizes = [len(r) for r in m.GetRingInfo().AtomRings()]
        entry = dict(
            rec,
            canonicalSmiles=Chem.MolToSmiles(m),
            mw=r6(Descriptors.MolWt(m)),
            clogp=r6(Crippen.MolLogP(m)),
            tpsa=r6(rdMolDescriptors.CalcTPSA(m)),
            hbd=rdMolDescriptors.CalcNumHBD(m),
            hba=rdMolDescriptors.CalcNumHBA(m),
            rotatableBonds=rdMolDescriptors.CalcNumRotatableBonds(m),
            heavyAtoms=m.GetNumHeavyAtoms(),
            aromaticRings=rdMolDescriptors.CalcNumAromaticRings(m),
            qed=r6(QED.qed(m)),
            qedProperties={k: (r6(v) if isinstance(v, float) else v) for k, v in qp._asdict().items()},
            sa=r6(sa),
            saComponents={k: (r6(v) if isinstance(v, float) else v) for k, v in comps.items()},
            plogp=r6(plogp),
            cycleBasisMax=cyc,
            sssrMaxRing=max(ring_sizes, default=0),
        )
        if i < N_MORGAN or rec["id"].startswith("edge:"):
            nz = rdMolDescriptors.GetMorganFingerprint(m, 2).GetNonzeroElements()
            entry["morganR2Counts"] = {str(k): v for k, v in sorted(nz.items())}
        out_mols.append(entry)
        fps.append(AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048))

    pairs = []
    n = len(out_mols)
    for k in range(N_PAIRS):
        a = (k * 7) % n
        b = (k * 13 + 5) % n
        if a == b:
            b = (b + 1) % n
        pairs.append(
            {"a": out_mols[a]["smiles"], "b": out_mols[b]["smiles"],
             "tanimoto": r6(DataStructs.TanimotoSimilarity(fps[a], fps[b]))}
        )

    import networkx
    from rdkit import rdBase

    doc = {
        "generator": "test/reference/make_reference.py",
        "rdkit": rdBase.rdkitVersion,
        "networkx": networkx.__version__,
        "notes": "Values from RDKit Python; SA score with sa_fpscores.tsv.gz (== Contrib fpscores.pkl.gz); "
                 "plogp = JT-VAE normalised penalised logP with networkx cycle_basis on the canonical-SMILES mol.",
        "molecules": out_mols,
        "tanimotoPairs": pairs,
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print("wrote %d molecules, %d pairs to %s (%d bytes)" % (len(out_mols), len(pairs), OUT, os.path.getsize(OUT)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
