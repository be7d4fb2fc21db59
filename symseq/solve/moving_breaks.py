"""Answers with parameters that hold between points which move with the parameters.

FriCAS integrates sin(t)**2/(a + b*cos(t)), t = c + d*x, with ``atan((a*cos(t) + b)/(s*sin(t)))``
(s = sqrt(a**2 - b**2)): an antiderivative on each interval between consecutive zeros of
sin(c + d*x), jumping at those zeros.  They move with c and d, so no one list of intervals holds
at every draw of the parameters (``parameter_draws``), yet the answer is what a table of integrals
prints.  ``between_breaks`` states such an answer as LOCAL, valid for "x in each interval between
consecutive zeros of sin(c + d*x)", when, at every draw where it held on intervals only or failed by a jump
alone (a large d leaves intervals too short for the interval search), on the interval search's
grid (0.01 apart on [-10, 10], 0.5 apart out to +-100, shifted at random):

0. F' - f is zero at adaptive precision at ``CONFIRM`` good points spread over the grid;

1. wherever F is real and finite, so is f, and F' - f vanishes in double precision, except at runs of at
   most ``NEAR_ZERO_POINTS`` points that bracket a zero of a break factor (rounding next to a pole)
   and at up to ``MAX_JUDGED`` points where it is zero at adaptive precision;
2. F's being real or not changes only across a zero of a break factor;
3. each pair of neighbouring good points where the jump test (``continuity.interval_breaks``)
   finds a break -- F jumps, f or F undefined or unbounded, or the pair cannot be judged --
   brackets a zero of a break factor.

The break factors (``break_factors``) are the x-dependent factors of what can make F jump, stop
being real or blow up: the numerators and denominators of the arguments of atan, acot, log and
the inverse functions, of the bases of roots, and of F's negative powers, and the cos or sin
under tan, sec, cot, csc.  Only the factors that bracket a break at some draw are named in the
answer's interval (each break by the simplest factor that has a zero there).  With points where
F is not real, the claim is "where it is real".

Why a zero in the same grid cell is enough: F is built of analytic functions, so it can jump,
blow up or stop being real only where one of them meets a singularity or branch point of its
argument -- a zero of a break factor, when those factors are real there.  (A complex argument
crossing a cut of log is no zero of a real factor: that break stays unexplained and the answer
is refused.  So are answers with Abs or sign, whose kinks the verifier judges elsewhere.)  Runs
of failing residual shorter than ``NEAR_ZERO_POINTS`` between good points are rounding for the
same reason: a residual that is analytic and zero on both sides is zero between them.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.continuity import interval_breaks, real_finite
from symseq.numerics.numeric import NotNumeric, evaluate
from symseq.numerics.precise import Zero, judge_zero
from symseq.solve.intervals import _good, _grid

MAX_FACTORS = 12  # break factors considered, at most (an answer with more is not stated this way)
MAX_FACTOR_OPS = 400  # an argument larger than this is not factored (slow): no statement
NEAR_ZERO_POINTS = 5  # a run of grid points where the residual fails, next to a zero, at most
BRACKET_POINTS = 1025  # where a factor is looked at between two grid points
MAX_JUDGED = 40  # grid points of longer runs where the residual is judged at adaptive precision
CONFIRM = 3  # good grid points where the residual is also judged at adaptive precision

_INVERSE = (sp.asin, sp.acos, sp.asec, sp.acsc, sp.atanh, sp.acoth, sp.asinh, sp.acosh)


def break_factors(candidate: sp.Expr) -> list[sp.Expr]:
    """The x-dependent factors whose zeros are where ``candidate`` may jump, stop being real or
    have a pole (the module docstring), without repeats (up to sign); [] when there are more than
    ``MAX_FACTORS`` or an argument is too large to factor."""
    sources: list[sp.Expr] = []
    for node in sp.preorder_traversal(candidate):
        if isinstance(node, (sp.atan, sp.acot, sp.log) + _INVERSE):
            u = node.args[0]
            sources += [u] if isinstance(node, (sp.atan, sp.acot, sp.log)) else [u - 1, u + 1, u]
        elif isinstance(node, sp.Pow) and node.base.has(X):
            if not node.exp.is_integer or node.exp.is_negative:
                sources.append(node.base)
        elif isinstance(node, (sp.tan, sp.sec)):
            sources.append(sp.cos(node.args[0]))
        elif isinstance(node, (sp.cot, sp.csc)):
            sources.append(sp.sin(node.args[0]))
    found: list[sp.Expr] = []
    for source in sources:
        if not source.has(X):
            continue
        if sp.count_ops(source) > MAX_FACTOR_OPS:
            return []
        numerator, denominator = sp.fraction(sp.together(source))
        for part in (numerator, denominator):
            for base in _factors(part):
                if base.has(X) and base not in found and -base not in found:
                    found.append(base)
        if len(found) > MAX_FACTORS:
            return []
    return found


def _factors(e: sp.Expr) -> list[sp.Expr]:
    """The bases of ``e``'s factors (``e`` itself when SymPy cannot factor it: roots inside)."""
    if not e.has(X):
        return []
    try:
        return [base for base, _ in sp.factor_list(e)[1]]
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return [e]


def explain_draw(question: sp.Expr, candidate: sp.Expr, factors: list[sp.Expr], values: dict,
                 rng: np.random.Generator) -> tuple[set, bool] | None:
    """At one draw of the parameters: (the factors, by index, whose zeros bracket the breaks;
    whether F is non-real somewhere) when the module docstring's checks hold, else None."""
    f, F = question.xreplace(values), candidate.xreplace(values)
    try:
        with np.errstate(all="ignore"):
            return _explained(f, F, [g.xreplace(values) for g in factors], rng)
    except (NotNumeric, ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
        return None


def describe_breaks(factors: list[sp.Expr], used: set, somewhere_complex: bool, var: sp.Symbol = X) -> str:
    """"x in each interval between consecutive zeros of B" for the factors ``used`` ('' if none;
    read after "valid for"), written in ``var``."""
    if not used:
        return ""
    named = sp.Mul(*[_monic(factors[i]) for i in sorted(used)]).xreplace({X: var})
    return f"{var} in each interval between consecutive zeros of {sp.sstr(named)}" + \
        (" where it is real" if somewhere_complex else "")


def _monic(g: sp.Expr) -> sp.Expr:
    """A polynomial in x with its leading coefficient 1 (x - a/100000 - 5, not 100000*x - a - 500000)."""
    if not g.is_polynomial(X):
        return g
    return sp.expand(g / sp.Poly(g, X).LC())


def between_breaks(question: sp.Expr, candidate: sp.Expr, draws: list[dict],
                   rng: np.random.Generator, var: sp.Symbol = X) -> str:
    """``describe_breaks`` of the factors that bracket a break at some draw when ``explain_draw``
    holds at every draw of ``draws``, else ''."""
    factors = break_factors(candidate)
    if not factors or not draws:
        return ""
    used: set[int] = set()
    somewhere_complex = False
    for values in draws:
        found = explain_draw(question, candidate, factors, values, rng)
        if found is None:
            return ""
        used |= found[0]
        somewhere_complex |= found[1]
    return describe_breaks(factors, used, somewhere_complex, var)


def _explained(f: sp.Expr, F: sp.Expr, factors: list[sp.Expr], rng: np.random.Generator):
    """(the factors that bracket the breaks, whether F is non-real somewhere) at one draw, or None
    when some break, failing residual or change of realness brackets no zero of a factor."""
    xs = _grid(rng)
    env = {X: xs.astype(np.complex128)}
    real = real_finite(evaluate(F, env)[0])  # where the answer is real: what the claim covers
    residual = sp.diff(F, X) - f
    good = _good(f, F, residual, xs)
    # 0. the residual is zero at adaptive precision too, at points spread over the good ones
    spread = np.flatnonzero(good)
    if spread.size < 2:
        return None
    for k, i in enumerate(spread[np.linspace(0, spread.size - 1, CONFIRM).round().astype(int)]):
        if judge_zero(residual, {X: float(xs[i])}, levels=5 if k == 0 else 3)[0] is not Zero.ZERO:
            return None
    brackets = []  # [a, b] that must each hold a zero of a factor
    # 1. the residual fails (or f is not real) where F is real only in short runs next to a zero
    bad = real & ~good
    edges = np.flatnonzero(np.diff(np.concatenate([[0], bad.astype(np.int8), [0]])))
    judged = 0
    for start, end in zip(edges[0::2], edges[1::2]):
        if end - start > NEAR_ZERO_POINTS:  # longer: double precision's rounding, if anything
            judged += end - start
            if judged > MAX_JUDGED or any(judge_zero(residual, {X: float(x)})[0] is not Zero.ZERO
                                          for x in xs[start:end]):
                return None
            continue
        brackets.append((xs[max(start - 1, 0)], xs[min(end, len(xs) - 1)]))
    # 2. F's realness changes only across a zero
    brackets += [(xs[i], xs[i + 1]) for i in np.flatnonzero(real[:-1] != real[1:])]
    # 3. every break between neighbouring good points brackets a zero
    kept = xs[good]
    brackets += [(kept[j], kept[j + 1]) for j in np.flatnonzero(interval_breaks(f, F, kept))]
    holding = _zeros_between(factors, np.array(brackets, dtype=float).reshape(-1, 2))
    if not holding.any(axis=0).all():
        return None
    # each bracket named by its simplest factor with a zero there (the shortest description)
    simplest_first = np.argsort([sp.count_ops(g) for g in factors], kind="stable")
    used = {int(simplest_first[np.argmax(holding[simplest_first, j])]) for j in range(holding.shape[1])}
    return used, bool((~real).any())


def _zeros_between(factors: list[sp.Expr], brackets: np.ndarray) -> np.ndarray:
    """(factor, bracket) -> whether the factor has a zero in the bracket [a, b]: a change of sign
    next to small values (not across a pole of the factor: tan(x) + 1), or a value near 0 against
    its size there (a zero of even order), on ``BRACKET_POINTS`` points of each bracket."""
    found = np.zeros((len(factors), len(brackets)), dtype=bool)
    if not len(brackets):
        return found
    steps = np.linspace(0.0, 1.0, BRACKET_POINTS)
    ts = brackets[:, :1] + (brackets[:, 1:] - brackets[:, :1]) * steps[None, :]
    for i, g in enumerate(factors):
        v = evaluate(g, {X: ts.ravel().astype(np.complex128)})[0].reshape(ts.shape) if g.has(X) \
            else np.full(ts.shape, complex(g))
        ok = real_finite(v)
        r = np.where(ok, v.real, np.nan)
        size = np.nanmax(np.abs(r), axis=1, initial=0.0)[:, None]
        near = np.abs(r) <= 1e-2 * (1.0 + size)
        changes = (np.sign(r[:, :-1]) * np.sign(r[:, 1:]) < 0) & (near[:, :-1] | near[:, 1:])
        tiny = np.abs(r) <= 1e-6 * (1.0 + size)
        found[i] = changes.any(axis=1) | tiny.any(axis=1)
    return found
