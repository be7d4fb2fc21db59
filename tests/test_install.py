"""A regular install (``pip install .``, not editable), used from another folder, finds the
shipped model and solves with it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_regular_install_finds_the_shipped_model(tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--prefix", str(prefix), str(ROOT)], check=True, cwd=tmp_path, timeout=600)
    site = next(prefix.glob("lib/python*/site-packages"))
    script = ("import json, symseq; from symseq.solve import solver; "
              "sol = symseq.integrate('cos(x)', mode='model', timeout=30); "
              "print(json.dumps([solver.__file__, str(solver.DEFAULT_CHECKPOINT), sol.solved, sol.engine]))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    module, checkpoint, solved, engine = json.loads(out.strip().splitlines()[-1])
    assert module.startswith(str(prefix)), module  # the installed copy, not the checkout
    assert checkpoint == str(prefix / "share" / "symseq" / "checkpoints" / "default")
    assert solved and engine == "model"
