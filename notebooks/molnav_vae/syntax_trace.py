"""Writes the syntax-mask parity fixture: token sequences and, per step, the tokens molnav_vae.syntax allows.

src/model/syntax.ts implements the same rules; test/model/syntax-parity.spec.ts replays each sequence through it and
compares the allowed set step by step. The sequences are decodes of the model under the mask (greedy and sampled at
temperature 1, so they cover rows that close rings, fuse aromatic systems and fail), replayed with `wants_end` false
up to `wants_end_from` and true from there on (closing mode).

Usage (repo root): /usr/bin/python3 -m molnav_vae.syntax_trace --config notebooks/configs/full.json \
    --out test/fixtures/syntax-trace.json   (with PYTHONPATH=notebooks)
"""
import argparse
import json

import torch

from .config import load_config
from .syntax import SyntaxState, token_class
from .train import load_trained


def trace(itos, rows, max_steps: int, wants_end_from: int):
    """Hex bitmask (bit i = token id i allowed) of the allowed set before each token of `rows` (a list of token ids,
    <eos> included)."""
    classes = [token_class(t) for t in itos]
    st = SyntaxState(classes, itos, max_steps)
    out = []
    for step, tid in enumerate(rows):
        allowed = st.allowed(wants_end=step >= wants_end_from)
        out.append(format(sum(1 << i for i, ok in enumerate(allowed) if ok), "x"))
        st.advance(tid)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=120)
    args = ap.parse_args()
    cfg = load_config(args.config)
    model, vocab, _ = load_trained(cfg)
    max_steps = cfg.max_len + 1
    g = torch.Generator().manual_seed(cfg.seed + 1)
    half = args.rows // 2
    z = torch.randn(args.rows, model.latent_dim, generator=g)
    greedy = model.greedy(z[:half], max_steps, syntax_itos=vocab.itos)
    sampled = model.sample(z[half:], max_steps, temperature=1.0, generator=g, syntax_itos=vocab.itos)
    seqs = []
    for k, r in enumerate(greedy.tolist() + sampled.tolist()):
        ids = r[: r.index(vocab.eos) + 1] if vocab.eos in r else r
        wants_end_from = len(ids) if k % 2 == 0 else max(1, (len(ids) * 2) // 3)
        seqs.append({"tokens": ids, "wants_end_from": wants_end_from,
                     "allowed": trace(vocab.itos, ids, max_steps, wants_end_from)})
    doc = {"model_version": cfg.model_version, "vocab": vocab.itos, "max_steps": max_steps, "sequences": seqs}
    with open(args.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
