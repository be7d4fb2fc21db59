"""Integrands as textbooks write them: drawn directly, reproducible from the seed."""

import numpy as np
import sympy as sp

from generators.symbols import X
from generators.written import written_integrand


def test_draws_are_reproducible_and_varied():
    draws = [written_integrand(np.random.default_rng([0, i])) for i in range(60)]
    assert draws == [written_integrand(np.random.default_rng([0, i])) for i in range(60)]
    assert len(set(draws)) >= 50 and all(f.has(X) for f in draws)
    kinds = {type(a) for f in draws for a in sp.preorder_traversal(f)}
    assert {sp.exp, sp.sin, sp.log, sp.Pow}.issubset(kinds)
