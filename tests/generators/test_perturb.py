import numpy as np
import pytest
import sympy as sp

from generators.base import Problem, Skip
from generators.natural import natural_integrand, natural_pair
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


@pytest.mark.slow
def test_natural_form_perturbations_use_the_compact_integrand():
    F = 2 * x * sp.log(3 * x + 1) + 3 * sp.atan(x / 2)
    p = Problem("nat", natural_integrand(F), F)
    q = change_coefficients(p, np.random.default_rng(0), integrand=natural_integrand)
    assert isinstance(q, Problem) and q.task == "nat-coef" and q.answer != F
    assert q.question == natural_integrand(q.answer)  # the compact form, not F' as evaluated
    assert sp.count_ops(q.question) <= sp.count_ops(sp.diff(q.answer, x))
    s = sum_of_two(p, Problem("nat", sp.cos(x) * sp.exp(x), sp.sin(x) * sp.exp(x)), integrand=natural_integrand)
    assert isinstance(s, Problem) and s.question == natural_integrand(F + sp.sin(x) * sp.exp(x))
    assert sp.simplify(sp.diff(s.answer, x) - s.question) == 0


@pytest.mark.slow
@pytest.mark.parametrize("terms", [1, 3])
def test_natural_pair_draws_the_asked_number_of_terms(terms):
    made = [natural_pair(np.random.default_rng([5, i]), terms) for i in range(6)]
    problems = [p for p in made if isinstance(p, Problem)]
    assert problems and all(p.meta["terms"] == terms for p in problems)
    for p in problems:
        assert sp.simplify(sp.diff(p.answer, x) - p.question) == 0
