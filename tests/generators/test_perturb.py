import numpy as np
import pytest
import sympy as sp

from generators.base import Problem, Skip
from generators.perturb import change_coefficients, out_of_distribution_config, sum_of_two
from generators.symbols import X
from generators.trees import ExprConfig

x = X


def _p(F):
    return Problem("bwd", sp.diff(F, x), F)


def test_change_coefficients_keeps_shape_and_correctness():
    p = _p(3 * sp.sin(2 * x) + x**4)
    q = change_coefficients(p, np.random.default_rng(0))
    assert isinstance(q, Problem) and q.task == "bwd-coef"
    assert q.answer != p.answer
    assert sp.simplify(sp.diff(q.answer, x) - q.question) == 0
    assert {type(a) for a in sp.preorder_traversal(q.answer)} == {type(a) for a in sp.preorder_traversal(p.answer)}


def test_change_coefficients_needs_integers():
    assert isinstance(change_coefficients(_p(sp.sin(x)), np.random.default_rng(0)), Skip)


def test_sum_of_two():
    s = sum_of_two(_p(sp.sin(x)), _p(sp.exp(2 * x)))
    assert isinstance(s, Problem) and s.answer == sp.sin(x) + sp.exp(2 * x)
    assert sp.simplify(sp.diff(s.answer, x) - s.question) == 0


def test_out_of_distribution_configs():
    base = ExprConfig(max_ops=6)
    assert out_of_distribution_config("longer", base).min_ops == 7
    assert out_of_distribution_config("bigint", base).max_int == 50
    with pytest.raises(ValueError):
        out_of_distribution_config("weird", base)
