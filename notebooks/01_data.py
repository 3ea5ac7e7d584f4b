# %% [markdown]
# # 01 Data preparation
# ZINC250k (Gómez-Bombarelli et al., ACS Cent. Sci. 2018, 4, 268; Apache-2.0 via chemical_vae) with the
# DD-VAE train/valid/test splits from `$MOLNAV_DATA/zinc250k/`. Every SMILES is canonicalised with RDKit,
# tokenised with the regex tokenizer (bracket atoms, Cl/Br, ring bonds incl. %nn), and the vocabulary is built
# from the training split. Training molecules longer than `max_len` tokens are dropped (test ones are kept and
# count as failures).

# %%
import json
from molnav_vae.config import load_config
from molnav_vae.data import prepare

cfg = load_config()
print("config:", cfg.name, "data:", cfg.data_dir, "work:", cfg.work_dir)
summary = prepare(cfg)
print(json.dumps(summary, indent=1))

# %%
assert summary["splits"]["train"]["kept"] > 0 and summary["vocab_size"] > 10
