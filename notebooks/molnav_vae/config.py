"""Training configuration: a JSON file in notebooks/configs/, overridable by environment variables.

MOLNAV_DATA      path to the shared data folder (default: ../shared/data beside the repository root)
MOLNAV_WORK      scratch folder for prepared data and checkpoints (default: notebooks/work/<name>)
MOLNAV_OUT       model output folder (default: the config's out_dir, relative to the repository root)
MOLNAV_MAX_MINUTES  wall-clock training budget; training stops cleanly at a checkpoint when it runs out
"""
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Config:
    name: str
    model_version: str
    out_dir: str
    # data
    train_limit: Optional[int] = None  # None = the whole split
    valid_limit: Optional[int] = None
    test_limit: Optional[int] = None
    max_len: int = 120  # tokens, without <bos>/<eos>; longer molecules are dropped from training
    # model
    embed_dim: int = 64
    enc_hidden: int = 256
    latent_dim: int = 128
    dec_hidden: int = 512
    dec_layers: int = 1
    # optimisation
    seed: int = 42
    epochs: int = 1
    batch_size: int = 128
    lr: float = 1e-3
    lr_final: float = 1e-4  # cosine decay to this over the planned steps
    clip_grad: float = 5.0
    beta_max: float = 0.05  # KL weight after annealing
    beta_warmup_steps: int = 0  # beta is 0 for these steps
    beta_anneal_steps: int = 1000  # then rises linearly to beta_max over these steps
    checkpoint_every: int = 200  # steps
    log_every: int = 50
    max_minutes: Optional[float] = None
    # evaluation
    n_prior_samples: int = 10000
    eval_batch: int = 500
    n_golden: int = 8
    # MOSES-style metrics (molnav_vae.moses_metrics): prior samples are drawn until this many are valid (at most
    # 3x as many latents, or n_prior_samples if larger); interpolations between held-out pairs for latent smoothness
    moses_valid_target: int = 10000
    smoothness_pairs: int = 200
    smoothness_steps: int = 10
    # property directions (05_directions.py): molecules for the fit, the held-out check and the report
    directions_train: int = 20000
    directions_heldout: int = 5000
    directions_report: int = 100
    extra: dict = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return Path(os.environ.get("MOLNAV_DATA", REPO_ROOT.parent / "shared" / "data")).resolve()

    @property
    def work_dir(self) -> Path:
        return Path(os.environ.get("MOLNAV_WORK", REPO_ROOT / "notebooks" / "work" / self.name)).resolve()

    @property
    def model_dir(self) -> Path:
        return Path(os.environ.get("MOLNAV_OUT", REPO_ROOT / self.out_dir)).resolve()

    def to_dict(self) -> dict:
        return asdict(self)

    def hash(self) -> str:
        """SHA-256 of the canonical JSON of the settings that shape the model (not paths or budgets)."""
        d = self.to_dict()
        for k in ("max_minutes", "out_dir", "directions_train", "directions_heldout", "directions_report",
                  "moses_valid_target", "smoothness_pairs", "smoothness_steps"):
            d.pop(k, None)
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()


def load_config(path: Optional[str] = None) -> Config:
    path = path or os.environ.get("MOLNAV_CONFIG", str(REPO_ROOT / "notebooks" / "configs" / "tiny.json"))
    with open(path) as f:
        cfg = Config(**json.load(f))
    if os.environ.get("MOLNAV_MAX_MINUTES"):
        cfg.max_minutes = float(os.environ["MOLNAV_MAX_MINUTES"])
    return cfg
