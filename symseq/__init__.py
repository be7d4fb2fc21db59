"""symseq: symbolic integration and ODE solving with verified sequence-to-sequence models.

Import costs are kept low here: torch and the models load only when a command needs them.
"""

import os

from symseq.version import __version__  # noqa: F401  (the one place it is written)

# Before torch loads OpenMP: idle threads sleep instead of spinning.  With other busy processes
# on the cores (a benchmark's workers, a training run) spinning made one beam search 6x slower
# (x*cos(x): 7.7 s vs 1.3 s for the decode stage, measured on 2 busy cores).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def __getattr__(name: str):
    """``symseq.integrate`` without importing the solver (and torch) at package import."""
    if name in ("integrate", "solve_ode", "integrate_many", "solve_ode_many"):
        from symseq.solve import solver

        return getattr(solver, name)
    if name == "integrate_definite":
        from symseq.solve.definite import integrate_definite

        return integrate_definite
    if name == "verify":
        from symseq.solve.check import verify

        return verify
    raise AttributeError(f"module 'symseq' has no attribute {name!r}")
