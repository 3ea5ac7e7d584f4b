# %% [markdown]
# # 05 Property directions
# A unit direction in latent space per property (cLogP, TPSA, QED, MW, SA score) from a ridge regression on the
# encoder mean of training molecules, with held-out R² and Spearman; then a check over held-out test molecules that
# moving along each direction moves its property (against a random direction of the same length). Writes
# `directions.json` (served by the API's `traverse`), `directions-report.json` and `.md` beside the ONNX files.

# %%
import json
import torch
from molnav_vae.config import load_config
from molnav_vae.data import load_prepared
from molnav_vae import directions
from molnav_vae.train import load_trained

torch.set_num_threads(1)
cfg = load_config()
model, vocab, _ = load_trained(cfg)
_, splits = load_prepared(cfg)
built = directions.build(cfg, model, vocab, splits)
directions.write(cfg, built)
print((cfg.model_dir / "directions-report.md").read_text())
