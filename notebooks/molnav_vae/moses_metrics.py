"""MOSES-style distribution metrics and latent smoothness, computed with Debian's RDKit.

Definitions follow MOSES (Polykovskiy et al., "Molecular Sets (MOSES): A Benchmarking Platform for Molecular
Generation Models", Front. Pharmacol. 2020, doi:10.3389/fphar.2020.565644) so that our numbers compare with its
tables; the code is ours. Every metric takes canonical SMILES or RDKit molecules of *valid* generated molecules,
in generation order, duplicates kept (as MOSES does):

- unique@k: distinct canonical SMILES among the first k valid molecules / k.
- novelty: distinct valid molecules not in the training set / distinct valid molecules.
- IntDiv1: 1 - mean Tanimoto over all ordered pairs of generated molecules (self-pairs included), Morgan radius 2,
  1024 bits.
- Filters: fraction passing the MOSES filters (no ring of 8 or more atoms, no formal charge, only C N S O F Cl Br H,
  no match of the 22 MCF and 480 PAINS SMARTS of ../shared/data/filters on the molecule with explicit hydrogens).
- SNN: mean over generated molecules of the Tanimoto to the nearest reference molecule (Morgan r2, 1024 bits).
- Frag: cosine similarity of the BRICS fragment count vectors (fragments from breaking every BRICS bond).
- Scaf: cosine similarity of the Bemis-Murcko scaffold count vectors (scaffolds with at least two rings).

Not computed: FCD (needs the ChemNet weights, which cannot be downloaded here).
"""
import csv
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np

ALLOWED_ATOMS = {"C", "N", "S", "O", "F", "Cl", "Br", "H"}
FP_BITS = 1024  # MOSES' Morgan fingerprint for SNN and IntDiv
TANIMOTO_CHUNK = 2048


def _quiet():
    from rdkit import RDLogger

    RDLogger.DisableLog("rdApp.*")


def to_mols(smiles: Iterable[str]):
    from rdkit import Chem

    _quiet()
    return [Chem.MolFromSmiles(s) for s in smiles]


def unique_at(valid_canonical: Sequence[str], k: int) -> Dict:
    """unique@k over the first k valid molecules; `n` says how many there were (fewer than k if generation fell short)."""
    head = list(valid_canonical[:k])
    return {"k": k, "n": len(head), "value": len(set(head)) / len(head) if head else 0.0}


def novelty(valid_canonical: Iterable[str], train: set) -> float:
    distinct = set(valid_canonical)
    return len(distinct - train) / len(distinct) if distinct else 0.0


def morgan_matrix(mols, bits: int = FP_BITS) -> np.ndarray:
    """Morgan radius-2 bit vectors as a `[n, bits]` uint8 matrix."""
    from rdkit import DataStructs
    from rdkit.Chem import AllChem

    out = np.zeros((len(mols), bits), dtype=np.uint8)
    row = np.zeros((bits,), dtype=np.uint8)
    for i, m in enumerate(mols):
        DataStructs.ConvertToNumpyArray(AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=bits), row)
        out[i] = row
    return out


def _tanimoto_blocks(query: np.ndarray, ref: np.ndarray):
    """Yields (query row slice, Tanimoto block [rows, len(ref)]) with Tanimoto = |a&b| / (|a|+|b|-|a&b|); two empty
    fingerprints count as identical (1.0)."""
    r = ref.astype(np.float32)
    r_pop = r.sum(axis=1)
    for i in range(0, len(query), TANIMOTO_CHUNK):
        q = query[i : i + TANIMOTO_CHUNK].astype(np.float32)
        both = q @ r.T
        union = q.sum(axis=1)[:, None] + r_pop[None, :] - both
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(union > 0, both / np.maximum(union, 1e-9), 1.0)
        yield slice(i, i + len(q)), t


def internal_diversity(fps: np.ndarray) -> float:
    """IntDiv1 = 1 - mean pairwise Tanimoto (all ordered pairs, self-pairs included)."""
    if len(fps) == 0:
        return 0.0
    total = 0.0
    for _, t in _tanimoto_blocks(fps, fps):
        total += float(t.sum(dtype=np.float64))
    return 1.0 - total / (len(fps) * len(fps))


def snn(gen_fps: np.ndarray, ref_fps: np.ndarray) -> float:
    """Mean Tanimoto of each generated molecule to its nearest neighbour in the reference set."""
    if len(gen_fps) == 0 or len(ref_fps) == 0:
        return 0.0
    best = np.zeros(len(gen_fps), dtype=np.float64)
    for rows, t in _tanimoto_blocks(gen_fps, ref_fps):
        best[rows] = t.max(axis=1)
    return float(best.mean())


def brics_fragments(mols) -> Counter:
    from rdkit import Chem

    counts: Counter = Counter()
    for m in mols:
        counts.update(Chem.MolToSmiles(Chem.FragmentOnBRICSBonds(m)).split("."))
    return counts


def murcko_scaffolds(mols, min_rings: int = 2) -> Counter:
    from rdkit import Chem
    from rdkit.Chem.Scaffolds import MurckoScaffold

    counts: Counter = Counter()
    for m in mols:
        try:
            scaffold = MurckoScaffold.GetScaffoldForMol(m)
        except Exception:  # RDKit raises on a few exotic valences; MOSES skips them too
            continue
        smi = Chem.MolToSmiles(scaffold)
        if smi and scaffold.GetRingInfo().NumRings() >= min_rings:
            counts[smi] += 1
    return counts


def cosine_counts(a: Counter, b: Counter) -> float:
    """Cosine similarity of two count vectors over the union of their keys (0 when either is empty)."""
    if not a or not b:
        return 0.0
    keys = set(a) | set(b)
    va = np.array([a.get(k, 0) for k in keys], dtype=np.float64)
    vb = np.array([b.get(k, 0) for k in keys], dtype=np.float64)
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))


def load_filters(filters_dir: Path) -> List:
    """The MOSES filter SMARTS: moses_mcf.csv (header `names,smarts`) and moses_wehi_pains.csv (no header,
    space-padded `"SMARTS","<regId=...>"`), parsed without merging hydrogens as MOSES does."""
    from rdkit import Chem

    smarts: List[str] = []
    with open(filters_dir / "moses_mcf.csv", newline="") as f:
        smarts += [row["smarts"].strip() for row in csv.DictReader(f)]
    with open(filters_dir / "moses_wehi_pains.csv", newline="") as f:
        smarts += [row[0].strip() for row in csv.reader(f, skipinitialspace=True) if row]
    patterns = [Chem.MolFromSmarts(s) for s in smarts]
    bad = [s for s, p in zip(smarts, patterns) if p is None]
    if bad:
        raise ValueError(f"{len(bad)} MOSES filter SMARTS do not parse, e.g. {bad[0]!r}")
    return patterns


def passes_filters(mol, patterns: List) -> bool:
    from rdkit import Chem

    if mol is None:
        return False
    if any(len(ring) >= 8 for ring in mol.GetRingInfo().AtomRings()):
        return False
    if any(a.GetFormalCharge() != 0 or a.GetSymbol() not in ALLOWED_ATOMS for a in mol.GetAtoms()):
        return False
    with_h = Chem.AddHs(mol)
    return not any(with_h.HasSubstructMatch(p) for p in patterns)


class Reference:
    """Statistics of a reference set (the test split) computed once: fingerprints, fragments, scaffolds, and its own
    IntDiv1 and Filters pass rate (what a model that reproduced the data distribution would score)."""

    def __init__(self, smiles: Sequence[str], filters: Optional[List] = None):
        mols = [m for m in to_mols(smiles) if m is not None]
        self.n = len(mols)
        self.fps = morgan_matrix(mols)
        self.fragments = brics_fragments(mols)
        self.scaffolds = murcko_scaffolds(mols)
        self.int_div1 = internal_diversity(self.fps)
        self.filters = float(np.mean([passes_filters(m, filters) for m in mols])) if filters is not None and mols else None


def distribution_metrics(valid_canonical: Sequence[str], n_generated: int, train: set, ref: Reference,
                         filters: List, ks=(1000, 10000)) -> Dict:
    """All MOSES-style metrics of one generated set.

    valid_canonical: canonical SMILES of the valid molecules in generation order (duplicates kept);
    n_generated: how many latents were decoded to produce them (validity = valid / n_generated).
    """
    mols = to_mols(valid_canonical)
    fps = morgan_matrix(mols)
    out = {
        "n_generated": n_generated,
        "n_valid": len(valid_canonical),
        "validity": len(valid_canonical) / n_generated if n_generated else 0.0,
        "novelty": novelty(valid_canonical, train),
        "int_div1": internal_diversity(fps),
        "filters": float(np.mean([passes_filters(m, filters) for m in mols])) if mols else 0.0,
        "snn": snn(fps, ref.fps),
        "frag": cosine_counts(ref.fragments, brics_fragments(mols)),
        "scaf": cosine_counts(ref.scaffolds, murcko_scaffolds(mols)),
        "reference_n": ref.n,
    }
    for k in ks:
        out[f"unique@{k}"] = unique_at(valid_canonical, k)
    return out


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """The service's SLERP (src/navigation/latent.ts): linear when a vector is zero or the two are (anti)parallel."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0 or nb == 0:
        return (1 - t) * a + t * b
    omega = float(np.arccos(np.clip(a @ b / (na * nb), -1.0, 1.0)))
    so = np.sin(omega)
    if so < 1e-6:
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) / so) * a + (np.sin(t * omega) / so) * b


def smoothness(endpoints: Sequence[tuple], decoded: Sequence[List[Optional[str]]]) -> Dict:
    """Latent smoothness of interpolations between held-out pairs.

    endpoints: (from canonical SMILES, to canonical SMILES) per pair; decoded: per pair, the canonical SMILES (None if
    invalid) of the interior points in order of t. Reports the fraction of valid interior points and the mean ECFP4
    (Morgan r2, 2048 bits, as the service) Tanimoto between consecutive *distinct* molecules along each path
    (endpoints included, invalid points dropped, repeats collapsed), plus distinct intermediates per path.
    """
    from rdkit import DataStructs
    from rdkit.Chem import AllChem

    _quiet()
    interior = valid = 0
    sims: List[float] = []
    distinct_counts: List[int] = []
    for (a, b), points in zip(endpoints, decoded):
        interior += len(points)
        valid += sum(p is not None for p in points)
        chain: List[str] = []
        for s in [a, *[p for p in points if p is not None], b]:
            if not chain or chain[-1] != s:
                chain.append(s)
        distinct_counts.append(len({p for p in points if p is not None} - {a, b}))
        fps = [AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048) for m in to_mols(chain)]
        sims += [DataStructs.TanimotoSimilarity(x, y) for x, y in zip(fps, fps[1:])]
    return {
        "pairs": len(endpoints),
        "interior_points": interior,
        "valid_fraction": valid / interior if interior else 0.0,
        "mean_consecutive_tanimoto": float(np.mean(sims)) if sims else 0.0,
        "mean_distinct_intermediates": float(np.mean(distinct_counts)) if distinct_counts else 0.0,
    }
