"""Problem generators: pure mathematics with SymPy (no tokens, files, torch or CLI).

``TASKS`` (``generators/tasks.py``) is the one table of problem families and their kinds.
``GENERATORS`` maps a task name to ``(fn, default_timeout_s)``; ``fn(rng, cfg) -> Problem | Skip``
draws one problem from a ``numpy.random.Generator`` and an ``ExprConfig``.  The timeout is how
long the caller's sandbox should let one draw run before killing it (SymPy's ``integrate`` may
never return): fwd gets 1 s because every fwd integral SymPy solved in measurement took < 0.5 s,
while a third of the draws hang.

To add a task: write ``gen_<task>(rng, cfg)`` in a module here, register it below and add its
line to ``TASKS``.  The generator modules (and SymPy) load on first use, so that importing the
task table stays cheap.
"""

from generators.tasks import KINDS, TASKS, Task

_LAZY = {"Problem": "generators.base", "Skip": "generators.base", "SKIP_REASONS": "generators.base",
         "ExprConfig": "generators.trees", "PAPER_OPERATORS": "generators.trees"}


def _registry() -> dict:
    from generators.integration import gen_bwd, gen_fwd, gen_ibp
    from generators.natural import gen_nat
    from generators.odes import gen_ode1, gen_ode2

    registry = {"fwd": (gen_fwd, 1.0), "bwd": (gen_bwd, 5.0), "ibp": (gen_ibp, 5.0),
                "nat": (gen_nat, 5.0), "ode1": (gen_ode1, 5.0), "ode2": (gen_ode2, 5.0)}
    assert set(registry) == set(TASKS), "every task in TASKS needs a generator, and back"
    return registry


def __getattr__(name: str):
    if name == "GENERATORS":
        value = _registry()
    elif name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'generators' has no attribute {name!r}")
    globals()[name] = value
    return value


INTEGRATION_TASKS = tuple(t for t, spec in TASKS.items() if spec.kind == "integrate")
ODE_TASKS = tuple(t for t, spec in TASKS.items() if spec.kind != "integrate")

__all__ = ["GENERATORS", "INTEGRATION_TASKS", "ODE_TASKS", "KINDS", "TASKS", "Task", "ExprConfig",
           "PAPER_OPERATORS", "Problem", "Skip", "SKIP_REASONS"]
