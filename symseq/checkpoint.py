"""Self-describing checkpoints: safetensors weights + JSON, no pickle anywhere.

A run folder holds

* ``model.safetensors``: the weights (metadata ``step``);
* ``config.json``: format, model config, vocabulary, training config, data manifest reference,
  step and latest metrics -- everything needed to rebuild the model;
* ``resume.safetensors`` + ``resume.json``: optimizer moments, RNG state, scheduler and data
  position, for ``symseq train --resume`` (not needed to use the model).

``save`` writes every file under a temporary name and renames it into place, config.json last,
so a crash leaves the previous checkpoint or the new one; files from different steps are
detected by ``load`` (the step is stored in each).  ``load(path)`` returns
``(model, vocab, config)`` or raises ``CheckpointError`` with one clear sentence.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from symseq.io import atomic_write_json
from symseq.models import build_model, config_from_dict
from symseq.vocab import Vocab, VocabError

FORMAT = "symseq-checkpoint/1"
MODEL_FILE, CONFIG_FILE = "model.safetensors", "config.json"
RESUME_TENSORS, RESUME_JSON = "resume.safetensors", "resume.json"


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded."""


def _save_tensors(tensors: dict[str, torch.Tensor], path: Path, step: int) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    save_file({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, str(tmp),
              metadata={"step": str(step)})
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _model_tensors(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """State dict without duplicates of tied weights (safetensors refuses shared storage)."""
    out, seen = {}, {}
    for name, t in model.state_dict().items():
        key = (t.data_ptr(), t.shape)
        if key in seen:
            continue
        seen[key] = name
        out[name] = t
    return out


def save(run: str | Path, model: torch.nn.Module, vocab: Vocab, *, step: int, train_config: dict,
         metrics: dict, data: dict | None = None, resume: dict | None = None) -> None:
    """Write a checkpoint into ``run``; ``resume`` = {"tensors": {...}, "json": {...}} if given."""
    import dataclasses

    run = Path(run)
    run.mkdir(parents=True, exist_ok=True)
    if resume is not None:
        _save_tensors(resume["tensors"], run / RESUME_TENSORS, step)
        atomic_write_json(run / RESUME_JSON, {**resume["json"], "step": step})
    _save_tensors(_model_tensors(model), run / MODEL_FILE, step)
    atomic_write_json(run / CONFIG_FILE, {
        "format": FORMAT, "step": step, "model": dataclasses.asdict(model.config),
        "vocab": vocab.to_json(), "train": train_config, "data": data or {}, "metrics": metrics,
        "torch": torch.__version__,
    })


def read_config(run: str | Path) -> dict:
    path = Path(run) / CONFIG_FILE
    if not path.exists():
        raise CheckpointError(f"{run}: no {CONFIG_FILE} (not a symseq checkpoint folder)")
    try:
        config = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise CheckpointError(f"{path}: unreadable ({err})") from None
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a {FORMAT} checkpoint")
    return config


def _read_tensors(path: Path, step: int) -> dict[str, torch.Tensor]:
    if not path.exists():
        raise CheckpointError(f"{path} is missing")
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as fh:
            meta = fh.metadata() or {}
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as err:
        raise CheckpointError(f"{path}: corrupt weights file ({err})") from None
    if meta.get("step") != str(step):
        raise CheckpointError(f"{path} is from step {meta.get('step')} but config.json from step "
                              f"{step}; the checkpoint was interrupted while being written")
    return tensors


def load(run: str | Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, Vocab, dict]:
    """Rebuild the model from a run folder: ``(model, vocab, config)``."""
    config = read_config(run)
    try:
        vocab = Vocab.from_json(config["vocab"])
        model_config = config_from_dict(config["model"])
    except (KeyError, ValueError, VocabError) as err:
        raise CheckpointError(f"{run}: bad config.json ({err})") from None
    model = build_model(model_config, vocab)
    tensors = _read_tensors(Path(run) / MODEL_FILE, config["step"])
    try:
        missing, unexpected = model.load_state_dict(tensors, strict=False)
    except RuntimeError as err:  # shape mismatches
        raise CheckpointError(f"{run}: weights do not match the model config "
                              f"({str(err).splitlines()[1].strip()[:120]})") from None
    tied = {"head.weight"} if getattr(model_config, "tie_embeddings", False) else set()
    if set(missing) - tied or unexpected:
        raise CheckpointError(f"{run}: weights do not match the model config "
                              f"(missing {sorted(set(missing) - tied)[:3]}, unexpected {unexpected[:3]})")
    try:
        model = model.to(device)
    except RuntimeError as err:
        raise CheckpointError(f"cannot move the model to {device}: {err}") from None
    model.eval()
    return model, vocab, config


def load_resume(run: str | Path, step: int) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    run = Path(run)
    tensors = _read_tensors(run / RESUME_TENSORS, step)
    try:
        state = json.loads((run / RESUME_JSON).read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise CheckpointError(f"{run / RESUME_JSON}: unreadable ({err})") from None
    if state.get("step") != step:
        raise CheckpointError(f"{run}: resume state is from another step")
    return tensors, state


def optimizer_to_tensors(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict]:
    """Optimizer state as flat tensors + JSON (no pickle)."""
    sd = opt.state_dict()
    tensors, scalars = {}, {}
    for idx, st in sd["state"].items():
        for key, value in st.items():
            if isinstance(value, torch.Tensor):
                tensors[f"opt.{idx}.{key}"] = value
            else:
                scalars[f"{idx}.{key}"] = value
    return tensors, {"param_groups": sd["param_groups"], "scalars": scalars}


def optimizer_from_tensors(opt: torch.optim.Optimizer, tensors: dict[str, torch.Tensor],
                           info: dict) -> None:
    state: dict[int, dict] = {}
    for name, value in tensors.items():
        if name.startswith("opt."):
            _, idx, key = name.split(".", 2)
            state.setdefault(int(idx), {})[key] = value
    for name, value in info["scalars"].items():
        idx, key = name.split(".", 1)
        state.setdefault(int(idx), {})[key] = value
    opt.load_state_dict({"state": state, "param_groups": info["param_groups"]})


def export(run: str | Path, out: str | Path, *, bf16: bool = True) -> Path:
    """Copy a run's model for shipping: weights (bf16 halves the size; loading casts them back
    to the model's dtype) and config.json, without the resume state."""
    model, vocab, config = load(run)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tensors = _model_tensors(model)
    if bf16:
        tensors = {k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in tensors.items()}
    _save_tensors(tensors, out / MODEL_FILE, config["step"])
    atomic_write_json(out / CONFIG_FILE, {**config, "exported_from": str(run),
                                          "weights_dtype": "bfloat16" if bf16 else "float32"})
    return out
