"""Data preparation: ZINC250k splits -> RDKit canonical SMILES -> token ids, plus length-bucketed batches."""
import gzip
import hashlib
import json
import random
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import torch

from .config import Config
from .tokenizer import Vocab, tokenize

SPLITS = ("train", "valid", "test")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_split(data_dir: Path, split: str, limit: Optional[int]) -> List[str]:
    path = data_dir / "zinc250k" / f"split_{split}.smi.gz"
    out = []
    with gzip.open(path, "rt") as f:
        for line in f:
            s = line.strip()
            if s:
                out.append(s)
            if limit is not None and len(out) >= limit:
                break
    return out


def canonicalize(smiles: str) -> Optional[str]:
    """RDKit canonical isomeric SMILES, or None when RDKit cannot parse it."""
    from rdkit import Chem

    mol = Chem.MolFromSmiles(smiles)
    return None if mol is None else Chem.MolToSmiles(mol)


def prepare(cfg: Config) -> Dict:
    """Canonicalise and tokenise the three splits, build the vocabulary from train, write them to the work dir.

    Returns a summary dict (counts, dropped molecules, max length, source checksums). Idempotent: a second call
    with the same config reads the cached result.
    """
    from rdkit import RDLogger

    RDLogger.DisableLog("rdApp.*")
    work = cfg.work_dir
    work.mkdir(parents=True, exist_ok=True)
    summary_path = work / "data_summary.json"
    if summary_path.exists():
        summary = json.loads(summary_path.read_text())
        if summary.get("config_hash") == cfg.hash():
            return summary
    summary = {"config_hash": cfg.hash(), "data_dir": str(cfg.data_dir), "splits": {}, "sources": {}}
    canon: Dict[str, List[str]] = {}
    limits = {"train": cfg.train_limit, "valid": cfg.valid_limit, "test": cfg.test_limit}
    for split in SPLITS:
        path = cfg.data_dir / "zinc250k" / f"split_{split}.smi.gz"
        summary["sources"][f"zinc250k/{path.name}"] = sha256_file(path)
        raw = read_split(cfg.data_dir, split, limits[split])
        kept, unparsable, too_long = [], 0, 0
        for s in raw:
            c = canonicalize(s)
            if c is None:
                unparsable += 1
                continue
            if len(tokenize(c)) > cfg.max_len:
                too_long += 1
                if split == "train":
                    continue  # the test split keeps them: they count as failures in evaluation
            kept.append(c)
        canon[split] = kept
        summary["splits"][split] = {"read": len(raw), "kept": len(kept), "unparsable": unparsable, "too_long": too_long}
    vocab = Vocab.build(canon["train"])
    (work / "vocab.json").write_text(vocab.to_json())
    for split, smiles in canon.items():
        (work / f"{split}.smi").write_text("\n".join(smiles) + "\n")
    lengths = [len(tokenize(s)) for s in canon["train"]]
    summary["vocab_size"] = len(vocab)
    summary["max_train_tokens"] = max(lengths)
    summary["mean_train_tokens"] = sum(lengths) / len(lengths)
    summary_path.write_text(json.dumps(summary, indent=1))
    return summary


def load_prepared(cfg: Config) -> Tuple[Vocab, Dict[str, List[str]]]:
    work = cfg.work_dir
    vocab = Vocab.from_json((work / "vocab.json").read_text())
    splits = {s: [l for l in (work / f"{s}.smi").read_text().splitlines() if l] for s in SPLITS}
    return vocab, splits


def encode_all(vocab: Vocab, smiles: List[str]) -> List[List[int]]:
    return [vocab.encode(s) for s in smiles]


def pad_batch(seqs: List[List[int]]) -> Tuple[torch.Tensor, torch.Tensor]:
    """Right-pad token id lists with 0. Returns tokens [B, L] int64 and lengths [B] int64."""
    L = max(len(s) for s in seqs)
    tokens = torch.zeros(len(seqs), L, dtype=torch.long)
    for i, s in enumerate(seqs):
        tokens[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return tokens, torch.tensor([len(s) for s in seqs], dtype=torch.long)


def bucketed_batches(n_items: int, lengths: List[int], batch_size: int, seed: int) -> List[List[int]]:
    """Indices grouped by similar length (sorted inside shuffled chunks of 50 batches), batches shuffled.

    Deterministic for a given seed, so a resumed epoch replays the same batch order.
    """
    rng = random.Random(seed)
    idx = list(range(n_items))
    rng.shuffle(idx)
    chunk = batch_size * 50
    batches = []
    for c in range(0, n_items, chunk):
        part = sorted(idx[c : c + chunk], key=lambda i: lengths[i])
        batches.extend(part[b : b + batch_size] for b in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def iterate(seqs: List[List[int]], batches: List[List[int]], start: int = 0) -> Iterator[Tuple[int, torch.Tensor, torch.Tensor]]:
    for b in range(start, len(batches)):
        yield b, *pad_batch([seqs[i] for i in batches[b]])
