"""Judging one suspected jump (symseq.numerics.jump_judges)."""

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.continuity import find_jump
from symseq.numerics.jump_judges import refuted_in_double


def test_the_double_precision_refutation_never_clears_a_jump():
    # a step of F, large or as small as 1e-6 of the sizes, where f is smooth: not refuted (mpmath
    # judges it), inside a fast oscillation too; the same pair without the step is refuted
    fast = sp.sin(64 * X ** 3)
    for F in (X + sp.Float(1e-6) * sp.sign(X - sp.Float(0.3)), sp.exp(X) + sp.sign(X - sp.Float(0.31)),
              fast + sp.Float(1e-5) * sp.sign(X - sp.Float(7.03))):
        smooth = F.replace(lambda e: isinstance(e, sp.sign), lambda e: sp.Integer(0))
        a, b = (0.25, 0.35) if not F.has(sp.sin) else (6.98, 7.08)
        f = sp.diff(smooth, X)
        assert refuted_in_double(f, smooth, a, b)
        assert not refuted_in_double(f, F, a, b), F
        if not F.has(sp.sin):  # (a pair the screen cannot resolve is not judged: as before)
            assert find_jump(f, F, np.array([a - 0.1, a, b, b + 0.1])).startswith("not continuous"), F
    # f not real on the pair (sqrt of a negative): no verdict from here
    assert not refuted_in_double(sp.sqrt(X), 2 * X ** sp.Rational(3, 2) / 3, -1.0, -0.5)


def test_a_special_function_mpmath_evaluates_point_by_point_is_left_to_mpmath(monkeypatch):
    """373,760 nodes of Ei would take mpmath seconds to minutes: not refined here (Bessel and Airy
    functions of real arguments are vectorised by scipy, and are)."""
    from symseq.numerics import jump_judges

    def no_grid(*args):
        raise AssertionError("the refinement evaluated f")

    monkeypatch.setattr(jump_judges, "values_at", no_grid)
    assert not refuted_in_double(sp.Ei(X), sp.Integer(0), 0.5, 1.0)


def test_a_spike_of_f_narrower_than_the_first_pieces_is_resolved():
    # bwd 134 (our generator): atan(u) with u' ~ 2500 where cos(x) = 0 at 32.99, and atanh(tan(x))
    # complex by a constant there; 128 and 1,024 pieces differ by 4e-7, 8,192 agree: no jump
    # (mpmath's 4 and 32 pieces miss the spike: its "jump" made a right answer local)
    F = -sp.atan(X * (2 * X - 4) * sp.cos(X) / sp.log(1 + sp.sqrt(2)) + 1) + sp.atanh(sp.tan(X))
    f = sp.diff(F, X)
    assert refuted_in_double(f, F, 32.95, 33.61)
    assert not refuted_in_double(f, F + sp.Float(1e-3) * sp.sign(X - sp.Float(33.3)), 32.95, 33.61)
