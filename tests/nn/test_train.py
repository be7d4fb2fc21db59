import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from symseq.nn import checkpoint
from symseq.nn.checkpoint import CheckpointError
from symseq.data.dataset import Example
from symseq.nn.models import RNNConfig, TransformerConfig
from symseq.nn.train import TrainConfig, lr_factor, train

TINY = TransformerConfig(d_model=32, n_heads=4, enc_layers=1, dec_layers=1, d_ff=64, max_len=128)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A reversal task in the dataset format: answer = question's integer reversed."""
    root = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    for name, n in (("train", 600), ("valid", 60)):
        (root / name).mkdir()
        lines = []
        for _ in range(n):
            digits = [str(d) for d in rng.integers(1, 10, int(rng.integers(2, 7)))]
            lines.append(Example("bwd", " ".join(["INT+", *digits]),
                                 " ".join(["INT+", *reversed(digits)])).to_line())
        (root / name / "part-000-of-001-000000.txt").write_text("".join(lines))
    return root


def _cfg(data, **kw):
    base = dict(data=(str(data / "train"),), valid=(str(data / "valid"),), max_tokens=600,
                lr=3e-3, warmup=10, log_every=5, eval_every=10, checkpoint_minutes=100, seed=1)
    base.update(kw)
    return TrainConfig(**base)


def test_lr_schedule():
    assert lr_factor(5, 10) == pytest.approx(0.5)
    assert lr_factor(10, 10) == pytest.approx(1.0)
    assert lr_factor(40, 10) == pytest.approx(0.5)


@pytest.mark.slow
def test_training_learns_and_writes_a_loadable_checkpoint(tmp_path, data):
    metrics = train(TINY, _cfg(data, max_steps=120), tmp_path / "run")
    lines = [json.loads(x) for x in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert lines[0]["step"] == 5 and lines[-1]["step"] == 120
    assert lines[-1]["loss"] < lines[0]["loss"] - 1.0
    assert metrics["valid_token_acc"] > 0.5
    model, vocab, config = checkpoint.load(tmp_path / "run")
    assert config["step"] == 120 and config["model"]["d_model"] == 32
    assert model.num_parameters() > 0 and len(vocab) > 50


@pytest.mark.slow
@pytest.mark.parametrize("model_config", [TINY, RNNConfig("gru", 32, 1, "dot")])
def test_resume_matches_an_uninterrupted_run(tmp_path, data, model_config):
    train(model_config, _cfg(data, max_steps=30), tmp_path / "straight")
    train(model_config, _cfg(data, max_steps=13), tmp_path / "split")
    train(None, _cfg(data, max_steps=30), tmp_path / "split", resume=True)
    a, _, _ = checkpoint.load(tmp_path / "straight")
    b, _, _ = checkpoint.load(tmp_path / "split")
    for (name, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        torch.testing.assert_close(p, q, atol=1e-5, rtol=1e-4, msg=name)
    steps = [json.loads(x)["step"] for x in (tmp_path / "split" / "metrics.jsonl").read_text().splitlines()]
    assert steps == sorted(set(steps))  # no duplicated log lines after resume


@pytest.mark.slow
def test_snapshots_export_the_weights_at_the_given_minutes_once(tmp_path, data):
    run = tmp_path / "run"
    train(TINY, _cfg(data, minutes=0.02, snapshot_minutes=(0.005,)), run)
    snap = run / "at-0.005min"
    model, _, config = checkpoint.load(snap)
    assert 0 < config["step"] < checkpoint.read_config(run)["step"]
    assert config["metrics"]["seconds"] >= 0.3  # taken after 0.005 min = 0.3 s, not before
    first = (snap / "model.safetensors").read_bytes()
    train(None, _cfg(data, minutes=0.03, snapshot_minutes=(0.005,)), run, resume=True)
    assert (snap / "model.safetensors").read_bytes() == first  # a resumed run keeps it


@pytest.mark.slow
def test_resumed_run_skips_snapshot_minutes_it_has_passed(tmp_path, data):
    run = tmp_path / "run"
    train(TINY, _cfg(data, minutes=0.01), run)
    train(None, _cfg(data, minutes=0.02, snapshot_minutes=(0.005, 0.015)), run, resume=True)
    assert not (run / "at-0.005min").exists()  # passed before the resume: not today's weights under its name
    assert checkpoint.read_config(run / "at-0.015min")["metrics"]["seconds"] >= 0.9


def test_new_run_refuses_to_overwrite(tmp_path, data):
    train(TINY, _cfg(data, max_steps=2), tmp_path / "run")
    with pytest.raises(ValueError, match="--resume"):
        train(TINY, _cfg(data, max_steps=2), tmp_path / "run")


def test_corrupt_or_mismatched_checkpoints_give_clear_errors(tmp_path, data):
    train(TINY, _cfg(data, max_steps=2), tmp_path / "run")
    run = tmp_path / "run"
    with pytest.raises(CheckpointError, match="not a symseq checkpoint"):
        checkpoint.load(tmp_path)
    weights = (run / "model.safetensors").read_bytes()
    (run / "model.safetensors").write_bytes(weights[:100])
    with pytest.raises(CheckpointError, match="corrupt"):
        checkpoint.load(run)
    (run / "model.safetensors").write_bytes(weights)
    config = json.loads((run / "config.json").read_text())
    config["model"]["d_model"] = 64
    (run / "config.json").write_text(json.dumps(config))
    with pytest.raises(CheckpointError, match="do not match"):
        checkpoint.load(run)
    (run / "config.json").write_text("{garbage")
    with pytest.raises(CheckpointError, match="unreadable"):
        checkpoint.load(run)


@pytest.mark.slow
def test_torchrun_two_processes_gloo(tmp_path, data):
    run = tmp_path / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "symseq", "train", "--data", str(data / "train"), "--valid", str(data / "valid"),
           "--arch", "transformer", "--d-model", "32", "--layers", "1", "--max-steps", "40",
           "--max-tokens", "600", "--lr", "3e-3", "--warmup", "10", "--log-every", "5",
           "--no-progress", "--out", str(run)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    assert len(lines) == 8 and lines[-1]["loss"] < lines[0]["loss"]  # rank 0 logs alone
    model, _, config = checkpoint.load(run)
    assert config["step"] == 40


def test_export_bf16_loads_and_predicts_the_same(tmp_path, data):
    train(TINY, _cfg(data, max_steps=5), tmp_path / "run")
    checkpoint.export(tmp_path / "run", tmp_path / "ship")
    a, _, _ = checkpoint.load(tmp_path / "run")
    b, _, cfg = checkpoint.load(tmp_path / "ship")
    assert cfg["weights_dtype"] == "bfloat16"
    assert (tmp_path / "ship" / "model.safetensors").stat().st_size < \
        0.6 * (tmp_path / "run" / "model.safetensors").stat().st_size
    assert not (tmp_path / "ship" / "resume.safetensors").exists()
    src = torch.randint(10, 40, (2, 5))
    tgt = torch.randint(10, 40, (2, 4))
    mask = torch.ones_like(src, dtype=torch.bool)
    with torch.no_grad():
        torch.testing.assert_close(a(src, mask, tgt), b(src, mask, tgt), atol=0.1, rtol=0.05)


@pytest.mark.slow
def test_init_from_starts_with_the_checkpoint_weights_and_a_fresh_optimizer(tmp_path, data):
    train(TINY, _cfg(data, max_steps=60), tmp_path / "base")
    base, _, _ = checkpoint.load(tmp_path / "base")
    metrics = train(None, _cfg(data, max_steps=1, lr=1e-7, log_every=1, eval_every=1), tmp_path / "warm",
                    init_from=tmp_path / "base")
    warm, _, config = checkpoint.load(tmp_path / "warm")
    assert config["step"] == 1 and config["train"]["init_from"] == str(tmp_path / "base")
    for (name, p), q in zip(base.state_dict().items(), warm.state_dict().values()):
        torch.testing.assert_close(p, q, atol=1e-4, rtol=1e-3, msg=name)  # one step at lr 1e-7
    cold = train(TINY, _cfg(data, max_steps=1, lr=1e-7, log_every=1, eval_every=1), tmp_path / "cold")
    assert metrics["valid_loss"] < cold["valid_loss"] - 0.5  # it kept what the base run learned


@pytest.mark.slow
def test_kill_of_a_background_run_checkpoints_it(tmp_path, data):
    """SIGTERM (and SIGINT, which a shell's background job starts with ignored) stop training
    through its save: the run resumes from where it was killed."""
    import signal
    import time

    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "symseq", "train", "--data", str(data / "train"), "--arch", "gru",
         "--attention", "none", "--d-model", "16", "--layers", "1", "--minutes", "5", "--threads", "1",
         "--log-every", "1", "--checkpoint-minutes", "100", "--no-progress", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    for _ in range(600):
        if (out / "metrics.jsonl").exists() and (out / "metrics.jsonl").read_text().count("\n") >= 3:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    output = proc.communicate(timeout=60)[0].decode()
    assert proc.returncode == 130, output
    assert "checkpoint saved" in output and (out / "resume.json").exists()
    assert json.loads((out / "resume.json").read_text())["step"] >= 3
