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
for f in encoder.onnx decoder_init.onnx decoder_step.onnx vocab.json metadata.json golden.json model-card.json model-card.md; do
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
print("tiny pipeline: reconstruction %.3f, prior validity %.3f (tiny model: numbers are not meaningful)"
      % (ev["reconstruction"]["reconstruction_accuracy"], ev["prior"]["validity"]))
PY
