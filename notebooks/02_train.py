# %% [markdown]
# # 02 Training
# The SMILES VAE of `molnav_vae/model.py`: bidirectional GRU encoder, GRU decoder that sees z at every step.
# Loss = token cross-entropy + beta * KL(q(z|x) || N(0, I)), with beta annealed linearly from 0 to `beta_max`
# (Bowman et al. 2016, doi:10.18653/v1/K16-1002). Seeds are fixed; a checkpoint is written every
# `checkpoint_every` steps and re-running this notebook resumes from it. `MOLNAV_MAX_MINUTES` bounds the wall time.

# %%
import json
from molnav_vae.config import load_config
from molnav_vae.train import train

cfg = load_config()
state = train(cfg)
print(json.dumps({k: state[k] for k in ("epoch", "batch", "step", "elapsed_s", "status")}))
