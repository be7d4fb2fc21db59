"""The one task table: every problem family, what it asks, and what its answer must satisfy.

A *task* is a generator family (``fwd``, ``bwd``, ``ibp``, ``nat``, ``written``, ``ode1``,
``ode2``); its *kind* is what a problem asks, which is all that the model, the solver and the
verifier need to know:

* ``integrate``: the question is an integrand f in x, the answer an antiderivative F (F' = f);
* ``ode1`` / ``ode2``: the question is an expression in f(x), f'(x) (, f''(x)) that must vanish,
  the answer a solution y with the constants c1 (, c2).

The model reads a kind's token (``<integrate>``, ``<ode1>``, ``<ode2>``) before the question.
To add a family: write its generator ``gen_<task>(rng, cfg)`` and add one line to ``TASKS``.
This module imports nothing heavy, so the CLI can build its choices from it.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("integrate", "ode1", "ode2")


@dataclass(frozen=True)
class Task:
    name: str
    kind: str  # one of KINDS
    meaning: str  # one line for help texts and the README's task table
    generator: str  # "module:function" of its generator, fn(rng, cfg) -> Problem | Skip
    # how long a caller's sandbox lets one draw run before killing it (SymPy's integrate may
    # never return): fwd gets 1 s, as every fwd integral SymPy solved in measurement took < 0.5 s
    # while a third of the draws hang
    draw_seconds: float = 5.0

    @property
    def token(self) -> str:
        return task_token(self.kind)

    @property
    def order(self) -> int:
        """0 for integrals, else the order of the ODE."""
        return 0 if self.kind == "integrate" else int(self.kind[-1])


TASKS: dict[str, Task] = {t.name: t for t in (
    Task("fwd", "integrate", "integrand f -> F, by SymPy's integrate", "generators.integration:gen_fwd", 1.0),
    Task("bwd", "integrate", "integrand f = F' -> F, from a random F", "generators.integration:gen_bwd"),
    Task("ibp", "integrate", "integrand F*G' -> F*G - K, integration by parts", "generators.integration:gen_ibp"),
    Task("nat", "integrate", "natural-form integrand (simplified F') -> F of a textbook kind",
         "generators.natural:gen_nat"),
    Task("written", "integrate", "integrand as a textbook writes it -> F, by SymPy (symseq distill: by FriCAS, Maxima)",
         "generators.written:gen_written", 1.0),
    Task("ode1", "ode1", "first-order ODE -> solution with c1", "generators.odes:gen_ode1"),
    Task("ode2", "ode2", "second-order ODE -> solution with c1, c2", "generators.odes:gen_ode2"),
)}


def task_token(kind: str) -> str:
    """The model's task token for a kind (``<integrate>``, ``<ode1>``, ``<ode2>``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return f"<{kind}>"


TASK_TOKENS = tuple(task_token(k) for k in KINDS)


def kind_of_order(order: int) -> str:
    """``ode1`` or ``ode2`` for an ODE of that order."""
    return KINDS[order]


def residual_of(kind: str, question, candidate):
    """The expression that must vanish identically for ``candidate`` to answer ``question``."""
    import sympy as sp

    from generators.symbols import F0, F1, F2, X

    if kind == "integrate":
        return sp.diff(candidate, X) - question
    d1 = sp.diff(candidate, X)
    return question.subs({F2: sp.diff(d1, X), F1: d1, F0: candidate})
