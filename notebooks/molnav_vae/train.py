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
    target = torch.cat([tokens, torch.zeros(B, 1, dtype=torch.long)], dim=1)
    target[torch.arange(B), lengths] = eos
    dec_in = torch.cat([torch.full((B, 1), bos, dtype=torch.long), tokens], dim=1)
    logits = model.decode_teacher_forced(z, dec_in)
    recon = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=0, reduction="sum") / B
    kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)).mean()
    with torch.no_grad():
        mask = target != 0
        acc = ((logits.argmax(-1) == target) & mask).sum().item() / mask.sum().item()
    return recon + beta * kl, recon, kl, acc


@torch.no_grad()
def quick_monitor(model: SmilesVAE, vocab, valid_smiles, n: int, max_steps: int, seed: int) -> Dict:
    """Greedy reconstruction on n validation molecules and RDKit validity of n prior samples (a cheap signal)."""
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")
    model.eval()
    sub = valid_smiles[:n]
    tokens, lengths = pad_batch(encode_all(vocab, sub))
    mu, _ = model.encode(tokens, lengths)
    dec = model.greedy(mu, max_steps)
    recon = sum(vocab.decode(row.tolist()) == s for row, s in zip(dec, sub)) / len(sub)
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, model.latent_dim, generator=g)
    dec = model.greedy(z, max_steps)
    valid = sum(Chem.MolFromSmiles(vocab.decode(row.tolist())) is not None for row in dec) / n
    model.train()
    return {"valid_recon": recon, "prior_validity": valid}


def train(cfg: Config, monitor_every: int = 500, monitor_n: int = 200) -> Dict:
    torch.set_num_threads(int(os.environ.get("MOLNAV_TORCH_THREADS", "1")))
    set_seeds(cfg.seed)
    vocab, splits = load_prepared(cfg)
    train_seqs = encode_all(vocab, splits["train"])
    lengths = [len(s) for s in train_seqs]
    model = build_model(cfg, len(vocab))
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    ckpt_path = cfg.work_dir / "checkpoint.pt"
    log_path = cfg.work_dir / "train_log.jsonl"
    steps_per_epoch = math.ceil(len(train_seqs) / cfg.batch_size)
    total_steps = cfg.epochs * steps_per_epoch
    state = {"epoch": 0, "batch": 0, "step": 0, "elapsed_s": 0.0, "history": [], "done": False}
    if ckpt_path.exists():
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optim"])
        state = ck["state"]
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed at epoch {state['epoch']} batch {state['batch']} step {state['step']}", flush=True)
    if state["done"] and state["epoch"] >= cfg.epochs:
        return state
    state["done"] = False  # more epochs planned than the checkpoint finished: go on

    def save():
        tmp = ckpt_path.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "state": state, "torch_rng": torch.get_rng_state(),
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
            loss, recon, kl, acc = vae_loss(model, tokens, lens, beta)
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
    torch.save(model.state_dict(), cfg.work_dir / "model.pt")
    return state


def load_trained(cfg: Config):
    """The model and vocabulary from the last checkpoint, in eval mode."""
    ck = torch.load(cfg.work_dir / "checkpoint.pt")
    from .tokenizer import Vocab

    vocab = Vocab(ck["vocab"])
    model = build_model(cfg, len(vocab))
    model.load_state_dict(ck["model"])
    model.eval()
    return model, vocab, ck["state"]
