"""Antiderivatives that are complex by a constant: ``F = G + I*c``, G real.

FriCAS writes the antiderivative of ``sin(2*x)/(2*x**2)`` with ``Ci(-2*x) + Ci(2*x)``: for real
x one of the two arguments is negative, where Ci has its branch cut (Ci(-t) = Ci(t) + I*pi), so
F is complex at every real point, by the one constant I*pi/2.  F' is still the integrand, and
``F - I*pi/2`` is a real antiderivative.  ``imaginary_constant`` finds such a constant, an exact
rational multiple of pi (what branch cuts of log, Ci, polylog, ... contribute), so that the
verifier checks, and shows, ``F - I*c``; any other candidate is left to the verifier as it is.

When the constant is not such a multiple (FriCAS's ``sin(1)*Ci(-2**x - 1)``, off by
``I*pi*sin(1)``), ``real_branches`` rewrites each log, Ci or Chi whose argument is negative at
every sample point as the same function of minus its argument: log(-A) - log(A), Ci(-A) - Ci(A)
and Chi(-A) - Chi(A) are constants (I*pi), so the derivative is unchanged, exactly.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.continuity import real_finite
from symseq.numerics.numeric import NotNumeric, default_env, evaluate

MIN_POINTS = 8  # points where the question is real and the answer finite, all of them needed
MAX_DENOMINATOR = 12  # c = p*pi/q with q at most this
_EVEN_BUT_A_CUT = (sp.log, sp.Ci, sp.Chi)  # f(-z) - f(z) is a constant: the same derivative


def imaginary_constant(question: sp.Expr, candidate: sp.Expr) -> sp.Expr | None:
    """``I*p*pi/q`` if ``candidate`` has that imaginary part at every sample point where the
    question is real and the answer finite (and is real at none of them), else None."""
    if candidate.free_symbols - {X} or question.free_symbols - {X}:
        return None
    env = {X: default_env()[X]}
    try:
        answer = evaluate(candidate, env)[0]
        given = evaluate(question, env)[0]
    except NotNumeric:
        return None
    where = real_finite(given) & np.isfinite(answer)
    if where.sum() < MIN_POINTS or real_finite(answer[where]).any():
        return None
    imag = answer[where].imag
    c = float(np.median(imag))
    if not np.all(np.abs(imag - c) <= 1e-9 * (1 + np.abs(answer[where]))):
        return None
    for q in range(1, MAX_DENOMINATOR + 1):
        p = round(c / np.pi * q)
        if p != 0 and abs(c / np.pi * q - p) < 1e-9 * q:
            return sp.I * sp.pi * sp.Rational(p, q)
    return None


def real_branches(question: sp.Expr, candidate: sp.Expr) -> sp.Expr | None:
    """``candidate`` with log(A), Ci(A), Chi(A) written as log(-A), ... wherever A is real and
    negative at every sample point where the question is real (at least ``MIN_POINTS``); None
    when there is none."""
    if candidate.free_symbols - {X} or question.free_symbols - {X}:
        return None
    env = {X: default_env()[X]}
    try:
        where = real_finite(evaluate(question, env)[0])
    except NotNumeric:
        return None
    flips = {}
    for node in sp.preorder_traversal(candidate):
        if isinstance(node, _EVEN_BUT_A_CUT) and node.args[0].has(X) and node not in flips:
            try:
                arg = evaluate(node.args[0], env)[0][where]
            except NotNumeric:
                continue
            arg = arg[np.isfinite(arg)]
            real = np.all(np.abs(arg.imag) <= 1e-12 * (1 + np.abs(arg)))
            if len(arg) >= MIN_POINTS and real and np.all(arg.real < 0):
                flips[node] = node.func(-node.args[0])
    return candidate.xreplace(flips) if flips else None


def made_real(question: sp.Expr, candidate: sp.Expr, verdict_of: Callable[[sp.Expr], tuple]) -> tuple | None:
    """For a candidate complex at every real point: ``(candidate - I*c, its verdict)`` when
    ``imaginary_constant`` finds c, else ``(the real_branches form, its verdict)`` when that form
    is solved, else None.  ``verdict_of``: the verifier's numeric verdict of a candidate."""
    shift = imaginary_constant(question, candidate)
    if shift is not None:
        return candidate - shift, verdict_of(candidate - shift)
    flipped = real_branches(question, candidate)
    if flipped is not None:
        again = verdict_of(flipped)
        if again[0].solved:
            return flipped, again
    return None
