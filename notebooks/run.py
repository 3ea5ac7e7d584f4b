#!/usr/bin/env python3
"""Execute the training pipeline notebooks (jupytext percent format, kept as .py) in order.

Usage: /usr/bin/python3 notebooks/run.py --config notebooks/configs/full.json [--only 01,02] [--max-minutes 80] [--plain]

Each `NN_*.py` file is converted to a notebook (a `# %%` line starts a code cell, `# %% [markdown]` a markdown
cell) and executed with nbclient in a fresh Debian python3 kernel; the executed .ipynb is written to the config's
work dir. The notebooks read the config path from MOLNAV_CONFIG. Exit status is non-zero if any cell fails.

--plain runs the same files as plain Python scripts (runpy), without Jupyter: for a host without nbclient, such as
the GPU machine (torch 2.x, no RDKit: only 02_train runs there; MOLNAV_DEVICE=cuda|cpu|auto picks the device).
"""
import argparse
import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def percent_to_notebook(text: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    kind, lines = None, []

    def flush():
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.splitlines())
            nb.cells.append(nbformat.v4.new_markdown_cell(body))
        elif body:
            nb.cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind is not None:
            lines.append(line)
    flush()
    return nb


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=str(HERE / "configs" / "tiny.json"))
    ap.add_argument("--only", default="", help="comma-separated notebook prefixes, e.g. 01,02")
    ap.add_argument("--max-minutes", type=float, default=None, help="training wall-clock budget")
    ap.add_argument("--plain", action="store_true", help="run the files as plain Python scripts, without Jupyter")
    args = ap.parse_args()
    os.environ["MOLNAV_CONFIG"] = str(Path(args.config).resolve())
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")  # measured fastest with torch at 1 thread on 2 cores
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.max_minutes is not None:
        os.environ["MOLNAV_MAX_MINUTES"] = str(args.max_minutes)
    sys.path.insert(0, str(HERE))
    from molnav_vae.config import load_config

    cfg = load_config()
    out_dir = cfg.work_dir / "executed"
    out_dir.mkdir(parents=True, exist_ok=True)
    only = [p for p in args.only.split(",") if p]
    for path in sorted(HERE.glob("[0-9][0-9]_*.py")):
        if only and not any(path.name.startswith(p) for p in only):
            continue
        print(f"== {path.name} ({cfg.name})", flush=True)
        if args.plain:
            runpy.run_path(str(path), run_name="__main__")
            continue
        import nbformat
        from nbclient import NotebookClient

        nb = percent_to_notebook(path.read_text())
        client = NotebookClient(nb, timeout=None, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
        try:
            client.execute()
        finally:
            nbformat.write(nb, out_dir / path.with_suffix(".ipynb").name)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream":
                    sys.stdout.write(out.get("text", ""))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
