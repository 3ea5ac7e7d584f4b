# %% [markdown]
# # 04 ONNX export
# Encoder, decoder-init and decoder-step graphs (opset 17, dynamic batch), vocabulary, metadata and golden
# PyTorch outputs for the TypeScript parity test (`test/model/onnx-parity.spec.ts`).

# %%
import json
from molnav_vae.config import load_config
from molnav_vae.data import load_prepared
from molnav_vae.export import export_onnx
from molnav_vae.train import load_trained

cfg = load_config()
model, vocab, _ = load_trained(cfg)
_, splits = load_prepared(cfg)
meta = export_onnx(cfg, model, vocab, splits["test"])
print(json.dumps(meta, indent=1))
print(sorted(p.name for p in cfg.model_dir.iterdir()))
