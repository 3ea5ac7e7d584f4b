# %% [markdown]
# # 03 Evaluation and model card
# Reconstruction accuracy on the held-out ZINC250k test split (greedy decode of mu, canonical exact match) and
# validity, uniqueness and novelty of `n_prior_samples` prior samples z ~ N(0, I). Written to
# `models/<model>/model-card.json` and `.md` together with data checksums, config hash, library versions and
# training time. Both unconstrained and syntax-masked greedy decoding are measured (molnav_vae/syntax.py).
# Also the MOSES-style metrics (validity, unique@1k/@10k, novelty, IntDiv1, Filters, SNN/Frag/Scaf against the test
# split) of prior samples and the latent smoothness of interpolations between held-out pairs (molnav_vae/moses_metrics.py).

# %%
import json
from molnav_vae.config import load_config
from molnav_vae.data import load_prepared
from molnav_vae.evaluate import evaluate, write_model_card
from molnav_vae.train import load_trained

cfg = load_config()
model, vocab, state = load_trained(cfg)
_, splits = load_prepared(cfg)
summary = json.loads((cfg.work_dir / "data_summary.json").read_text())
card = evaluate(cfg, model, vocab, splits, state, summary)
write_model_card(cfg, card)
ev = card["evaluation"]
print(json.dumps({"reconstruction": ev["reconstruction"]["reconstruction_accuracy"],
                  **{k: ev["prior"][k] for k in ("validity", "uniqueness", "novelty")},
                  "moses_syntax_masked": {k: v for k, v in ev["moses"]["syntax_masked"].items() if not isinstance(v, str)},
                  "latent_smoothness": ev["latent_smoothness"]}, indent=1))
