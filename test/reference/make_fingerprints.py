#!/usr/bin/env python3
"""Regenerate test/reference/fingerprints.json: RDKit (Python) reference for the unfolded GuacaMol / PMO fingerprints.

Run with Debian's RDKit (python3-rdkit 2022.09.3), after make_reference.py (the molecule set is read from
test/reference/reference.json):

    /usr/bin/python3 test/reference/make_fingerprints.py

The jest suite test/chem/fingerprints.spec.ts compares src/chem/fingerprints.ts and src/chem/pharm2d.ts with these
values. Molecules: those of reference.json, the 17 GuacaMol/PMO targets and ~60 edge cases (EXTRA). The fingerprints are the ones of guacamol/utils/fingerprints.py (Brown et al. 2019, doi:10.1021/acs.jcim.8b00839),
which TDC's PMO oracles reuse:

  ECFP4  AllChem.GetMorganFingerprint(m, 2)                       IntSparseIntVect (unfolded ids, counts)
  ECFP6  AllChem.GetMorganFingerprint(m, 3)
  FCFP4  AllChem.GetMorganFingerprint(m, 2, useFeatures=True)
  AP     AllChem.GetAtomPairFingerprint(m, maxLength=10)          IntSparseIntVect
  PHCO   Generate.Gen2DFingerprint(m, Gobbi_Pharm2D.factory)      SparseBitVect (on-bit ids)

Per molecule the sparse vectors are stored as [[id, count], ...] (PHCO: [id, ...]), sorted by id. Tanimoto values
(DataStructs.TanimotoSimilarity, full double precision) are stored for every PMO target against every 5th molecule
and against the other targets.
"""
import json
import os
import sys

from rdkit import Chem, DataStructs, RDLogger, rdBase
from rdkit.Chem import AllChem
from rdkit.Chem.Pharm2D import Generate, Gobbi_Pharm2D

RDLogger.DisableLog("rdApp.*")

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "reference.json")
OUT = os.path.join(HERE, "fingerprints.json")

# GuacaMol / PMO target molecules (SMILES as in guacamol/standard_benchmarks.py).
TARGETS = [
    ("celecoxib", "CC1=CC=C(C=C1)C1=CC(=NN1C1=CC=C(C=C1)S(N)(=O)=O)C(F)(F)F"),
    ("troglitazone", "Cc1c(C)c2OC(C)(COc3ccc(CC4SC(=O)NC4=O)cc3)CCc2c(C)c1O"),
    ("thiothixene", "CN(C)S(=O)(=O)c1ccc2Sc3ccccc3C(=CCCN4CCN(C)CC4)c2c1"),
    ("albuterol", "CC(C)(C)NCC(O)c1ccc(O)c(CO)c1"),
    ("mestranol", "COc1ccc2[C@H]3CC[C@@]4(C)[C@@H](CC[C@@]4(O)C#C)[C@@H]3CCc2c1"),
    ("camphor", "CC1(C)C2CCC1(C)C(=O)C2"),
    ("menthol", "CC(C)C1CCC(C)CC1O"),
    ("tadalafil", "O=C1N(CC(N2C1CC3=C(C2C4=CC5=C(OCO5)C=C4)NC6=C3C=CC=C6)=O)C"),
    ("sildenafil", "CCCC1=NN(C2=C1N=C(NC2=O)C3=C(C=CC(=C3)S(=O)(=O)N4CCN(CC4)C)OCC)C"),
    ("osimertinib", "COc1cc(N(C)CCN(C)C)c(NC(=O)C=C)cc1Nc2nccc(n2)c3cn(C)c4ccccc34"),
    ("fexofenadine", "CC(C)(C(=O)O)c1ccc(cc1)C(O)CCCN2CCC(CC2)C(O)(c3ccccc3)c4ccccc4"),
    ("ranolazine", "COc1ccccc1OCC(O)CN2CCN(CC(=O)Nc3c(C)cccc3C)CC2"),
    ("perindopril", "O=C(OCC)C(NC(C(=O)N1C(C(=O)O)CC2CCCCC12)C)CCC"),
    ("amlodipine", "Clc1ccccc1C2C(=C(/N/C(=C2/C(=O)OC)COCCN)C)\\C(=O)OCC"),
    ("sitagliptin", "Fc1cc(c(F)cc1F)CC(N)CC(=O)N3Cc2nnc(n2CC3)C(F)(F)F"),
    ("zaleplon", "O=C(C)N(CC)C1=CC=CC(C2=CC=NC3=C(C=NN23)C#N)=C1"),
    ("deco/scaffold hop query", "CCCOc1cc2ncnc(Nc3ccc4ncsc4c3)c2cc1S(=O)(=O)C(C)(C)C"),
]

# Extra edge cases for the atom-pair pi-electron / hybridisation rule and the feature SMARTS.
EXTRA = [
    ("DMSO", "CS(C)=O"),
    ("phenyl sulfoxide", "CS(=O)c1ccccc1"),
    ("vinyl sulfoxide", "C=CS(C)=O"),
    ("sulfine", "C=S=O"),
    ("triphenylphosphine oxide", "O=P(c1ccccc1)(c1ccccc1)c1ccccc1"),
    ("perchlorate", "[O-]Cl(=O)(=O)=O"),
    ("periodate", "[O-]I(=O)(=O)=O"),
    ("iodosobenzene", "O=Ic1ccccc1"),
    ("selenoxide", "C[Se](C)=O"),
    ("thiophene S-oxide", "O=S1C=CC=C1"),
    ("sulfur ylide", "C=S(C)(C)=O"),
    ("phosphorus ylide", "C=P(c1ccccc1)(c1ccccc1)c1ccccc1"),
    ("iminium explicit H", "C=[NH2+]"),
    ("formyl bracket H", "[CH](=O)c1ccccc1"),
    ("isocyanide", "[C-]#[N+]c1ccccc1"),
    ("azide", "CN=[N+]=[N-]"),
    ("diazomethane", "C=[N+]=[N-]"),
    ("allene", "C=C=CC"),
    ("nitrile", "CC#N"),
    ("nitro", "C[N+](=O)[O-]"),
    ("N-oxide", "[O-][n+]1ccccc1"),
    ("carboxylate", "CC(=O)[O-]"),
    ("sulfonate", "CS(=O)(=O)[O-]"),
    ("phosphate", "OP(=O)(O)O"),
    ("trimethylsilyl", "C[Si](C)(C)C#C"),
    ("boronic ester", "CC1(C)OB(c2ccccc2)OC1(C)C"),
    ("arsenic", "O=[As](O)(O)c1ccccc1"),
    ("tellurium", "C[Te]C"),
    ("thioamide", "NC(=S)c1ccccc1"),
    ("thiourea", "NC(=S)N"),
    ("guanidinium", "NC(=[NH2+])N"),
    ("imidazolium", "C[n+]1cc[nH]c1"),
    ("tetrazole", "c1nnn[nH]1"),
    ("oxazole", "c1cocn1"),
    ("isoxazole", "c1conc1"),
    ("thiazole", "c1cscn1"),
    ("furan", "c1ccoc1"),
    ("pyridone", "O=c1cccc[nH]1"),
    ("hydroxamic acid", "CC(=O)NO"),
    ("thiol", "CCS"),
    ("thiolate", "CC[S-]"),
    ("quaternary ammonium", "C[N+](C)(C)C"),
    ("ammonium", "CC[NH3+]"),
    ("aniline", "Nc1ccccc1"),
    ("amidine", "CC(=N)N"),
    ("enamine", "CC=CN(C)C"),
    ("long chain", "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC(=O)O"),
    ("disconnected", "CCO.c1ccccc1N.Cl"),
    ("tBu", "CC(C)(C)C"),
    ("isopropyl ketone", "CC(C)C(=O)CC(C)C"),
    ("ferrocene-like salt", "[Fe+2].[O-]C(=O)C.[O-]C(=O)C"),
    ("dummy atom", "*c1ccccc1"),
    ("deuterated", "[2H]C([2H])([2H])c1ccccc1"),
    ("explicit H kept", "[H][N+]([H])([H])C"),
    ("cubane", "C12C3C4C1C5C2C3C45"),
    ("macrocycle", "C1CCCCCCCCCCCCCCCCCCCCC1"),
    ("spiro fused", "C1CC2(C1)CCC1(CC2)OCCO1"),
    ("big polyaromatic", "c1cc2ccc3cccc4ccc(c1)c2c34"),
]

KINDS = ("ECFP4", "ECFP6", "FCFP4", "AP", "PHCO")
PAIR_STRIDE = 5


def fingerprints(m):
    return {
        "ECFP4": AllChem.GetMorganFingerprint(m, 2),
        "ECFP6": AllChem.GetMorganFingerprint(m, 3),
        "FCFP4": AllChem.GetMorganFingerprint(m, 2, useFeatures=True),
        "AP": AllChem.GetAtomPairFingerprint(m, maxLength=10),
        "PHCO": Generate.Gen2DFingerprint(m, Gobbi_Pharm2D.factory),
    }


def as_json(kind, fp):
    if kind == "PHCO":
        return list(fp.GetOnBits())
    return [[k, v] for k, v in sorted(fp.GetNonzeroElements().items())]


def main():
    with open(REFERENCE) as fh:
        ref = json.load(fh)
    recs = [{"id": m["id"], "name": m["name"], "smiles": m["smiles"]} for m in ref["molecules"]]
    recs += [{"id": "target:%s" % name, "name": name, "smiles": smi} for name, smi in TARGETS]
    recs += [{"id": "extra:%s" % name, "name": name, "smiles": smi} for name, smi in EXTRA]

    out_mols, fps = [], []
    for rec in recs:
        m = Chem.MolFromSmiles(rec["smiles"])
        if m is None:
            print("unparsable: %s" % rec, file=sys.stderr)
            continue
        f = fingerprints(m)
        fps.append(f)
        out_mols.append(dict(rec, **{k: as_json(k, f[k]) for k in KINDS}))

    targets = [i for i, r in enumerate(out_mols) if r["id"].startswith("target:")]
    others = [i for i in range(len(out_mols)) if i % PAIR_STRIDE == 0 and i not in targets]
    pairs = []
    for t in targets:
        for o in others + [u for u in targets if u > t]:
            pairs.append({
                "a": out_mols[t]["id"],
                "b": out_mols[o]["id"],
                **{k: DataStructs.TanimotoSimilarity(fps[t][k], fps[o][k]) for k in KINDS},
            })

    doc = {
        "generator": "test/reference/make_fingerprints.py",
        "rdkit": rdBase.rdkitVersion,
        "kinds": list(KINDS),
        "phcoSignatureSize": Gobbi_Pharm2D.factory.GetSigSize(),
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
