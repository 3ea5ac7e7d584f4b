#!/usr/bin/env bash
# Makes sure Debian's Python packages for the training pipeline are installed (PyPI is not used: see
# notebooks/apt-packages.txt). Installs them with apt-get when an import fails; needs root or sudo for that.
set -euo pipefail
cd "$(dirname "$0")/.."
if /usr/bin/python3 -c 'import torch, rdkit, onnx, numpy, networkx, nbclient, nbformat, ipykernel' 2>/dev/null \
   && ls /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas*.so* >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "ensure-python: need root or sudo to apt-get install $(grep -v '^#' notebooks/apt-packages.txt | tr '\n' ' ')" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $(grep -v '^#' notebooks/apt-packages.txt)
