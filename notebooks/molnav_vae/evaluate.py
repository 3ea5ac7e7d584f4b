"""Evaluation on the held-out test split and the model card (models/<model>/model-card.json and .md).

Metrics (definitions as in MOSES, Polykovskiy et al. 2020, doi:10.3389/fphar.2020.565644, where they overlap):
- reconstruction accuracy: greedy decode of mu for each test molecule; a hit when the decoded string parses and its
  RDKit canonical SMILES equals the input's;
- validity: fraction of prior samples (z ~ N(0, I), greedy decode) that RDKit parses and whose canonical SMILES it
  parses again (empty strings count invalid);
- uniqueness: distinct canonical SMILES / valid samples;
- novelty: fraction of the distinct valid samples that are not in the training split;
- MOSES-style distribution metrics (unique@k, IntDiv1, Filters, SNN, Frag, Scaf) and latent smoothness:
  molnav_vae/moses_metrics.py.
"""
import datetime
import json
import platform
import time
from typing import Dict, List, Optional

import numpy as np
import torch

from .config import Config
from . import moses_metrics as mm
from .data import encode_all, pad_batch


def _canon(smiles: str) -> Optional[str]:
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")  # invalid decodes are expected and counted, not logged

    if not smiles:
        return None
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return None
    canonical = Chem.MolToSmiles(mol)
    # RDKit occasionally writes a canonical SMILES it cannot read back (aromatic hypervalent S failing kekulization):
    # such a decode is invalid, as in the service (src/chem/chemistry.ts), which cannot describe or store it either.
    return canonical if canonical == smiles or Chem.MolFromSmiles(canonical) is not None else None


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


def _prior_stream(model, vocab, batch: int, max_steps: int, seed: int, masked: bool):
    """Canonical SMILES (None when invalid) of greedy decodes of z ~ N(0, I), batch after batch, from one seeded
    generator: any prefix of the stream is the same whatever its length."""
    g = torch.Generator().manual_seed(seed)
    while True:
        z = torch.randn(batch, model.latent_dim, generator=g)
        rows = model.greedy(z, max_steps, syntax_itos=vocab.itos if masked else None)  # greedy runs under no_grad
        yield [_canon(vocab.decode(row.tolist())) for row in rows]


def draw_prior(model, vocab, n: int, valid_target: int, cap: int, batch: int, max_steps: int, seed: int,
               masked: bool = False) -> List[Optional[str]]:
    """At least n prior decodes, continued until valid_target are valid or cap latents were decoded."""
    canon: List[Optional[str]] = []
    valid = 0
    for part in _prior_stream(model, vocab, batch, max_steps, seed, masked):
        canon += part
        valid += sum(c is not None for c in part)
        if len(canon) >= n and (valid >= valid_target or len(canon) >= cap):
            return canon


def prior_samples(canon: List[Optional[str]], n: int, train_set: set, masked: bool = False) -> Dict:
    """Validity, uniqueness and novelty of the first n prior decodes."""
    canon = canon[:n]
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


def moses(canon: List[Optional[str]], valid_target: int, train_set: set, ref, filters, masked: bool) -> Dict:
    """MOSES-style metrics (molnav_vae.moses_metrics) of the first valid_target valid prior decodes; validity counts
    every latent decoded to reach them."""
    valid, used = [], 0
    for c in canon:
        if len(valid) >= valid_target:
            break
        used += 1
        if c is not None:
            valid.append(c)
    out = mm.distribution_metrics(valid, used, train_set, ref, filters, ks=(1000, valid_target))
    out["decoding"] = "greedy, syntax-masked" if masked else "greedy"
    out["valid_target"] = valid_target
    return out


@torch.no_grad()
def latent_smoothness(model, vocab, test: List[str], pairs: int, steps: int, batch: int, max_steps: int, seed: int) -> Dict:
    """SLERP between the mu of random held-out (test split) pairs, t = 1/steps .. (steps-1)/steps, greedy decoding under
    the syntax mask (as the service): valid fraction and mean Tanimoto between consecutive distinct points."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(test), size=(pairs, 2), replace=len(test) < 2 * pairs)
    idx = idx[idx[:, 0] != idx[:, 1]]
    ends = [(test[i], test[j]) for i, j in idx]
    flat = sorted({s for e in ends for s in e})
    mu = {}
    for i in range(0, len(flat), batch):
        part = flat[i : i + batch]
        tokens, lengths = pad_batch(encode_all(vocab, part))
        m, _ = model.encode(tokens, lengths)
        mu.update(zip(part, m.numpy()))
    ts = [k / steps for k in range(1, steps)]
    z = np.stack([mm.slerp(mu[a], mu[b], t) for a, b in ends for t in ts]).astype(np.float32)
    decoded: List[Optional[str]] = []
    for i in range(0, len(z), batch):
        rows = model.greedy(torch.from_numpy(z[i : i + batch]), max_steps, syntax_itos=vocab.itos)
        decoded += [_canon(vocab.decode(r.tolist())) for r in rows]
    per_pair = [decoded[k * len(ts) : (k + 1) * len(ts)] for k in range(len(ends))]
    out = mm.smoothness([(_canon(a), _canon(b)) for a, b in ends], per_pair)
    out.update({"steps": steps, "method": "SLERP between posterior means", "decoding": "greedy, syntax-masked"})
    return out


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
    filters = mm.load_filters(cfg.data_dir / "filters")
    ref = mm.Reference(splits["test"], filters)
    cap = max(cfg.n_prior_samples, 3 * cfg.moses_valid_target)
    draws = {masked: draw_prior(model, vocab, cfg.n_prior_samples, cfg.moses_valid_target, cap, cfg.eval_batch, max_steps,
                                cfg.seed + 1000, masked) for masked in (False, True)}
    prior = prior_samples(draws[False], cfg.n_prior_samples, train_set)
    rec_m = reconstruction(model, vocab, splits["test"], cfg.eval_batch, max_steps, masked=True)
    prior_m = prior_samples(draws[True], cfg.n_prior_samples, train_set, masked=True)
    moses_metrics = {("syntax_masked" if masked else "unconstrained"):
                     moses(draws[masked], cfg.moses_valid_target, train_set, ref, filters, masked) for masked in (False, True)}
    smooth = latent_smoothness(model, vocab, splits["test"], cfg.smoothness_pairs, cfg.smoothness_steps, cfg.eval_batch,
                               max_steps, cfg.seed + 2000)
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
            # checkpoints written before devices were recorded all come from this 2-core CPU
            "device": ", then ".join(train_state.get("devices") or ["cpu (2 cores)"]),
        },
        "evaluation": {
            "split": "test",
            "reconstruction": rec,
            "prior": prior,
            "reconstruction_syntax_masked": rec_m,
            "prior_syntax_masked": prior_m,
            "syntax_mask_check": mask_check,
            "moses": moses_metrics,
            "moses_reference": {"split": "test", "n": ref.n, "int_div1": ref.int_div1, "filters": ref.filters},
            "latent_smoothness": smooth,
            "evaluation_time_s": round(time.time() - t0, 1),
        },
        "library_versions": library_versions(),
        "licence_and_attribution": "Trained on ZINC250k as distributed with chemical_vae (Apache-2.0); ZINC: Irwin & Shoichet.",
    }
    return card


def _moses_md(ev: Dict) -> str:
    """The MOSES-style section of the model card (empty for cards written before it existed)."""
    if "moses" not in ev:
        return ""
    u, m, sm = ev["moses"]["unconstrained"], ev["moses"]["syntax_masked"], ev["latent_smoothness"]
    ref = ev.get("moses_reference", {})
    target = m["valid_target"]
    k = f"unique@{target}"
    k_label = f"unique@{target // 1000}k" if target % 1000 == 0 else k

    def uk(d, key):
        return f"{d[key]['value']:.4f}" + ("" if d[key]["n"] == d[key]["k"] else f" (only {d[key]['n']:,} valid)")

    def r(key):
        return f"{ref[key]:.4f}" if ref.get(key) is not None else ""

    rows = [
        ("latents decoded to reach the valid set", f"{u['n_generated']:,}", f"{m['n_generated']:,}", ""),
        ("valid molecules evaluated", f"{u['n_valid']:,}", f"{m['n_valid']:,}", f"{ref['n']:,}" if ref else ""),
        ("validity", f"{u['validity']:.4f}", f"{m['validity']:.4f}", ""),
        ("unique@1k", uk(u, "unique@1000"), uk(m, "unique@1000"), ""),
        (k_label, uk(u, k), uk(m, k), ""),
        ("novelty vs. ZINC250k train", f"{u['novelty']:.4f}", f"{m['novelty']:.4f}", ""),
        ("IntDiv1", f"{u['int_div1']:.4f}", f"{m['int_div1']:.4f}", r("int_div1")),
        ("Filters (MOSES MCF + PAINS, atoms, charge, ring size)", f"{u['filters']:.4f}", f"{m['filters']:.4f}", r("filters")),
        (f"SNN vs. test split (n={m['reference_n']:,})", f"{u['snn']:.4f}", f"{m['snn']:.4f}", ""),
        ("Frag vs. test split", f"{u['frag']:.4f}", f"{m['frag']:.4f}", ""),
        ("Scaf vs. test split", f"{u['scaf']:.4f}", f"{m['scaf']:.4f}", ""),
    ]
    table = "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    return f"""
### MOSES-style metrics of prior samples
Definitions of MOSES (Polykovskiy et al. 2020, doi:10.3389/fphar.2020.565644), computed by molnav_vae/moses_metrics.py
on the first valid prior samples (same seed as above, continued until enough are valid); fingerprints Morgan r2 1024
bits; Frag/Scaf are cosine similarities of BRICS fragment / Bemis-Murcko scaffold counts. FCD is not reported (its
ChemNet weights cannot be downloaded here). The property directions' held-out R² (a linear read-out of z, not a
trained head) are in directions-report.md.

| metric | unconstrained | syntax-masked (served) | test split itself |
|---|---|---|---|
{table}

### Latent smoothness
SLERP between the posterior means of {sm['pairs']} random pairs of test-split molecules, {sm['steps']} steps
({sm['interior_points']:,} interior points), syntax-masked greedy decoding as served: **{sm['valid_fraction']:.4f}** of the
interior points are valid; consecutive distinct molecules along a path (endpoints included) have a mean ECFP4 Tanimoto of
**{sm['mean_consecutive_tanimoto']:.4f}**; a path has {sm['mean_distinct_intermediates']:.2f} distinct intermediates on average.
"""


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
- Training time: {tr['training_time_s'] / 60:.1f} min on {tr['device']}.
- KL weight: linear 0 -> {tr['config']['beta_max']} over {tr['config']['beta_anneal_steps']} steps; Adam lr {tr['config']['lr']} cosine to {tr['config']['lr_final']}.
- Config SHA-256: `{tr['config_sha256']}`.
{''.join(f'- Schedule change: {c}' + chr(10) for c in tr['config'].get('extra', {}).get('schedule_changes', []))}
## Evaluation (ZINC250k test split)
Two decodings of the same network and the same latents: *unconstrained* greedy (the network's argmax at every
step) and *syntax-masked* greedy (the argmax over tokens that keep the SMILES well formed: balanced branches, closed
ring bonds, organic-subset and bracket-atom valence, no ring bond left that nothing can close, aromatic ring sizes,
Kekulé structures of aromatic systems; molnav_vae/syntax.py, src/model/syntax.ts). The service decodes syntax-masked
by default. These figures are PyTorch's (fp32); on the CPU the service runs an int8 copy of the decoder step
(molnav_vae/quantize.py), whose reconstruction and prior validity the README gives beside the fp32 step's (the same
within sampling noise). The mask rejected {ev['syntax_mask_check']['false_rejections']} of the {ev['syntax_mask_check']['n']:,} test-split SMILES it was walked over.

| metric | unconstrained | syntax-masked (served) |
|---|---|---|
| reconstruction accuracy (greedy decode of mu, canonical exact match, n={ev['reconstruction']['n']:,}) | {ev['reconstruction']['reconstruction_accuracy']:.4f} | {ev['reconstruction_syntax_masked']['reconstruction_accuracy']:.4f} |
| prior validity (z ~ N(0, I), greedy, n={ev['prior']['n']:,}) | {ev['prior']['validity']:.4f} | {ev['prior_syntax_masked']['validity']:.4f} |
| uniqueness of valid prior samples | {ev['prior']['uniqueness']:.4f} | {ev['prior_syntax_masked']['uniqueness']:.4f} |
| novelty vs. training split | {ev['prior']['novelty']:.4f} | {ev['prior_syntax_masked']['novelty']:.4f} |
{_moses_md(ev)}
## Library versions
{', '.join(f'{k} {v}' for k, v in card['library_versions'].items())}

## Limits
Trained on ZINC250k drug-like molecules (up to {ar['max_len']} tokens); SMILES outside that chemistry (metals, long
peptides, macrocycles) encode poorly and may not reconstruct. Decoded molecules are hypotheses, not synthesis plans.
"""
    (out / "model-card.md").write_text(md)
