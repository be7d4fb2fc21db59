import numpy as np
import pytest
import sympy as sp

from symseq.numerics.numeric import Check, check_zero, is_real_somewhere
from generators.symbols import C1, X

x = X


@pytest.mark.parametrize("F, f", [
    (sp.atan(x), 1 / (1 + x**2)),
    (-sp.acot(x), 1 / (1 + x**2)),
    (sp.log(2 * x), 1 / x),
    (sp.log(sp.Abs(x)), 1 / x),
    (x * sp.sin(x) + sp.cos(x), x * sp.cos(x)),
    (sp.exp(x) * (x - 1), x * sp.exp(x)),
    (sp.asin(x), 1 / sp.sqrt(1 - x**2)),
])
def test_true_antiderivatives_pass(F, f):
    assert check_zero(sp.diff(F, x) - f) is Check.ZERO


@pytest.mark.parametrize("F, f", [
    (2 * sp.atan(x), 1 / (1 + x**2)),  # wrong constant factor
    (sp.sinh(x) + sp.cosh(x), sp.exp(-x)),  # exp in the wrong place
    (-x * sp.sin(x) + sp.cos(x), x * sp.cos(x)),  # sign slip
    (sp.log(x + 1), 1 / (x - 1)),
    (x**3 / 3 + x * 1e-6, x**2),
])
def test_near_misses_fail(F, f):
    F = sp.nsimplify(F)
    assert check_zero(sp.diff(F, x) - f) is Check.NONZERO


def test_abs_matters_for_sqrt_of_square():
    assert check_zero(sp.sqrt(x**2) - x) is Check.NONZERO
    assert check_zero(sp.sqrt(x**2) - sp.Abs(x)) is Check.ZERO


def test_constants_take_several_values():
    assert check_zero(C1 * x - x) is Check.NONZERO
    assert check_zero(sp.diff(C1 * sp.exp(x), x) - C1 * sp.exp(x)) is Check.ZERO


def test_nowhere_defined_is_undecided_not_zero():
    assert check_zero(sp.log(x) - sp.log(x) + sp.acosh(x - 100) * 0 + 1 / (x - x + sp.Symbol("q"))) \
        is Check.UNDECIDED


def test_real_somewhere():
    assert is_real_somewhere(sp.log(x))
    assert not is_real_somewhere(sp.sqrt(-x**2 - 1))


def test_every_function_is_known_to_every_table():
    """Adding a row to generators/functions.py is all it takes (grammar, trees, evaluators, L&C)."""
    import mpmath

    from generators import trees
    from generators.functions import EVALUABLE, FUNCTIONS, lc_name
    from symseq.numerics.numeric import _UNARY
    from symseq.numerics.precise import _FUNCTIONS
    from symseq.data.lc_format import _UNARY as LC_UNARY
    from symseq.lang import grammar

    for name, row in FUNCTIONS.items():
        assert grammar.UNARY_FUNCTIONS[name] is row.sympy
        assert trees.UNARY[lc_name(row)] is row.sympy
        assert LC_UNARY[lc_name(row)] is row.sympy
    for cls, row in EVALUABLE.items():
        assert _UNARY[cls] is row.numpy and _FUNCTIONS[cls] is row.mpmath
        # both evaluators agree with SymPy's own value at a generic point (off the branch cuts,
        # where conventions differ: the verifier never mixes evaluators at one point)
        z = 0.3137 + 0.2718j
        expected = complex(cls(sp.Float(z.real) + sp.I * sp.Float(z.imag)).evalf(30))
        assert abs(complex(row.numpy(np.array([z], dtype=np.complex128))[0]) - expected) < 1e-9
        assert abs(complex(row.mpmath(mpmath.mpc(z))) - expected) < 1e-9
        if row.inverse is not None:  # the inverse undoes the function on a branch
            assert abs(complex(row.inverse(cls(sp.Float(0.4))).evalf(30)) - 0.4) < 1e-9
