"""Molecular properties with Debian's RDKit (Python), as the TypeScript chemistry layer computes them.

- MW: Descriptors.MolWt, Da.  cLogP: Crippen.MolLogP (Wildman & Crippen 1999, doi:10.1021/ci990307l).
- TPSA: rdMolDescriptors.CalcTPSA, Å² (Ertl, Rohde & Selzer 2000, doi:10.1021/jm000942e; N and O only).
- QED: rdkit.Chem.QED.qed, mean weights (Bickerton et al. 2012, doi:10.1038/nchem.1243).
- SA score: Ertl & Schuffenhauer 2009 (doi:10.1186/1758-2946-1-8), the logic of RDKit Contrib
  SA_Score/sascorer.py with the fragment table shipped in src/chem/data/sa_fpscores.tsv.gz (Debian's RDKit has no
  Contrib folder).
test/reference/make_reference.py uses the same SA implementation to produce the TypeScript reference values.
"""
import gzip
import math
from pathlib import Path
from typing import Dict, Optional, Tuple

from rdkit import Chem
from rdkit.Chem import QED, Crippen, Descriptors, rdMolDescriptors

SA_TABLE = Path(__file__).resolve().parents[2] / "src" / "chem" / "data" / "sa_fpscores.tsv.gz"
_fscores: Optional[Dict[int, float]] = None


def _fragment_scores() -> Dict[int, float]:
    global _fscores
    if _fscores is None:
        table = {}
        with gzip.open(SA_TABLE, "rt") as fh:
            next(fh)
            for line in fh:
                k, v = line.split("\t")
                table[int(k)] = float(v)
        _fscores = table
    return _fscores


def sa_score(m) -> Tuple[float, Dict]:
    """Returns (score 1..10, components). Mirrors sascorer.calculateScore (RDKit Contrib, with the density term)."""
    fscores = _fragment_scores()
    fps = rdMolDescriptors.GetMorganFingerprint(m, 2).GetNonzeroElements()
    score1 = 0.0
    nf = 0
    for bit, v in fps.items():
        nf += v
        score1 += fscores.get(bit, -4) * v
    score1 /= nf
    n_atoms = m.GetNumAtoms()
    n_chiral = len(Chem.FindMolChiralCenters(m, includeUnassigned=True))
    n_spiro = rdMolDescriptors.CalcNumSpiroAtoms(m)
    n_bridge = rdMolDescriptors.CalcNumBridgeheadAtoms(m)
    n_macro = sum(1 for r in m.GetRingInfo().AtomRings() if len(r) > 8)
    score2 = (
        0.0
        - (n_atoms**1.005 - n_atoms)
        - math.log10(n_chiral + 1)
        - math.log10(n_spiro + 1)
        - math.log10(n_bridge + 1)
        - (math.log10(2) if n_macro > 0 else 0.0)
    )
    score3 = math.log(float(n_atoms) / len(fps)) * 0.5 if n_atoms > len(fps) else 0.0
    s = score1 + score2 + score3
    s = 11.0 - (s - -4.0 + 1) / (2.5 - -4.0) * 9.0
    if s > 8.0:
        s = 8.0 + math.log(s + 1.0 - 9.0)
    s = min(10.0, max(1.0, s))
    comps = dict(
        fragmentScore=score1,
        nAtoms=n_atoms,
        nChiralCenters=n_chiral,
        nSpiro=n_spiro,
        nBridgeheads=n_bridge,
        nMacrocycles=n_macro,
        nDistinctIds=len(fps),
        nUnknownIds=sum(1 for b in fps if b not in fscores),
    )
    return s, comps


# name -> (label, unit, function of an RDKit Mol). Names are the MolecularProperties keys of src/chem/chemistry.ts.
PROPERTIES = {
    "clogp": ("cLogP (Crippen)", "", Crippen.MolLogP),
    "tpsa": ("TPSA", "Å²", rdMolDescriptors.CalcTPSA),
    "qed": ("QED", "", QED.qed),
    "mw": ("molecular weight", "Da", Descriptors.MolWt),
    "sa": ("SA score", "", lambda m: sa_score(m)[0]),
}


def properties(m) -> Dict[str, float]:
    """The PROPERTIES of one sanitised RDKit Mol."""
    return {k: float(f(m)) for k, (_, _, f) in PROPERTIES.items()}


def safe_properties(m) -> Optional[Dict[str, float]]:
    """properties(m), or None when RDKit fails on the molecule (e.g. QED's RemoveHs on an odd valence)."""
    try:
        return properties(m)
    except Exception:
        return None
