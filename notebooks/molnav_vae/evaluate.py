"""Evaluation on the held-out test split and the model card (models/<model>/model-card.json and .md).

Metrics (definitions as in MOSES, Polykovskiy et al. 2020, doi:10.3389/fphar.2020.565644, where they overlap):
- reconstruction accuracy: greedy decode of mu for each test molecule; a hit when the decoded string parses and its
  RDKit canonical SMILES equals the input's;
- validity: fraction of prior samples (z ~ N(0, I), greedy decode) that RDKit parses (empty strings count invalid);
- uniqueness: distinct canonical SMILES / valid samples;
- novelty: fraction of the distinct valid samples that are not in the training split.
"""
import datetime
import json
import platform
import time
from typing import Dict, List, Optional

import numpy as np
import torch

from .config import Config
from .data import encode_all, pad_batch


def _canon(smiles: str) -> Optional[str]:
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")  # invalid decodes are expected and counted, not logged

    if not smiles:
        return None
    mol = Chem.MolFromSmiles(smiles)
    return None if mol is None else Chem.MolToSmiles(mol)


@torch.no_grad()
def reconstruction(model, vocab, smiles: List[str], batch: int, max_steps: int, masked: bool = False) -> Dict:
    hits, decoded = 0, []
    for i in range(0, len(smiles), batch):
        part = smiles[i : i + batch]
        tokens, lengths = pad_batch(encode_all(vocab, part))
        mu, _ = model.encode(tokens, lengths)
        out = model.greedy(mu, max_steps, syntax_itos=vocab.itos if masked else None)
        for row, s in zip(out, part):
            d = vocab.decode(row.tolist())
            decoded.append(d)
            c = _canon(d)
            hits += int(c is not None and c == _canon(s))
    return {"n": len(smiles), "decoding": "greedy, syntax-masked" if masked else "greedy",
            "reconstruction_accuracy": hits / max(1, len(smiles)), "examples": list(zip(smiles[:5], decoded[:5]))}


@torch.no_grad()
def prior_samples(model, vocab, n: int, batch: int, max_steps: int, seed: int, train_set: set, masked: bool = False) -> Dict:
    g = torch.Generator().manual_seed(seed)
    canon = []
    for i in range(0, n, batch):
        z = torch.randn(min(batch, n - i), model.latent_dim, generator=g)
        for row in model.greedy(z, max_steps, syntax_itos=vocab.itos if masked else None):
            canon.append(_canon(vocab.decode(row.tolist())))
    valid = [c for c in canon if c is not None]
    unique = set(valid)
    novel = [c for c in unique if c not in train_set]
    return {
        "n": n,
        "decoding": "greedy, syntax-masked" if masked else "greedy",
        "validity": len(valid) / n,
        "uniqueness": len(unique) / max(1, len(valid)),
        "novelty": len(novel) / max(1, len(unique)),
        "examples": sorted(unique)[:10],
    }


def syntax_mask_check(vocab, smiles: List[str], max_steps: int) -> Dict:
    """Walks the syntax mask over real SMILES: every token of a valid molecule must be allowed (false rejections 0).
    Molecules with a token outside the vocabulary (<unk>) are skipped; n counts the molecules walked."""
    from .syntax import SyntaxState, token_class

    classes = [token_class(t) for t in vocab.itos]
    rejected, walked = [], 0
    unk = vocab.stoi["<unk>"]
    for s, ids in zip(smiles, encode_all(vocab, smiles)):
        if unk in ids:
            continue
        walked += 1
        st = SyntaxState(classes, vocab.itos, max_steps)
        for tid in ids + [vocab.stoi["<eos>"]]:
            if not st.allowed()[tid]:
                rejected.append(s)
                break
            st.advance(tid)
    return {"n": walked, "false_rejections": len(rejected), "examples": rejected[:5]}


def library_versions() -> Dict[str, str]:
    import rdkit

    out = {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__, "rdkit": rdkit.__version__}
    try:
        import onnx

        out["onnx"] = onnx.__version__
    except ImportError:
        pass
    return out


def evaluate(cfg: Config, model, vocab, splits: Dict[str, List[str]], train_state: Dict, data_summary: Dict) -> Dict:
    t0 = time.time()
    max_steps = cfg.max_len + 1
    model.eval()
    rec = reconstruction(model, vocab, splits["test"], cfg.eval_batch, max_steps)
    train_set = set(splits["train"])
    prior = prior_samples(model, vocab, cfg.n_prior_samples, cfg.eval_batch, max_steps, cfg.seed + 1000, train_set)
    rec_m = reconstruction(model, vocab, splits["test"], cfg.eval_batch, max_steps, masked=True)
    prior_m = prior_samples(model, vocab, cfg.n_prior_samples, cfg.eval_batch, max_steps, cfg.seed + 1000, train_set, masked=True)
    mask_check = syntax_mask_check(vocab, splits["test"], max_steps)
    card = {
        "model_version": cfg.model_version,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "architecture": {
            "type": "SMILES VAE (bidirectional GRU encoder, GRU decoder conditioned on z at every step)",
            "embed_dim": cfg.embed_dim, "enc_hidden": cfg.enc_hidden, "latent_dim": cfg.latent_dim,
            "dec_hidden": cfg.dec_hidden, "dec_layers": cfg.dec_layers, "vocab_size": len(vocab), "max_len": cfg.max_len,
            "parameters": sum(p.numel() for p in model.parameters()),
        },
        "training": {
            "data": "ZINC250k (Gomez-Bombarelli et al. 2018), DD-VAE splits, RDKit canonical SMILES",
            "data_summary": data_summary,
            "config": cfg.to_dict(),
            "config_sha256": cfg.hash(),
            "epochs_completed": train_state["epoch"] + train_state["batch"] / max(1, -(-data_summary["splits"]["train"]["kept"] // cfg.batch_size)),
            "steps": train_state["step"],
            "status": train_state.get("status", "done" if train_state.get("done") else "partial"),
            "training_time_s": round(train_state["elapsed_s"], 1),
            "final_log": train_state["history"][-1] if train_state["history"] else None,
            "device": "cpu",
        },
        "evaluation": {
            "split": "test",
            "reconstruction": rec,
            "prior": prior,
            "reconstruction_syntax_masked": rec_m,
            "prior_syntax_masked": prior_m,
            "syntax_mask_check": mask_check,
            "evaluation_time_s": round(time.time() - t0, 1),
        },
        "library_versions": library_versions(),
        "licence_and_attribution": "Trained on ZINC250k as distributed with chemical_vae (Apache-2.0); ZINC: Irwin & Shoichet.",
    }
    return card


def write_model_card(cfg: Config, card: Dict) -> None:
    out = cfg.model_dir
    out.mkdir(parents=True, exist_ok=True)
    (out / "model-card.json").write_text(json.dumps(card, indent=1) + "\n")
    ev, tr, ar = card["evaluation"], card["training"], card["architecture"]
    md = f"""# Model card: {card['model_version']}

SMILES variational autoencoder for molnav. Created {card['created']}.

## Architecture
{ar['type']}. Embedding {ar['embed_dim']}, encoder GRU {ar['enc_hidden']} per direction, latent {ar['latent_dim']},
decoder GRU {ar['dec_hidden']} x {ar['dec_layers']}, vocabulary {ar['vocab_size']} tokens, max {ar['max_len']} tokens,
{ar['parameters']:,} parameters.

## Training
- Data: {tr['data']}; {tr['data_summary']['splits']['train']['kept']:,} train / {tr['data_summary']['splits']['valid']['kept']:,} valid / {tr['data_summary']['splits']['test']['kept']:,} test molecules.
- Epochs completed: {tr['epochs_completed']:.2f} ({tr['steps']} steps of batch {tr['config']['batch_size']}), status `{tr['status']}`.
- Training time: {tr['training_time_s'] / 60:.1f} min on {tr['device']} (2 cores).
- KL weight: linear 0 -> {tr['config']['beta_max']} over {tr['config']['beta_anneal_steps']} steps; Adam lr {tr['config']['lr']} cosine to {tr['config']['lr_final']}.
- Config SHA-256: `{tr['config_sha256']}`.
{''.join(f'- Schedule change: {c}' + chr(10) for c in tr['config'].get('extra', {}).get('schedule_changes', []))}
## Evaluation (ZINC250k test split)
Two decodings of the same network and the same latents: *unconstrained* greedy (the network's argmax at every
step) and *syntax-masked* greedy (the argmax over tokens that keep the SMILES well formed: balanced branches, closed
ring bonds, organic-subset valence, aromatic ring sizes; molnav_vae/syntax.py, src/model/syntax.ts). The service
decodes syntax-masked by default. The mask rejected {ev['syntax_mask_check']['false_rejections']} of the {ev['syntax_mask_check']['n']:,} test-split SMILES it was walked over.

| metric | unconstrained | syntax-masked (served) |
|---|---|---|
| reconstruction accuracy (greedy decode of mu, canonical exact match, n={ev['reconstruction']['n']:,}) | {ev['reconstruction']['reconstruction_accuracy']:.4f} | {ev['reconstruction_syntax_masked']['reconstruction_accuracy']:.4f} |
| prior validity (z ~ N(0, I), greedy, n={ev['prior']['n']:,}) | {ev['prior']['validity']:.4f} | {ev['prior_syntax_masked']['validity']:.4f} |
| uniqueness of valid prior samples | {ev['prior']['uniqueness']:.4f} | {ev['prior_syntax_masked']['uniqueness']:.4f} |
| novelty vs. training split | {ev['prior']['novelty']:.4f} | {ev['prior_syntax_masked']['novelty']:.4f} |

## Library versions
{', '.join(f'{k} {v}' for k, v in card['library_versions'].items())}

## Limits
Trained on ZINC250k drug-like molecules (up to {ar['max_len']} tokens); SMILES outside that chemistry (metals, long
peptides, macrocycles) encode poorly and may not reconstruct. Decoded molecules are hypotheses, not synthesis plans.
"""
    (out / "model-card.md").write_text(md)
