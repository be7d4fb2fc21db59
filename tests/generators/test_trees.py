from collections import Counter

import numpy as np
import pytest
import sympy as sp

from generators.symbols import C1, C2, X
from generators.trees import (BINARY, UNARY, ExprConfig, TooFewLeaves, _count_table, _sample_leaves,
                              random_expr, sample_tree)


def test_count_table_matches_small_cases():
    # trees with one root slot: n=1 -> 2 shapes (unary, binary), n=2 -> 6
    table = _count_table(3, True, True)
    assert table[1][1] == 2 and table[2][1] == 6


@pytest.mark.slow
def test_tree_shapes_are_uniform():
    cfg = ExprConfig(operators=(("add", 1), ("sin", 1)))
    rng = np.random.default_rng(0)
    counts = Counter(tuple(sample_tree(2, cfg, rng)) for _ in range(12000))
    # with one unary and one binary operator, n=2 has 6 shapes, each 1/6
    assert len(counts) == 6
    assert all(abs(c / 12000 - 1 / 6) < 0.02 for c in counts.values())


@pytest.mark.parametrize("n_ops", [1, 5, 15])
def test_operator_count_is_exact(n_ops, rng):
    for _ in range(50):
        tree = sample_tree(n_ops, ExprConfig(), rng)
        assert sum(1 for t in tree if t in UNARY or t in BINARY) == n_ops


def test_once_symbols_occur_exactly_once(rng):
    """Each ``once`` symbol is placed on exactly one leaf (SymPy's evaluation may then merge it
    away, e.g. into a number, never duplicate it); most draws have the leaves for it."""
    cfg = ExprConfig(max_ops=8)
    drawn = 0
    for _ in range(100):
        try:
            e = random_expr(cfg, rng, n_ops=6, once=(C1, C2))
        except TooFewLeaves:
            continue
        drawn += 1
        atoms = list(sp.preorder_traversal(e))
        assert atoms.count(C1) <= 1 and atoms.count(C2) <= 1
        placed = _sample_leaves(4, cfg, rng, (X,), (C1, C2))
        assert placed.count(C1) == 1 and placed.count(C2) == 1
    assert drawn >= 50


def test_bad_configs_are_refused():
    with pytest.raises(ValueError, match="unknown operator"):
        ExprConfig(operators=(("frob", 1),))
    with pytest.raises(ValueError):
        ExprConfig(min_ops=5, max_ops=2)
    with pytest.raises(ValueError):
        ExprConfig(max_int=0)


def test_same_seed_same_expression():
    draws = [random_expr(ExprConfig(), np.random.default_rng([7, 0, k])) for k in range(6)]
    again = [random_expr(ExprConfig(), np.random.default_rng([7, 0, k])) for k in range(6)]
    assert draws == again
    assert len(set(draws)) > 1  # the seed matters
    assert any(d.has(X) for d in draws)
