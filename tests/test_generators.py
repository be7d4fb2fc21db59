"""Every emitted pair is correct, checked independently of the generators' own numeric screen:
SymPy's arbitrary-precision evalf on the decoded prefix strings."""

import mpmath
import pytest
import sympy as sp

from generators import ExprConfig
from generators.symbols import C1, C2, F0, X
from symseq.data import GenerateConfig, generate
from symseq.dataset import iter_examples

POINTS = [sp.Rational(7, 9), sp.Rational(-13, 11), sp.Rational(23, 10), sp.Rational(-5, 17)]
CONSTS = [(sp.Rational(3, 7), sp.Rational(-2, 3)), (sp.Rational(-5, 4), sp.Rational(1, 6)),
          (sp.Rational(2, 1), sp.Rational(5, 3)), (sp.Rational(-1, 5), sp.Rational(-7, 4))]


def _value(expr, subs):
    try:
        v = complex(sp.N(expr.subs(subs), 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if mpmath.isfinite(v.real) and mpmath.isfinite(v.imag) else None


def _assert_pair_correct(task, question, answer):
    if task in ("fwd", "bwd", "ibp"):
        lhs, rhs = sp.diff(answer, X), question
    else:
        lhs, rhs = question.subs(F0, answer).doit(), sp.Integer(0)
    valid = 0
    for p, (c1, c2) in zip(POINTS, CONSTS):
        subs = {X: p, C1: c1, C2: c2}
        a, b = _value(lhs, subs), _value(rhs, subs)
        if a is None or b is None:
            continue
        scale = 1 + abs(a) + abs(b) + (abs(_value(question, subs) or 0) if task.startswith("ode") else 0)
        assert abs(a - b) <= 1e-7 * scale, (task, question, answer, p)
        valid += 1
    return valid


def _check_task(tmp_path, task, n, max_ops=8):
    cfg = GenerateConfig(task=task, n=n, seed=11, expr=ExprConfig(max_ops=max_ops), chunk_size=20)
    manifest = generate(cfg, tmp_path / task, workers=2)
    examples = list(iter_examples(tmp_path / task))
    assert len(examples) == n == manifest["counts"]["kept"]
    checked = 0
    for ex in examples:
        q, a = ex.to_sympy()
        assert a != 0 and (a.has(X) or task.startswith("ode"))
        if _assert_pair_correct(task, q, a) > 0:
            checked += 1
    assert checked >= 0.8 * n  # the rest are undefined at all four test points
    if task.startswith("ode"):
        needed = (C1,) if task == "ode1" else (C1, C2)
        assert all(ex.to_sympy()[1].has(*needed) for ex in examples)
        assert not any(ex.to_sympy()[0].has(C1, C2) for ex in examples)


@pytest.mark.parametrize("task", ["bwd", "ibp", "ode1"])
def test_emitted_pairs_are_correct(tmp_path, task):
    _check_task(tmp_path, task, 40)


@pytest.mark.slow
@pytest.mark.parametrize("task", ["fwd", "ode2"])
def test_emitted_pairs_are_correct_slow_tasks(tmp_path, task):
    _check_task(tmp_path, task, 15)
