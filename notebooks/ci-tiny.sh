#!/usr/bin/env bash
# End-to-end run of the training pipeline on the tiny configuration (300 training molecules, one epoch), from a
# clean work dir (after the metric unit tests in notebooks/tests): data preparation, training with checkpoints, evaluation + model card, ONNX export. Then the
# jest run of `npm test` checks ONNX Runtime parity against this freshly exported tiny model
# (test/model/onnx-parity.spec.ts, MOLNAV_TINY_MODEL_DIR), so a broken export fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
export PYDEVD_DISABLE_FILE_VALIDATION=1
rm -rf notebooks/work/tiny
$PY -m unittest discover -s notebooks/tests  # known-answer checks of the MOSES-style metrics and the syntax mask rules
$PY notebooks/run.py --config notebooks/configs/tiny.json
for f in encoder.onnx decoder_init.onnx decoder_step.onnx decoder_step.int8.onnx vocab.json metadata.json golden.json model-card.json model-card.md directions.json directions-report.json directions-report.md; do
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
for kind in ("unconstrained", "syntax_masked"):
    m = ev["moses"][kind]
    assert m["n_valid"] <= 100 and m["n_generated"] >= m["n_valid"], m
    assert m["reference_n"] == 100 and m["unique@100"]["n"] == m["n_valid"], m
    for key in ("validity", "novelty", "int_div1", "filters", "snn", "frag", "scaf"):
        assert 0.0 <= m[key] <= 1.0, (kind, key, m[key])
ref = ev["moses_reference"]
assert ref["n"] == 100 and 0.0 <= ref["filters"] <= 1.0 and 0.0 < ref["int_div1"] < 1.0, ref
smooth = ev["latent_smoothness"]
assert smooth["pairs"] == 5 and smooth["interior_points"] == 5 * 9, smooth
assert "MOSES-style metrics" in open("notebooks/work/tiny/model/model-card.md").read()
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
# Training as on the GPU host: plain scripts (no Jupyter), RDKit unavailable, device chosen by MOLNAV_DEVICE.
rm -rf notebooks/work/tiny-plain && mkdir -p notebooks/work/tiny-plain
cp notebooks/work/tiny/{train,valid,test}.smi notebooks/work/tiny/vocab.json notebooks/work/tiny/data_summary.json notebooks/work/tiny-plain/
MOLNAV_WORK=notebooks/work/tiny-plain MOLNAV_DEVICE=cpu $PY -c '
import runpy, sys
sys.modules["rdkit"] = None  # the GPU host has no RDKit
sys.argv = ["run.py", "--config", "notebooks/configs/tiny.json", "--only", "02", "--plain"]
runpy.run_path("notebooks/run.py", run_name="__main__")
'
$PY - <<'PY'
import torch
ck = torch.load("notebooks/work/tiny-plain/checkpoint.pt", map_location="cpu")
assert ck["state"]["status"] == "done" and ck["state"]["step"] > 0, ck["state"]
assert all(v.device.type == "cpu" for v in ck["model"].values())
print("plain training without RDKit: %d steps on %s" % (ck["state"]["step"], ck["state"]["devices"]))
PY
