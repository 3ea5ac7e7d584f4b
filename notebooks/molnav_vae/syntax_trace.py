"""Writes the syntax-mask parity fixture: token sequences and, per step, the tokens molnav_vae.syntax allows.

src/model/syntax.ts implements the same rules; test/model/syntax-parity.spec.ts replays each sequence through it and
compares the allowed set step by step. The sequences are decodes of the model under the mask (greedy and sampled at
temperature 1, so they cover rows that close rings, fuse aromatic systems and fail). Each step is replayed with a
stated network argmax `wants` (-1: none, flat logits): none throughout for a third of the sequences, <eos> from two
thirds of the length on for another third (closing mode), and a random closer (a ring label, `)`, <eos>) at half the
steps for the rest (the Kekulé rule's exception for the network's own closer).

Usage (repo root): PYTHONPATH=notebooks /usr/bin/python3 -m molnav_vae.syntax_trace \\
    --config notebooks/configs/full.json --out test/fixtures/syntax-trace.json
"""
import argparse
import json
import random

import torch

from .config import load_config
from .syntax import SyntaxState, token_class, RING, CLOSE, END
from .train import load_trained


def trace(itos, rows, max_steps: int, wants):
    """Hex bitmask (bit i = token id i allowed) of the allowed set before each token of `rows` (token ids, <eos>
    included), the network's argmax at step k being wants[k]."""
    classes = [token_class(t) for t in itos]
    st = SyntaxState(classes, itos, max_steps)
    out = []
    for tid, w in zip(rows, wants):
        allowed = st.allowed(w)
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
    rng = random.Random(cfg.seed)
    closers = [i for i, t in enumerate(vocab.itos) if token_class(t) in (RING, CLOSE, END)]
    half = args.rows // 2
    z = torch.randn(args.rows, model.latent_dim, generator=g)
    greedy = model.greedy(z[:half], max_steps, syntax_itos=vocab.itos)
    sampled = model.sample(z[half:], max_steps, temperature=1.0, generator=g, syntax_itos=vocab.itos)
    seqs = []
    for k, r in enumerate(greedy.tolist() + sampled.tolist()):
        ids = r[: r.index(vocab.eos) + 1] if vocab.eos in r else r
        if k % 3 == 0:
            wants = [-1] * len(ids)
        elif k % 3 == 1:
            wants = [vocab.eos if step >= (len(ids) * 2) // 3 else -1 for step in range(len(ids))]
        else:
            wants = [rng.choice(closers) if rng.random() < 0.5 else -1 for _ in ids]
        seqs.append({"tokens": ids, "wants": wants, "allowed": trace(vocab.itos, ids, max_steps, wants)})
    doc = {"model_version": cfg.model_version, "vocab": vocab.itos, "max_steps": max_steps, "sequences": seqs}
    with open(args.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
