"""Every emitted pair is correct, checked independently of the generators' own numeric screen
(``symseq.audit``: SymPy's arbitrary-precision evalf on the decoded prefix strings)."""

import pytest

from generators import ExprConfig
from generators.symbols import C1, C2, X
from symseq.audit import audit_pair
from symseq.data import GenerateConfig, generate
from symseq.dataset import iter_examples


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


@pytest.mark.parametrize("task", ["bwd", "ibp", "ode1"])
def test_emitted_pairs_are_correct(tmp_path, task):
    _check_task(tmp_path, task, 40)


@pytest.mark.slow
@pytest.mark.parametrize("task", ["fwd", "ode2"])
def test_emitted_pairs_are_correct_slow_tasks(tmp_path, task):
    _check_task(tmp_path, task, 15)


def test_audit_catches_a_wrong_pair():
    assert audit_pair("bwd", "cos x", "sin x") == "ok"
    assert audit_pair("bwd", "cos x", "mul INT+ 2 sin x") == "wrong"
    assert audit_pair("ode1", "add f' mul INT- 1 f", "mul c1 exp x") == "ok"
    assert audit_pair("ode1", "add f' mul INT- 1 f", "mul c1 exp mul INT+ 2 x") == "wrong"
