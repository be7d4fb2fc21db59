"""Problem generators: pure mathematics with SymPy (no tokens, files, torch or CLI).

``TASKS`` (``generators/tasks.py``) is the one table of problem families: their kinds, their
generators and how long one draw may run.  ``GENERATORS`` maps a task name to
``(fn, draw_seconds)``, read from it; ``fn(rng, cfg) -> Problem | Skip`` draws one problem from a
``numpy.random.Generator`` and an ``ExprConfig``.

To add a task: write ``gen_<task>(rng, cfg)`` in a module here and add its line to ``TASKS``.
The generator modules (and SymPy) load on first use, so that importing the task table stays
cheap.
"""

from generators.tasks import KINDS, TASKS, Task

_LAZY = {"Problem": "generators.base", "Skip": "generators.base", "SKIP_REASONS": "generators.base",
         "ExprConfig": "generators.trees", "PAPER_OPERATORS": "generators.trees"}


def _registry() -> dict:
    import importlib

    registry = {}
    for name, task in TASKS.items():
        module, function = task.generator.split(":")
        registry[name] = (getattr(importlib.import_module(module), function), task.draw_seconds)
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
