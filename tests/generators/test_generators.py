"""Every emitted pair is correct, checked independently of the generators' own numeric screen
(``symseq.data.audit``: SymPy's arbitrary-precision evalf on the decoded prefix strings)."""

import pytest

from generators import ExprConfig, Skip
from generators.symbols import C1, C2, X
from symseq.data.audit import audit_pair
from symseq.data.generate import GenerateConfig, generate
from symseq.data.dataset import iter_examples


def _check_task(tmp_path, task, n, max_ops=8):
    cfg = GenerateConfig(task=task, n=n, seed=11, expr=ExprConfig(max_ops=max_ops), chunk_size=20)
    manifest = generate(cfg, tmp_path / task, workers=2)
    examples = list(iter_examples(tmp_path / task))
    assert len(examples) == n == manifest["counts"]["kept"]
    verdicts = [audit_pair(ex.task, ex.question, ex.answer) for ex in examples]
    assert "wrong" not in verdicts
    assert verdicts.count("ok") >= 0.8 * n  # the rest are undefined at all four test points
    for ex in examples:
        q, a = ex.to_sympy()
        if task.startswith("ode"):
            needed = (C1,) if task == "ode1" else (C1, C2)
            assert a.has(*needed) and not q.has(C1, C2)
        else:
            assert a.has(X) and a != 0


@pytest.mark.slow
@pytest.mark.parametrize("task", ["bwd", "ibp", "ode1"])
def test_emitted_pairs_are_correct(tmp_path, task):
    _check_task(tmp_path, task, 40)


@pytest.mark.slow
@pytest.mark.parametrize("task", ["fwd", "ode2", "nat", "written"])
def test_emitted_pairs_are_correct_slow_tasks(tmp_path, task):
    _check_task(tmp_path, task, 15)


def test_audit_catches_a_wrong_pair():
    assert audit_pair("bwd", "cos x", "sin x") == "ok"
    assert audit_pair("bwd", "cos x", "mul INT+ 2 sin x") == "wrong"
    assert audit_pair("ode1", "add f' mul INT- 1 f", "mul c1 exp x") == "ok"
    assert audit_pair("ode1", "add f' mul INT- 1 f", "mul c1 exp mul INT+ 2 x") == "wrong"


def _fake_generator(question, answer):
    import sympy as sp

    from generators import base

    @base.generator
    def gen_fake(rng, cfg):
        return base.Problem("bwd", sp.sympify(question, locals={"x": X}),
                            sp.sympify(answer, locals={"x": X}))

    return gen_fake


@pytest.mark.parametrize("question, answer", [
    ("log(exp(asin(5)))", "x*log(exp(asin(5)))"),  # the pair found in a generated dataset
    ("1", "x + Abs(asin(5))"),  # real, but written with a complex constant inside
    ("cos(x)*acosh(1/3)", "sin(x)*acosh(1/3)"),
    ("x**2*(-2)**(1/3)", "x**3*(-2)**(1/3)/3"),  # principal cube root: complex
    ("exp(x)*exp(exp(exp(5)))", "exp(x)*exp(exp(exp(5)))"),  # overflows: cannot be shown real
])
def test_pairs_with_a_constant_that_is_not_real_are_skipped(question, answer):
    from generators import SKIP_REASONS, Skip

    out = _fake_generator(question, answer)(None, None)
    assert out == Skip("nonreal_constant") and "nonreal_constant" in SKIP_REASONS


@pytest.mark.parametrize("question, answer", [
    ("asin(1/3) + sqrt(2)*log(3)", "x*asin(1/3) + sqrt(2)*x*log(3)"),
    ("exp(exp(3))*cos(x)", "exp(exp(3))*sin(x)"),
    ("Derivative(f(x), x) - c1*f(x)*atan(5)", "c1*exp(x)"),
])
def test_pairs_with_real_constants_are_kept(question, answer):
    from generators import Problem

    assert isinstance(_fake_generator(question, answer)(None, None), Problem)


def test_every_family_passes_the_screen_and_the_skip_is_counted(monkeypatch):
    from generators import GENERATORS, Skip
    from symseq.data.generate import GenerateConfig, draw

    for fn, _ in GENERATORS.values():  # each one wrapped by base.generator
        assert fn.__code__ is _fake_generator("1", "x").__code__, fn
    monkeypatch.setitem(GENERATORS, "bwd", (_fake_generator("log(exp(asin(5)))", "x*asin(5)"), 1.0))
    assert draw(GenerateConfig(task="bwd", n=1), 0) == Skip("nonreal_constant")


@pytest.mark.parametrize("index", [923, 1110])  # drew -(tan(x) + acosh(-4))*cos(3)/5, asin(3)
def test_real_bwd_draws_with_complex_constants_are_skipped(index):
    import numpy as np

    from generators import GENERATORS, Skip

    out = GENERATORS["bwd"][0](np.random.default_rng([0, 0, index]), ExprConfig())
    assert out == Skip("nonreal_constant")


@pytest.mark.slow
def test_lc_style_positive_integers_and_expanded_equations():
    import numpy as np
    import sympy as sp

    from generators import GENERATORS, ExprConfig
    from generators.symbols import F0, F1

    cfg = ExprConfig.lc_style()
    made = [GENERATORS["ode1"][0](np.random.default_rng([3, 0, i]), cfg) for i in range(40)]
    problems = [p for p in made if not isinstance(p, Skip)]
    assert len(problems) > 10
    for p in problems:
        q = p.question
        assert sp.fraction(sp.together(q))[1].free_symbols.isdisjoint({F0, F1}) or q == sp.expand(q)
        assert not q.could_extract_minus_sign()  # a leading + sign


def test_positive_ints_draws_no_negative_leaf():
    import numpy as np

    from generators.trees import random_expr

    for positive in (True, False):
        cfg = ExprConfig(operators=(("add", 1),), leaf_var=0.3, leaf_int=0.7, positive_ints=positive)
        sums = [random_expr(cfg, np.random.default_rng(i), n_ops=6) for i in range(30)]
        ints = [a for e in sums for a in e.args if a.is_Integer]  # sums of leaves: x terms and ints
        assert ints
        assert all(v > 0 for v in ints) if positive else any(v < 0 for v in ints)


@pytest.mark.slow
def test_simplify_prob_rewrites_integrands_without_changing_the_draws(tmp_path):
    from generators import ExprConfig
    from symseq.data.generate import GenerateConfig, draw

    plain = [draw(GenerateConfig(task="bwd", n=1, seed=9, expr=ExprConfig()), i) for i in range(30)]
    simple = [draw(GenerateConfig(task="bwd", n=1, seed=9, expr=ExprConfig(simplify_prob=1.0)), i)
              for i in range(30)]
    pairs = [(a, b) for a, b in zip(plain, simple) if not isinstance(a, Skip) and not isinstance(b, Skip)]
    assert len(pairs) > 10
    assert all(a.answer == b.answer for a, b in pairs)  # the same antiderivatives were drawn
    assert any(a.question != b.question for a, b in pairs)  # and some integrands were simplified
    assert all(len(b.question.split()) <= len(a.question.split()) + 8 for a, b in pairs)
