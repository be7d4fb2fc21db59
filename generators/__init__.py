"""Problem generators: pure mathematics with SymPy (no tokens, files, torch or CLI).

``GENERATORS`` maps a task name to ``(fn, default_timeout_s)``; ``fn(rng, cfg) -> Problem | Skip``
draws one problem from a ``numpy.random.Generator`` and an ``ExprConfig``.  The timeout is how
long the caller's sandbox should let one draw run before killing it (SymPy's ``integrate`` may
never return): fwd gets 1 s because every fwd integral SymPy solved in measurement took < 0.5 s,
while a third of the draws hang.

To add a task: write ``gen_<task>(rng, cfg)`` in a module here and register it below.
"""

from generators.base import Problem, Skip, SKIP_REASONS
from generators.integration import gen_bwd, gen_fwd, gen_ibp
from generators.odes import gen_ode1, gen_ode2
from generators.trees import ExprConfig, PAPER_OPERATORS

GENERATORS = {
    "fwd": (gen_fwd, 1.0),
    "bwd": (gen_bwd, 5.0),
    "ibp": (gen_ibp, 5.0),
    "ode1": (gen_ode1, 5.0),
    "ode2": (gen_ode2, 5.0),
}

INTEGRATION_TASKS = ("fwd", "bwd", "ibp")
ODE_TASKS = ("ode1", "ode2")

__all__ = ["GENERATORS", "INTEGRATION_TASKS", "ODE_TASKS", "ExprConfig", "PAPER_OPERATORS",
           "Problem", "Skip", "SKIP_REASONS"]
