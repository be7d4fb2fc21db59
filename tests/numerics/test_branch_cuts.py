"""Branch cuts met on the real line (symseq.numerics.branch_cuts)."""

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.numerics.branch_cuts import convention_free
from symseq.numerics.continuity import without_deltas
from symseq.numerics.numeric import evaluate


def _judged(F: sp.Expr, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = evaluate(F, {X: xs.astype(np.complex128)})[0]
    f = evaluate(without_deltas(sp.diff(F, X)), {X: xs.astype(np.complex128)})[0]
    return convention_free(F, xs, values, f, np.abs(values.imag) > 0)


def test_on_a_cut_only_the_real_part_is_kept():
    xs = np.array([-3.0, -0.5, 0.25, 2.0])
    values, ambiguous = _judged(sp.log(X), xs)  # log(x) for x < 0: log|x| +- I*pi
    assert not ambiguous.any() and np.allclose(values, np.log(np.abs(xs)))
    values, ambiguous = _judged(sp.atanh(1 - 1 / X), np.array([-2.0, 0.25]))  # t < -1 and t > 1
    assert not ambiguous.any() and np.all(values.imag == 0)


def test_an_imaginary_part_off_any_cut_is_kept_as_it_is():
    F = sp.log(X**2 + 1) / 2 + sp.I * sp.pi * sp.sign(X - 150)
    xs = np.array([-5.0, 3.0, 149.0, 151.0])
    values, ambiguous = _judged(F, xs)
    assert not ambiguous.any() and np.allclose(values.imag, [-np.pi, -np.pi, -np.pi, np.pi])


def test_real_parts_that_differ_across_a_cut_are_ambiguous():
    # atan(I*x) for |x| > 1 lies on atan's cut, where even the real part is +-pi/2 by the side
    values, ambiguous = _judged(sp.atan(sp.I * X), np.array([-3.0, 0.5, 3.0]))
    assert list(ambiguous) == [True, False, True]
