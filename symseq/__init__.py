"""symseq: symbolic integration and ODE solving with verified sequence-to-sequence models.

Import costs are kept low here: torch and the models load only when a command needs them.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    """``symseq.integrate`` without importing the solver (and torch) at package import."""
    if name == "integrate":
        from symseq.solver import integrate

        return integrate
    raise AttributeError(f"module 'symseq' has no attribute {name!r}")
