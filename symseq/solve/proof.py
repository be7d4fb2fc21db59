"""The verifier's second stage, the symbolic proof: the residual simplified to exactly 0 (PROVED),
shown nonzero exactly (WRONG), or neither (NUMERIC_ONLY: the numeric stage's word stands).
Also how a candidate is built from what was proposed (``build_candidate``)."""

from __future__ import annotations

import sympy as sp

from generators.symbols import C1, C2, X
from generators.tasks import residual_of
from symseq.domain import Verdict
from symseq.lang.parse import parse_answer
from symseq.lang.prefix import from_prefix
from symseq.numerics.continuity import without_deltas
from symseq.numerics.precise import Zero, judge_zero
from symseq.solve import cases

RawCandidate = sp.Expr | str | list[str]  # an expression, SymPy text in x, c1, c2, or prefix tokens
_NAMES = {"x": X, "c1": C1, "c2": C2}


def build_candidate(candidate: RawCandidate, question: sp.Expr | None = None) -> sp.Expr:
    """The candidate as an expression (call it only inside a sandbox for untrusted input); a
    name in SymPy text that is a parameter of ``question`` is that parameter's symbol."""
    return build_with_exclusions(candidate, question)[0]


def build_with_exclusions(candidate: RawCandidate, question: sp.Expr | None = None) -> tuple[sp.Expr, list]:
    """``build_candidate``, and the expressions in the parameters that must not vanish: those of
    the cases dropped as degenerate (``Eq(a, 0)``) and the edges of the cases kept
    (``symseq.solve.cases``)."""
    if isinstance(candidate, (list, tuple)):
        return from_prefix(list(candidate)), []
    if isinstance(candidate, str):
        names = {s.name: s for s in question.free_symbols} if question is not None else {}
        if candidate.startswith(cases.PREFIX):
            texts = cases.split_list(candidate[len(cases.PREFIX):])
            answers = [parse_answer(text, {**names, **_NAMES}) for text in texts]
            candidate = cases.from_case_list(answers, set(names.values()) - {X})
        else:
            candidate = parse_answer(candidate, {**names, **_NAMES})
    candidate, degenerate = cases.split_degenerate(_powers_of_numbers(_without_domain_piecewise(candidate)))
    return candidate, degenerate + cases.boundaries(candidate)


def _powers_of_numbers(e: sp.Expr) -> sp.Expr:
    """FriCAS's ``exp(x*log(2))`` as ``2**x`` (the same function: SymPy's 2**z is exp(z*log(2)))."""
    def power(node: sp.Expr) -> sp.Expr:
        for factor in sp.Mul.make_args(node.args[0]):
            if isinstance(factor, sp.log) and factor.args[0].is_Rational and factor.args[0].is_positive:
                return factor.args[0] ** (node.args[0] / factor)
        return node
    return e.replace(lambda n: isinstance(n, sp.exp), power) if e.has(sp.exp) else e


def _without_domain_piecewise(e: sp.Expr) -> sp.Expr:
    """``Piecewise((F, condition on x))`` with no other branch (SymPy: "F, where the condition
    holds") -> F: the verifier finds for itself the intervals where F holds (a LOCAL answer)."""
    def strip(p: sp.Piecewise) -> sp.Expr:
        if len(p.args) == 1 and p.args[0].cond is not sp.true and p.args[0].cond.free_symbols <= {X}:
            return p.args[0].expr
        return p
    return e.replace(lambda n: isinstance(n, sp.Piecewise), strip) if e.has(sp.Piecewise) else e


def proof_stage(args: tuple[str, sp.Expr, RawCandidate, sp.Symbol]) -> Verdict:
    """PROVED if the residual simplifies to 0; WRONG if it is shown nonzero exactly (a nonzero
    constant, or a nonzero rational function of x); otherwise NUMERIC_ONLY."""
    task, question, candidate, _ = args
    residual = without_deltas(residual_of(task, question, build_candidate(candidate, question)))
    for rewrite in (lambda e: e, sp.expand, sp.cancel, lambda e: sp.together(sp.expand(e)),
                    sp.simplify):
        simplified = rewrite(residual)
        if simplified == 0:
            return Verdict.PROVED
        if _surely_nonzero(simplified):
            return Verdict.WRONG
    return Verdict.NUMERIC_ONLY


def _surely_nonzero(e: sp.Expr) -> bool:
    if e.is_Rational:
        return e != 0
    if not e.free_symbols:  # a constant: nonzero if it stays nonzero as precision grows
        return judge_zero(e, {})[0] is Zero.NONZERO
    symbols = sorted(e.free_symbols, key=str)
    if e.free_symbols <= {X, C1, C2} and not e.atoms(sp.Function):
        num, _ = sp.fraction(sp.cancel(e))
        if not num.is_polynomial(*symbols):
            return False
        poly = sp.Poly(num, *symbols)
        return all(c.is_Rational for c in poly.coeffs()) and not poly.is_zero
    return False
