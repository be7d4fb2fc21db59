"""Checkpoints: crash-safe saving (damaged at every write step) and header-checked loading."""

import json
import os
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from symseq.nn import checkpoint
from symseq.nn.checkpoint import CheckpointError
from symseq.nn.models import RNNConfig, TransformerConfig, build_model
from symseq.lang.vocab import Vocab

TINY = TransformerConfig(d_model=16, n_heads=2, enc_layers=1, dec_layers=1, d_ff=32, max_len=64)
DEFAULT = Path(__file__).resolve().parents[2] / "checkpoints" / "default"


def _model(seed, config=TINY):
    torch.manual_seed(seed)
    return build_model(config, Vocab.from_grammar())


def _resume(step):
    return {"tensors": {"rng.torch": torch.get_rng_state(), "opt.0.exp_avg": torch.full((3,), step * 1.0)},
            "json": {"optimizer": {"param_groups": [], "scalars": {}}, "position": {"step": step}}}


def _save(run, model, step, resume=True):
    checkpoint.save(run, model, Vocab.from_grammar(), step=step, train_config={}, metrics={},
                    resume=_resume(step) if resume else None)


def _save_legacy(run, model, step):
    """The layout written before crash-safe saving: files side by side, no ``files`` record."""
    run.mkdir(parents=True)
    tensors = {k: v.contiguous() for k, v in checkpoint._model_tensors(model).items()}
    save_file(tensors, str(run / "model.safetensors"), metadata={"step": str(step)})
    res = _resume(step)
    save_file(res["tensors"], str(run / "resume.safetensors"), metadata={"step": str(step)})
    (run / "resume.json").write_text(json.dumps({**res["json"], "step": step}))
    import dataclasses
    (run / "config.json").write_text(json.dumps({
        "format": checkpoint.FORMAT, "step": step, "model": dataclasses.asdict(model.config),
        "vocab": Vocab.from_grammar().to_json(), "train": {}, "data": {}, "metrics": {}}))


def _loaded_step(run, models):
    """The step of the checkpoint in ``run``, after checking that every file belongs to it."""
    model, _, config = checkpoint.load(run)
    step = config["step"]
    for name, tensor in models[step].state_dict().items():
        assert torch.equal(model.state_dict()[name], tensor), (run, step, name)
    tensors, state = checkpoint.load_resume(run, step)
    assert state["position"]["step"] == step
    assert torch.equal(tensors["opt.0.exp_avg"], torch.full((3,), step * 1.0))
    return step


class Crash(Exception):
    pass


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["new", "legacy"])
def test_a_crash_at_every_write_step_leaves_the_old_or_the_new_checkpoint(tmp_path, monkeypatch, layout):
    """Before each file-system operation of ``save`` (write flush, rename, unlink), take a copy
    of the folder as a kill -9 would leave it, then fail: both the copy and the folder must load
    the old checkpoint or the new one, every file from that one save, and a later save must work."""
    models = {1: _model(1), 2: _model(2), 3: _model(3)}
    base = tmp_path / "base"
    (_save_legacy if layout == "legacy" else _save)(base, models[1], 1)
    real = {name: getattr(os, name) for name in ("replace", "rename", "unlink", "fsync")}
    seen = set()
    for k in range(1, 200):
        run, snap = tmp_path / f"run{k}", tmp_path / f"snap{k}"
        shutil.copytree(base, run)
        calls = [0]

        def wrap(name):
            def op(*args, **kwargs):
                calls[0] += 1
                if calls[0] == k:
                    shutil.copytree(run, snap)
                    raise Crash(f"crash before {name} #{k}")
                return real[name](*args, **kwargs)
            return op

        for name in real:
            monkeypatch.setattr(os, name, wrap(name))
        try:
            _save(run, models[2], 2)
            crashed = False
        except Crash:
            crashed = True
        finally:
            for name, fn in real.items():
                monkeypatch.setattr(os, name, fn)
        if not crashed:
            assert _loaded_step(run, models) == 2
            break
        seen.add(_loaded_step(snap, models))
        seen.add(_loaded_step(run, models))
        _save(snap, models[3], 3)  # the next save finishes or discards the interrupted one
        assert _loaded_step(snap, models) == 3
        assert not [p for p in snap.iterdir() if p.name.endswith(".tmp") or "pending" in p.name]
    else:
        pytest.fail("save never finished")
    assert seen == {1, 2} and k > 5


def test_the_shipped_layout_and_new_folders_load(tmp_path):
    model, vocab, config = checkpoint.load(DEFAULT)
    assert set(config["files"]) == {"model.safetensors"} and model.num_parameters() > 0
    legacy = tmp_path / "legacy"  # a folder written before configs listed their files still loads
    legacy.mkdir()
    shutil.copy(DEFAULT / "model.safetensors", legacy)
    old_config = json.loads((DEFAULT / "config.json").read_text())
    del old_config["files"]
    (legacy / "config.json").write_text(json.dumps(old_config))
    old_model, _, _ = checkpoint.load(legacy)
    assert old_model.num_parameters() == model.num_parameters()
    checkpoint.save(tmp_path / "run", model, vocab, step=7, train_config={}, metrics={})
    again, _, config = checkpoint.load(tmp_path / "run")
    assert config["step"] == 7 and set(config["files"]) == {"model.safetensors"}
    for name, tensor in model.state_dict().items():
        assert torch.equal(again.state_dict()[name], tensor)


def _config_edit(run, edit):
    path = run / "config.json"
    config = json.loads(path.read_text())
    edit(config)
    path.write_text(json.dumps(config))


@pytest.mark.parametrize("edit, message", [
    (lambda c: c.pop("step"), "'step' must be"),
    (lambda c: c.update(step="3"), "'step' must be"),
    (lambda c: c.update(step=True), "'step' must be"),
    (lambda c: c.update(step=4), "from step 3 but config.json from step 4"),
    (lambda c: c.pop("model"), "'model' must be"),
    (lambda c: c.update(model=[1]), "'model' must be"),
    (lambda c: c.update(vocab="abc"), "'vocab' must be"),
    (lambda c: c["vocab"].update(tokens=None), "bad vocabulary"),
    (lambda c: c["vocab"].update(tokens=["t"] * 200_000), "more than 100000"),
    (lambda c: c["model"].update(d_model="16"), "'d_model' must be an integer"),
    (lambda c: c["model"].update(n_heads=0), "'n_heads' must be an integer"),
    (lambda c: c["model"].update(n_heads=3), "bad model config"),
    (lambda c: c["model"].update(dropout="x"), "'dropout' must be a number"),
    (lambda c: c["model"].update(tie_embeddings=1), "'tie_embeddings' must be a bool"),
    (lambda c: c["model"].update(positions="rotary"), "bad model config"),
    (lambda c: c["model"].update(colour=3), "bad model config"),
    (lambda c: c["model"].update(d_ff=64), "do not match"),
    (lambda c: c.update(files=[]), "'files' must be"),
    (lambda c: c["files"]["model.safetensors"].update(bytes=1), "does not belong"),
])
def test_bad_configs_are_checkpoint_errors(tmp_path, edit, message):
    _save(tmp_path, _model(0), 3, resume=False)
    _config_edit(tmp_path, edit)
    with pytest.raises(CheckpointError, match=message):
        checkpoint.load(tmp_path)


@pytest.mark.parametrize("model", [dict(d_model=10**6), dict(d_model=16384, enc_layers=64, dec_layers=64),
                                   dict(d_model=8192, max_len=65536)])
def test_absurd_sizes_are_refused_before_anything_is_allocated(tmp_path, monkeypatch, model):
    _save(tmp_path, _model(0), 3, resume=False)
    _config_edit(tmp_path, lambda c: c["model"].update(n_heads=8, **model))
    real_build = checkpoint.build_model

    def build(*args):  # only the meta-device dry run may build
        assert torch.empty(0).device.type == "meta", "a real model was built"
        return real_build(*args)

    monkeypatch.setattr(checkpoint, "build_model", build)
    with pytest.raises(CheckpointError, match="must be an integer in|parameters, more than"):
        checkpoint.load(tmp_path)


def _header_file(path, header, data=b""):
    raw = json.dumps(header).encode()
    path.write_bytes(len(raw).to_bytes(8, "little") + raw + data)


@pytest.mark.parametrize("damage", ["empty", "4 bytes", "8 bytes", "100 bytes", "half", "one short",
                                    "one more", "huge header", "not json", "bad offsets",
                                    "absurd shape", "wrong dtype", "other model"])
def test_damaged_weights_are_checkpoint_errors(tmp_path, damage):
    _save(tmp_path, _model(0), 3, resume=False)
    path = tmp_path / "model.safetensors"
    good = path.read_bytes()
    n = int.from_bytes(good[:8], "little")
    header = json.loads(good[8:8 + n])
    name = "embed.weight" if "embed.weight" in header else sorted(k for k in header if k != "__metadata__")[0]
    cut = {"empty": 0, "4 bytes": 4, "8 bytes": 8, "100 bytes": 100, "half": len(good) // 2,
           "one short": len(good) - 1}
    if damage in cut:
        path.write_bytes(good[:cut[damage]])
    elif damage == "one more":
        path.write_bytes(good + b"\0")
    elif damage == "huge header":
        path.write_bytes((2**62).to_bytes(8, "little") + good[8:])
    elif damage == "not json":
        path.write_bytes(good[:8] + b"\xff" * n + good[8 + n:])
    elif damage == "bad offsets":
        header[name]["data_offsets"][1] += 4
        _header_file(path, header, good[8 + n:])
    elif damage == "absurd shape":
        header = {"__metadata__": {"step": "3"},
                  name: {"dtype": "F32", "shape": [10**6, 10**6], "data_offsets": [0, 4 * 10**12]}}
        _header_file(path, header)
    elif damage == "wrong dtype":
        header[name]["dtype"] = "I32"
        _header_file(path, header, good[8 + n:])
    elif damage == "other model":
        _save(tmp_path / "other", _model(5), 3, resume=False)
        shutil.copy(tmp_path / "other" / "model.safetensors", path)
    with pytest.raises(CheckpointError, match="corrupt|limit|do not match|does not belong"):
        checkpoint.load(tmp_path)


def test_legacy_folders_with_files_from_different_steps_are_refused(tmp_path):
    _save_legacy(tmp_path / "a", _model(0), 3)
    _save_legacy(tmp_path / "b", _model(0), 4)
    shutil.copy(tmp_path / "b" / "model.safetensors", tmp_path / "a" / "model.safetensors")
    with pytest.raises(CheckpointError, match="interrupted"):
        checkpoint.load(tmp_path / "a")
    _save_legacy(tmp_path / "c", _model(0), 3)
    shutil.copy(tmp_path / "b" / "resume.json", tmp_path / "c" / "resume.json")
    with pytest.raises(CheckpointError, match="another step"):
        checkpoint.load_resume(tmp_path / "c", 3)


@pytest.mark.parametrize("damage", ["missing json", "garbage json", "no position", "other save",
                                    "no rng", "wrong step"])
def test_damaged_resume_state_is_a_checkpoint_error(tmp_path, damage):
    _save(tmp_path / "run", _model(0), 3)
    run, step = tmp_path / "run", 3
    if damage == "missing json":
        (run / "resume.json").unlink()
    elif damage == "garbage json":
        (run / "resume.json").write_text("[1, 2")
    elif damage == "no position":
        state = json.loads((run / "resume.json").read_text())
        del state["position"]
        (run / "resume.json").write_text(json.dumps(state))
    elif damage == "other save":
        (run / "resume.json").write_text((run / "resume.json").read_text() + " ")  # same step
    elif damage == "no rng":
        save_file({"x": torch.zeros(1)}, str(run / "resume.safetensors"), metadata={"step": "3"})
    elif damage == "wrong step":
        step = 2
    with pytest.raises(CheckpointError):
        checkpoint.load_resume(run, step)


def test_rnn_checkpoints_round_trip_and_check_shapes(tmp_path):
    config = RNNConfig("gru", 16, 1, "dot")
    _save(tmp_path, _model(0, config), 1, resume=False)
    assert checkpoint.load(tmp_path)[2]["model"]["arch"] == "gru"
    _config_edit(tmp_path, lambda c: c["model"].update(bidirectional=False))
    with pytest.raises(CheckpointError, match="do not match"):
        checkpoint.load(tmp_path)
