#!/usr/bin/env bash
# End-to-end run of the training pipeline on the tiny configuration (300 training molecules, one epoch), from a
# clean work dir: data preparation, training with checkpoints, evaluation + model card, ONNX export. Then the
# jest run of `npm test` checks ONNX Runtime parity against this freshly exported tiny model
# (test/model/onnx-parity.spec.ts, MOLNAV_TINY_MODEL_DIR), so a broken export fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
export PYDEVD_DISABLE_FILE_VALIDATION=1
rm -rf notebooks/work/tiny
$PY notebooks/run.py --config notebooks/configs/tiny.json
for f in encoder.onnx decoder_init.onnx decoder_step.onnx vocab.json metadata.json golden.json model-card.json model-card.md directions.json directions-report.json directions-report.md; do
  test -s "notebooks/work/tiny/model/$f" || { echo "missing notebooks/work/tiny/model/$f"; exit 1; }
done
$PY - <<'PY'
import json
card = json.load(open("notebooks/work/tiny/model/model-card.json"))
ev = card["evaluation"]
assert ev["reconstruction"]["n"] == 100, ev["reconstruction"]["n"]
assert ev["prior"]["n"] == 200, ev["prior"]["n"]
assert card["training"]["steps"] > 0
check = ev["syntax_mask_check"]
assert check["n"] >= 50 and check["false_rejections"] == 0, check  # the mask never refuses a real molecule's token
assert ev["prior_syntax_masked"]["n"] == 200
dirs = json.load(open("notebooks/work/tiny/model/directions.json"))
assert dirs["model_version"] == card["model_version"], dirs["model_version"]
for k in ("clogp", "tpsa", "qed", "mw", "sa"):
    d = dirs["properties"][k]["direction"]
    assert len(d) == card["architecture"]["latent_dim"] and abs(sum(x * x for x in d) - 1) < 1e-3, k
report = json.load(open("notebooks/work/tiny/model/directions-report.json"))
assert report["molecules"] == 10 and set(report["properties"]) == set(dirs["properties"])
print("tiny pipeline: reconstruction %.3f, prior validity %.3f (tiny model: numbers are not meaningful)"
      % (ev["reconstruction"]["reconstruction_accuracy"], ev["prior"]["validity"]))
PY
