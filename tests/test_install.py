"""A regular install (``pip install .``, not editable), used from another folder, finds the
shipped model and solves with it.

The wheel pip would install is built and laid out into a prefix as pip lays it out (the package
into ``lib/pythonX.Y/site-packages``, its data files into the prefix): ``pip install --prefix``
itself would first uninstall the checkout's editable install from the running environment.
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_regular_install_finds_the_shipped_model(tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path), str(ROOT)], check=True, cwd=tmp_path, timeout=600)
    site = prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    with zipfile.ZipFile(next(tmp_path.glob("symseq-*.whl"))) as wheel:
        for name in wheel.namelist():
            head, _, rest = name.partition("/")
            if head.endswith(".data") and rest.startswith("data/"):
                target = prefix / rest[len("data/"):]
            else:
                target = site / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(wheel.read(name))
    script = ("import json, symseq; from symseq.solve import model, solver; "
              "sol = symseq.integrate('cos(x)', mode='model', timeout=30); "
              "print(json.dumps([solver.__file__, str(model.DEFAULT_CHECKPOINT), sol.solved, sol.engine]))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    module, checkpoint, solved, engine = json.loads(out.strip().splitlines()[-1])
    assert module.startswith(str(prefix)), module  # the installed copy, not the checkout
    assert checkpoint == str(prefix / "share" / "symseq" / "checkpoints" / "default")
    assert solved and engine == "model"
