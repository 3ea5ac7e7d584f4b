"""ONNX export: encoder, decoder init and decoder step, plus vocab, metadata and golden input/output pairs.

Files written to the model directory (the contract with src/model/ on the TypeScript side):
  encoder.onnx       tokens [B, L] int64, lengths [B] int64        -> mu [B, D] float32, logvar [B, D] float32
  decoder_init.onnx  z [B, D] float32                               -> h0 [layers, B, H] float32
  decoder_step.onnx  z [B, D] float32, token [B] int64, h [layers, B, H] float32 -> logits [B, V] float32, h_out
  vocab.json         tokens (id = index), special ids, tokenizer regex
  metadata.json      dims, special ids, max_len, opset, ONNX input/output names, config hash
  golden.json        PyTorch outputs for fixed inputs: mu/logvar of test molecules, first-step logits and greedy tokens
B and L are dynamic axes. Decoding loops over decoder_step in TypeScript (greedy, temperature, top-k, beam).
"""
import json
from typing import Dict, List

import torch
from torch import nn

from .config import Config
from .data import encode_all, pad_batch

OPSET = 17  # torch 1.13 exports opsets 13-17


class _Encoder(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, tokens, lengths):
        return self.m.encode(tokens, lengths)


class _Init(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, z):
        return self.m.init_hidden(z)


class _Step(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, z, token, h):
        return self.m.step(z, token, h)


def export_onnx(cfg: Config, model, vocab, test_smiles: List[str]) -> Dict:
    out = cfg.model_dir
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    tokens, lengths = pad_batch(encode_all(vocab, test_smiles[:3]))
    z = torch.zeros(3, model.latent_dim)
    h = model.init_hidden(z)
    tok = torch.ones(3, dtype=torch.long)
    kw = dict(opset_version=OPSET, do_constant_folding=True)
    torch.onnx.export(_Encoder(model), (tokens, lengths), str(out / "encoder.onnx"), input_names=["tokens", "lengths"],
                      output_names=["mu", "logvar"], dynamic_axes={"tokens": {0: "batch", 1: "length"}, "lengths": {0: "batch"},
                                                                    "mu": {0: "batch"}, "logvar": {0: "batch"}}, **kw)
    torch.onnx.export(_Init(model), (z,), str(out / "decoder_init.onnx"), input_names=["z"], output_names=["h0"],
                      dynamic_axes={"z": {0: "batch"}, "h0": {1: "batch"}}, **kw)
    torch.onnx.export(_Step(model), (z, tok, h), str(out / "decoder_step.onnx"), input_names=["z", "token", "h"],
                      output_names=["logits", "h_out"], dynamic_axes={"z": {0: "batch"}, "token": {0: "batch"}, "h": {1: "batch"},
                                                                      "logits": {0: "batch"}, "h_out": {1: "batch"}}, **kw)
    import onnx

    for name in ("encoder", "decoder_init", "decoder_step"):
        onnx.checker.check_model(onnx.load(str(out / f"{name}.onnx")))
    (out / "vocab.json").write_text(vocab.to_json() + "\n")
    meta = {
        "model_version": cfg.model_version,
        "latent_dim": model.latent_dim,
        "dec_hidden": model.dec_hidden,
        "dec_layers": model.dec_layers,
        "vocab_size": len(vocab),
        "max_len": cfg.max_len,
        "max_decode_steps": cfg.max_len + 1,
        "special_ids": {"pad": 0, "bos": 1, "eos": 2, "unk": 3},
        "opset": OPSET,
        "files": {
            "encoder": {"path": "encoder.onnx", "inputs": ["tokens", "lengths"], "outputs": ["mu", "logvar"]},
            "decoder_init": {"path": "decoder_init.onnx", "inputs": ["z"], "outputs": ["h0"]},
            "decoder_step": {"path": "decoder_step.onnx", "inputs": ["z", "token", "h"], "outputs": ["logits", "h_out"]},
        },
        "config_sha256": cfg.hash(),
    }
    (out / "metadata.json").write_text(json.dumps(meta, indent=1) + "\n")
    golden = make_golden(model, vocab, test_smiles[: cfg.n_golden], cfg.max_len + 1, cfg.seed)
    (out / "golden.json").write_text(json.dumps(golden) + "\n")
    return meta


@torch.no_grad()
def make_golden(model, vocab, smiles: List[str], max_steps: int, seed: int) -> Dict:
    """Reference outputs of the PyTorch model for the TypeScript ONNX Runtime parity test."""
    seqs = encode_all(vocab, smiles)
    tokens, lengths = pad_batch(seqs)
    mu, logvar = model.encode(tokens, lengths)
    h0 = model.init_hidden(mu)
    logits0, _ = model.step(mu, torch.full((len(smiles),), 1, dtype=torch.long), h0)
    greedy = model.greedy(mu, max_steps)
    g = torch.Generator().manual_seed(seed)
    z_prior = torch.randn(16, model.latent_dim, generator=g)  # 16 rows exercise the syntax mask in the parity test
    greedy_prior = model.greedy(z_prior, max_steps)
    masked_prior = model.greedy(z_prior, max_steps, syntax_itos=vocab.itos)
    masked_mu = model.greedy(mu, max_steps, syntax_itos=vocab.itos)

    def rows(t):
        return [[round(float(x), 7) for x in r] for r in t]

    def toks(t):
        out = []
        for r in t.tolist():
            out.append(r[: r.index(2) + 1] if 2 in r else r)
        return out

    return {
        "smiles": smiles,
        "tokens": seqs,
        "mu": rows(mu),
        "logvar": rows(logvar),
        "first_step_logits": rows(logits0),
        "greedy_tokens_from_mu": toks(greedy),
        "greedy_smiles_from_mu": [vocab.decode(r) for r in greedy.tolist()],
        "z_prior": rows(z_prior),
        "greedy_tokens_from_prior": toks(greedy_prior),
        "greedy_masked_tokens_from_mu": toks(masked_mu),
        "greedy_masked_tokens_from_prior": toks(masked_prior),
        "tolerance": {"mu": 1e-4, "logits": 1e-3},
    }
