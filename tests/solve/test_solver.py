import json

import pytest
import sympy as sp
from click.testing import CliRunner

from symseq.cli import main
from symseq.lang.parse import InputError
from symseq.solve.solver import integrate
from symseq.solve.verifier import Verdict


def test_sympy_mode_returns_a_proved_answer_in_the_users_variable():
    sol = integrate("t*cos(t)", mode="sympy", timeout=20)
    assert sol.solved and sol.verdict is Verdict.PROVED and sol.engine == "sympy"
    t = sp.Symbol("t")
    assert sp.simplify(sp.diff(sp.sympify(sol.answer), t) - t * sp.cos(t)) == 0


@pytest.mark.slow
def test_no_verified_answer_is_honest():
    sol = integrate("exp(x)/(x + sin(x))", mode="sympy", timeout=2)
    assert not sol.solved and sol.answer is None and sol.verdict is None
    assert sol.notes


@pytest.mark.slow
def test_missing_model_is_reported_not_fatal(tmp_path):
    sol = integrate("x", mode="hybrid", checkpoint=tmp_path, timeout=20)
    assert sol.solved and sol.engine == "sympy"  # (proved during SymPy's head start: no model needed)
    hard = integrate("exp(x)/(x + sin(x))", mode="hybrid", checkpoint=tmp_path, timeout=3)
    assert not hard.solved and any("model unavailable" in n for n in hard.notes)


def test_an_easy_problem_never_loads_the_model(tmp_path):
    sol = integrate("x*cos(x)", mode="hybrid", checkpoint=tmp_path / "nowhere", timeout=20)
    # an engine proves it first (SymPy usually; FriCAS, started 0.05 s later, can win on a loaded machine)
    assert sol.solved and sol.engine in ("sympy", "fricas", "maxima") and "decode" not in sol.seconds
    assert not any("model" in n for n in sol.notes)


def test_bad_input_raises_input_error():
    with pytest.raises(InputError):
        integrate("t*y")  # two symbols, neither x: which is the variable?


@pytest.mark.slow
@pytest.mark.parametrize("args, code", [
    (["integrate", "x*cos(x)", "--mode", "sympy", "--json"], 0),
    (["integrate", "exp(x)/(x + sin(x))", "--mode", "sympy", "--timeout", "1"], 1),
    (["integrate", "sin(x", "--mode", "sympy"], 2),
    (["integrate"], 2),
])
def test_cli_exit_codes(args, code):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if "--json" in args:
        obj = json.loads(result.output.splitlines()[0])
        assert {"question", "answer", "verdict", "engine", "seconds"} <= set(obj)


def test_cli_file_of_problems(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("x^2\ncos(x)\nfoo(x)\n")
    result = CliRunner().invoke(main, ["integrate", "--file", str(f), "--mode", "sympy", "--json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # progress bar is on stderr
    assert [r["verdict"] for r in rows] == ["proved", "proved", "invalid_input"]
    assert result.exit_code == 1


def test_solve_ode_with_sympy():
    from symseq.solve.solver import solve_ode

    sol = solve_ode("y'' + y = x", mode="sympy", timeout=20)
    assert sol.solved and sol.verdict is Verdict.PROVED and "c1" in sol.answer and "c2" in sol.answer


@pytest.mark.slow
def test_a_solution_on_part_of_the_line_is_the_answer_always_with_where_it_holds():
    from symseq.solve.solver import solve_ode

    sol = solve_ode("y' = -sqrt(1 - y^2)", mode="sympy", timeout=20)  # y = sin(c1 - x) where cos >= 0
    assert sol.solved and sol.verdict is Verdict.LOCAL and not sol.is_global and "c1" in sol.answer
    assert " < x < " in sol.valid_on and sol.to_json()["valid_on"] == sol.valid_on
    result = CliRunner().invoke(main, ["solve-ode", "y' = -sqrt(1 - y^2)", "--mode", "sympy"])
    assert result.exit_code == 0 and "valid for " in result.output


def test_cli_solve_ode():
    result = CliRunner().invoke(main, ["solve-ode", "y' = y + x", "--mode", "sympy", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["verdict"] == "proved"
    bad = CliRunner().invoke(main, ["solve-ode", "y''' = y", "--mode", "sympy"])
    assert bad.exit_code == 2 and "second derivatives" in bad.output


@pytest.mark.slow
def test_model_mode_with_a_tiny_checkpoint(tmp_path):
    """An untrained model gives no verified answer, honestly, and never crashes or hangs.

    With this seed its candidates include tanh(tanh(...(f''))) 60 deep, which SymPy needs
    minutes to construct: the verifier builds candidates in its sandbox, under its time limit.
    """
    import time

    import torch

    from symseq.nn import checkpoint
    from symseq.nn.models import TransformerConfig, build_model
    from symseq.lang.vocab import Vocab

    vocab = Vocab.from_grammar()
    torch.manual_seed(13)
    model = build_model(TransformerConfig(d_model=16, n_heads=2, enc_layers=1, dec_layers=1,
                                          d_ff=32, max_len=64), vocab)
    checkpoint.save(tmp_path, model, vocab, step=0, train_config={}, metrics={})
    t = time.perf_counter()
    sol = integrate("x*cos(x)", mode="model", checkpoint=tmp_path, beam=3, timeout=10)
    assert time.perf_counter() - t < 20
    first = sol.candidates[:3]  # the beam's; then the wide beam's new ones, until the deadline
    assert [c.rank for c in first] == [1, 2, 3] and any(c.verdict in ("timeout", "invalid") for c in first)
    assert len(sol.candidates) > 3 and all(c.by_model for c in sol.candidates)
    assert not sol.solved and sol.engine is None  # a random model's output is never passed off


def test_shipped_model_loads_and_runs():
    from symseq.nn import checkpoint
    from symseq.solve.model import DEFAULT_CHECKPOINT

    model, vocab, config = checkpoint.load(DEFAULT_CHECKPOINT)
    assert config["format"] == "symseq-checkpoint/1" and model.num_parameters() > 1e6
    sol = integrate("cos(x)*exp(sin(x))", mode="model", beam=5, timeout=60)
    assert all(c.engine == "model" for c in sol.candidates) and sol.candidates
    assert sol.solved and sol.engine == "model" and sol.verdict is Verdict.PROVED
    assert sol.answer == "exp(sin(x))"


@pytest.mark.slow
def test_batched_decoding_gives_each_problem_what_it_gets_alone():
    from symseq.solve.solver import integrate_many

    problems = ["x*cos(x)", "exp(2*x)", "sin(x)^2", "1/(1+x^2)", "x*exp(x)", "tan(x", "log(x)/x"]
    batched = list(integrate_many(problems, mode="model", beam=4, timeout=60, batch_size=4))
    assert isinstance(batched[5], InputError)  # a bad line is reported in its place
    for text, sol in zip(problems, batched):
        if isinstance(sol, InputError):
            continue
        alone = integrate(text, mode="model", beam=4, timeout=60)
        assert sol.question == alone.question
        assert [c.answer for c in sol.candidates][:1] == [c.answer for c in alone.candidates][:1]
        assert sol.solved == alone.solved and sol.answer == alone.answer
        assert "decode" in sol.seconds


def test_batched_odes_and_sympy_mode():
    from symseq.solve.solver import solve_ode_many

    sols = list(solve_ode_many(["y' = y", "y'' + y = 0", "y' = "], mode="sympy", timeout=20, batch_size=2))
    assert sols[0].solved and sols[1].solved and isinstance(sols[2], InputError)


@pytest.mark.slow
def test_a_batch_keeps_workers_warm_only_while_it_runs():
    from symseq.sandbox import workers_kept_warm
    from symseq.solve.solver import integrate_many

    seen = []
    for sol in integrate_many(["x*cos(x)", "exp(2*x)", "1/x"], mode="engines", timeout=20):
        seen.append(workers_kept_warm())
        assert sol.solved
    assert seen == [True] * 3 and not workers_kept_warm()
