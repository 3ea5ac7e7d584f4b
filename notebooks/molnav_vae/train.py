"""Training loop with KL annealing, fixed seeds, checkpoint and resume, and a wall-clock budget.

The checkpoint (work_dir/checkpoint.pt) holds model, optimiser, epoch, batch position, step, elapsed seconds and
the history, so `train(cfg)` called again continues where it stopped (same batch order: batches are derived from
seed + epoch). When the budget (cfg.max_minutes) runs out, training saves and returns with status "budget".
"""
import json
import math
import os
import random
import time
from typing import Dict

import numpy as np
import torch
import torch.nn.functional as F

from .config import Config
from .data import bucketed_batches, encode_all, iterate, load_prepared, pad_batch
from .model import SmilesVAE, build_model


def training_device() -> torch.device:
    """MOLNAV_DEVICE: `cpu`, `cuda` or `auto` (default: cuda when torch sees a GPU). Works with Debian's torch 1.13 (CPU)
    and the GPU host's torch 2.x; the GPU host has no RDKit, which training does not need (see quick_monitor)."""
    want = os.environ.get("MOLNAV_DEVICE", "auto")
    if want not in ("auto", "cpu", "cuda"):
        raise ValueError(f"MOLNAV_DEVICE must be auto, cpu or cuda, got {want!r}")
    if want == "auto":
        want = "cuda" if torch.cuda.is_available() else "cpu"
    if want == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("MOLNAV_DEVICE=cuda but torch.cuda.is_available() is false")
    return torch.device(want)


def device_description(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)}, torch {torch.__version__})"
    return f"cpu ({os.cpu_count()} cores, torch {torch.__version__})"


def set_seeds(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def beta_at(cfg: Config, step: int) -> float:
    if step < cfg.beta_warmup_steps:
        return 0.0
    return cfg.beta_max * min(1.0, (step - cfg.beta_warmup_steps) / max(1, cfg.beta_anneal_steps))


def lr_at(cfg: Config, step: int, total: int) -> float:
    frac = min(1.0, step / max(1, total))
    return cfg.lr_final + 0.5 * (cfg.lr - cfg.lr_final) * (1 + math.cos(math.pi * frac))


def vae_loss(model: SmilesVAE, tokens: torch.Tensor, lengths: torch.Tensor, beta: float, eos: int = 2, bos: int = 1):
    """Returns (loss, recon, kl, token_accuracy). Recon is summed over tokens and averaged over the batch."""
    B, L = tokens.shape
    mu, logvar = model.encode(tokens, lengths)
    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
    dev = tokens.device
    target = torch.cat([tokens, torch.zeros(B, 1, dtype=torch.long, device=dev)], dim=1)
    target[torch.arange(B, device=dev), lengths] = eos
    dec_in = torch.cat([torch.full((B, 1), bos, dtype=torch.long, device=dev), tokens], dim=1)
    logits = model.decode_teacher_forced(z, dec_in)
    recon = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=0, reduction="sum") / B
    kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)).mean()
    with torch.no_grad():
        mask = target != 0
        acc = ((logits.argmax(-1) == target) & mask).sum().item() / mask.sum().item()
    return recon + beta * kl, recon, kl, acc


@torch.no_grad()
def quick_monitor(model: SmilesVAE, vocab, valid_smiles, n: int, max_steps: int, seed: int) -> Dict:
    """Greedy reconstruction on n validation molecules and RDKit validity of n prior samples (a cheap signal).
    Without RDKit (the GPU host) prior validity is reported as None."""
    try:
        from rdkit import Chem, RDLogger

        RDLogger.DisableLog("rdApp.*")
    except ImportError:
        Chem = None
    model.eval()
    dev = next(model.parameters()).device
    sub = valid_smiles[:n]
    tokens, lengths = pad_batch(encode_all(vocab, sub))
    mu, _ = model.encode(tokens.to(dev), lengths.to(dev))
    dec = model.greedy(mu, max_steps).cpu()
    recon = sum(vocab.decode(row.tolist()) == s for row, s in zip(dec, sub)) / len(sub)
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, model.latent_dim, generator=g).to(dev)
    dec = model.greedy(z, max_steps).cpu()
    valid = None if Chem is None else sum(Chem.MolFromSmiles(vocab.decode(row.tolist())) is not None for row in dec) / n
    model.train()
    return {"valid_recon": recon, "prior_validity": valid}


def train(cfg: Config, monitor_every: int = 500, monitor_n: int = 200) -> Dict:
    torch.set_num_threads(int(os.environ.get("MOLNAV_TORCH_THREADS", "1")))
    set_seeds(cfg.seed)
    vocab, splits = load_prepared(cfg)
    train_seqs = encode_all(vocab, splits["train"])
    lengths = [len(s) for s in train_seqs]
    device = training_device()
    model = build_model(cfg, len(vocab)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    ckpt_path = cfg.work_dir / "checkpoint.pt"
    log_path = cfg.work_dir / "train_log.jsonl"
    steps_per_epoch = math.ceil(len(train_seqs) / cfg.batch_size)
    total_steps = cfg.epochs * steps_per_epoch
    state = {"epoch": 0, "batch": 0, "step": 0, "elapsed_s": 0.0, "history": [], "done": False}
    if ckpt_path.exists():
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optim"])
        state = ck["state"]
        torch.set_rng_state(ck["torch_rng"].cpu())
        if device.type == "cuda" and ck.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(ck["cuda_rng"].cpu(), device)
        print(f"resumed at epoch {state['epoch']} batch {state['batch']} step {state['step']}", flush=True)
    if state["done"] and state["epoch"] >= cfg.epochs:
        return state
    state["done"] = False  # more epochs planned than the checkpoint finished: go on

    # the device of the session that trained last (a run may move between the CPU here and a GPU host)
    state.setdefault("devices", [])
    if not state["devices"] or state["devices"][-1] != device_description(device):
        state["devices"].append(device_description(device))

    def save():
        tmp = ckpt_path.with_suffix(".tmp")
        cpu_weights = {k: v.detach().cpu() for k, v in model.state_dict().items()}  # loadable on a CPU-only host
        torch.save({"model": cpu_weights, "optim": opt.state_dict(), "state": state, "torch_rng": torch.get_rng_state(),
                    "cuda_rng": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
                    "config": cfg.to_dict(), "vocab": vocab.itos}, tmp)
        os.replace(tmp, ckpt_path)

    budget_s = cfg.max_minutes * 60 if cfg.max_minutes else None
    t_session = time.time()
    t_last = time.time()
    elapsed_at_start = state["elapsed_s"]
    model.train()
    agg = {"loss": 0.0, "recon": 0.0, "kl": 0.0, "acc": 0.0, "n": 0}
    status = "done"
    for epoch in range(state["epoch"], cfg.epochs):
        batches = bucketed_batches(len(train_seqs), lengths, cfg.batch_size, cfg.seed + epoch)
        for b, tokens, lens in iterate(train_seqs, batches, state["batch"]):
            step = state["step"]
            beta = beta_at(cfg, step)
            for group in opt.param_groups:
                group["lr"] = lr_at(cfg, step, total_steps)
            loss, recon, kl, acc = vae_loss(model, tokens.to(device), lens.to(device), beta)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip_grad)
            opt.step()
            state["step"] = step + 1
            state["batch"] = b + 1
            state["elapsed_s"] = elapsed_at_start + (time.time() - t_session)
            agg["loss"] += loss.item(); agg["recon"] += recon.item(); agg["kl"] += kl.item(); agg["acc"] += acc; agg["n"] += 1
            if state["step"] % cfg.log_every == 0:
                n = agg["n"]
                rec = {"step": state["step"], "epoch": epoch, "batch": b + 1, "of": len(batches), "beta": round(beta, 5),
                       "lr": round(lr_at(cfg, step, total_steps), 6), "loss": agg["loss"] / n, "recon": agg["recon"] / n,
                       "kl": agg["kl"] / n, "token_acc": agg["acc"] / n, "elapsed_s": round(state["elapsed_s"], 1),
                       "s_per_step": round((time.time() - t_last) / n, 3)}
                if monitor_every and state["step"] % monitor_every == 0:
                    rec.update(quick_monitor(model, vocab, splits["valid"], monitor_n, cfg.max_len + 1, cfg.seed))
                state["history"].append(rec)
                with open(log_path, "a") as f:
                    f.write(json.dumps(rec) + "\n")
                print(json.dumps(rec), flush=True)
                agg = {"loss": 0.0, "recon": 0.0, "kl": 0.0, "acc": 0.0, "n": 0}
                t_last = time.time()
            if state["step"] % cfg.checkpoint_every == 0:
                save()
            if budget_s is not None and time.time() - t_session > budget_s:
                status = "budget"
                break
        if status == "budget":
            break
        state["epoch"] = epoch + 1
        state["batch"] = 0
    state["done"] = status == "done"
    state["status"] = status
    save()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, cfg.work_dir / "model.pt")
    return state


def load_trained(cfg: Config):
    """The model and vocabulary from the last checkpoint, in eval mode."""
    ck = torch.load(cfg.work_dir / "checkpoint.pt", map_location="cpu")
    from .tokenizer import Vocab

    vocab = Vocab(ck["vocab"])
    model = build_model(cfg, len(vocab))
    model.load_state_dict(ck["model"])
    model.eval()
    return model, vocab, ck["state"]
