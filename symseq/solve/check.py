"""Check any answer (a student's, another system's): ``verify(question, answer, ...)``.

The question is read like ``symseq integrate`` / ``symseq solve-ode`` read it; the answer in the
same notation and variable (``x^2/2``, ``t*sin(t) + cos(t)``, ``y = c1*exp(x)``).  For an
integral an additive constant written ``C`` (or ``c``, ``C1``, ``c1``, ``K``) is dropped; for an ODE
the constants are ``c1``, ``c2`` (``C1``, ``C2`` also accepted).  Both texts are read inside the
parsing sandbox and the answer is judged by ``symseq.solve.verifier`` under the same ``timeout``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy as sp

from generators.symbols import C1, C2, X
from symseq.domain import DEFAULT_TIMEOUT, Verdict, kind_of_order
from symseq.lang.assume import describe
from symseq.lang.parse import InputError, in_sandbox, parse_expression, parse_integrand, parse_ode
from symseq.solve.verifier import verify_candidate

_INTEGRATION_CONSTANTS = ("C", "c", "C1", "c1", "K")
_ODE_CONSTANTS = {"c1": C1, "C1": C1, "c2": C2, "C2": C2}


@dataclass(frozen=True)
class CheckResult:
    question: str
    answer: str
    verdict: Verdict
    reason: str
    seconds: float
    valid_on: str = ""  # a LOCAL answer: where it holds ("-pi < x < pi"); "" when global
    assumptions: str = ""  # the parameters' assumptions and excluded values ("a > 0, a != 1")

    @property
    def verified(self) -> bool:
        """Verified on the whole real line, or (LOCAL) on the intervals of ``valid_on``."""
        return self.verdict.solved

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer, "verdict": self.verdict.value,
                "verified": self.verified, "valid_on": self.valid_on or None,
                "assumptions": self.assumptions or None, "reason": self.reason,
                "seconds": round(self.seconds, 3)}


def _read(question: str, answer: str, ode: bool, var: str | None, assume: str | None = None):
    """Runs in the parsing sandbox: (task, question expr, answer expr, shown question, variable,
    the parameters' assumptions)."""
    if ode:
        equation, order = parse_ode(question)
        text = answer.strip()
        for head in ("y(x)", "f(x)", "y", "f"):
            if text.startswith(head) and text[len(head):].lstrip().startswith("="):
                text = text[len(head):].lstrip()[1:]
                break
        expr = parse_expression(text, {"x": X, **_ODE_CONSTANTS})
        extra = sorted(s.name for s in expr.free_symbols - {X, C1, C2})
        if extra:
            raise InputError(f"the answer holds symbols other than x, c1, c2: {', '.join(extra)}")
        if assume:
            raise InputError("--assume is for integrals with parameters (an ODE has none)")
        return kind_of_order(order), equation, expr, f"{sp.sstr(equation)} = 0", "x", ""
    integrand, user_var = parse_integrand(question, var, assume)
    parameters = {s.name: s for s in integrand.free_symbols if s != X}
    expr = _without_additive_constant(parse_expression(answer), user_var, set(parameters))
    extra = sorted(s.name for s in expr.free_symbols if s.name != user_var.name and s.name not in parameters)
    if extra:
        where = f"{user_var} and the question's parameters" if parameters else str(user_var)
        raise InputError(f"the answer holds symbols other than {where}: {', '.join(extra)}")
    expr = expr.xreplace({s: X if s.name == user_var.name else parameters[s.name] for s in expr.free_symbols})
    return "integrate", integrand, expr, sp.sstr(integrand.xreplace({X: user_var})), user_var.name, \
        describe(parameters.values())


def _without_additive_constant(expr: sp.Expr, user_var: sp.Symbol, parameters: set = frozenset()) -> sp.Expr:
    """``F + C`` -> ``F``: a symbol named C (c, C1, c1, K) is dropped only as a whole term of the
    sum, and only if it is not a parameter of the question; anywhere else (``C*x``) it stays,
    and is then refused as a foreign symbol."""
    def is_constant(term: sp.Expr) -> bool:
        return term.is_Symbol and term.name in _INTEGRATION_CONSTANTS and term != user_var \
            and term.name not in parameters

    if is_constant(expr):
        return sp.Integer(0)
    if expr.is_Add:
        return sp.Add(*[t for t in expr.args if not is_constant(t)])
    return expr


def verify(question: str, answer: str, *, ode: bool = False, var: str | None = None,
           assume: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Is ``answer`` an antiderivative of ``question`` (or, with ``ode``, a general solution of
    the ODE)?  Other symbols of an integral are parameters (> 0 unless ``assume`` says
    otherwise: ``"a < 0, n integer"``), checked at draws of their values.  Raises
    ``InputError`` for text that cannot be read; see the module docstring."""
    t0 = time.perf_counter()
    task, q, a, shown, name, assumed = in_sandbox(_read, question, answer, ode, var, assume, timeout=timeout)
    left = max(0.4, timeout - (time.perf_counter() - t0))
    result = verify_candidate(task, q, a, numeric_timeout=left / 2, proof_timeout=left / 2,
                              show_var=sp.Symbol(name))
    reason = result.detail or {Verdict.PROVED: "the residual simplifies to 0",
                               Verdict.NUMERIC_ONLY: "equal at every checked point"}.get(result.verdict, "")
    assumed = ", ".join(part for part in (assumed, result.provided) if part)
    return CheckResult(shown, answer.strip(), result.verdict, reason, time.perf_counter() - t0,
                       result.valid_on, assumed)
