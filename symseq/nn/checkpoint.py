"""Self-describing checkpoints: safetensors weights + JSON, no pickle anywhere.

A run folder holds

* ``model.safetensors``: the weights (metadata ``step``);
* ``config.json``: format, model config, vocabulary, training config, data manifest reference,
  step, latest metrics, and ``files``: size and sha256 of each weight/resume file of the same
  save -- everything needed to rebuild the model and to check that the files belong together;
* ``resume.safetensors`` + ``resume.json``: optimizer moments, RNG state, scheduler and data
  position, for ``symseq train --resume`` (not needed to use the model).

Crash safety (one writer per folder): the files of a save are replaced together through the
journal ``.checkpoint-pending.json`` (``symseq.io.write_file_set``), config.json last; a crash at
any point leaves the old checkpoint or the new one, never a mix.  Folders written before this scheme (no
``files`` record) load too; their files are matched by step.

Safe loading.  ``load`` reads config.json (size-capped) and checks every field it uses, caps the
model's dimensions and parameter count, derives the expected tensor names, shapes and dtypes on
PyTorch's ``meta`` device (no memory), and checks them against the safetensors header (read by
hand, size-capped: ``safetensors_header``) before any real tensor or model is allocated.  Every failure is a
``CheckpointError`` with one clear sentence.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any, Callable

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from symseq.io import FileWriter, digest, file_set_view, write_file_set
from symseq.nn.models import RNNConfig, TransformerConfig, build_model, config_from_dict
from symseq.lang.vocab import Vocab, VocabError
from symseq.nn.safetensors_header import TORCH_DTYPES, CheckpointError, match, read_header

FORMAT = "symseq-checkpoint/1"
MODEL_FILE, CONFIG_FILE = "model.safetensors", "config.json"
RESUME_TENSORS, RESUME_JSON = "resume.safetensors", "resume.json"
JOURNAL = ".checkpoint-pending.json"
_NAMES = (MODEL_FILE, CONFIG_FILE, RESUME_TENSORS, RESUME_JSON)

# Caps checked before anything is allocated.
MAX_JSON_BYTES = 64 << 20  # config.json, resume.json
MAX_PARAMETERS = 1_000_000_000  # model parameters (resume files: 4x, for optimizer moments)
MAX_VOCAB = 100_000
MAX_DIM = {"d_model": 16384, "d_ff": 65536, "n_heads": 256, "layers": 64, "enc_layers": 64,
           "dec_layers": 64, "max_len": 65536}
_DEFAULT_MAX_INT = 65536

# ---------------------------------------------------------------------------------- writing


def _write_set(run: Path, writers: dict[str, FileWriter], config: dict) -> None:
    """Write a complete checkpoint set into ``run`` crash-safely: ``config.json`` last, recording
    the size and sha256 of the others (``symseq.io.write_file_set``)."""
    writers = {**writers, CONFIG_FILE: lambda path, files: _json_writer({**config, "files": files})(path)}
    write_file_set(run, writers, names=_NAMES, journal=JOURNAL)


def _tensor_writer(tensors: dict[str, torch.Tensor], step: int) -> FileWriter:
    def write(path: Path, _files: dict) -> None:
        save_file({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, str(path),
                  metadata={"step": str(step)})
    return write


def _json_writer(obj: dict) -> Callable[[Path], None]:
    def write(path: Path, _files: dict | None = None) -> None:
        path.write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return write


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
    writers = {}
    if resume is not None:
        writers[RESUME_TENSORS] = _tensor_writer(resume["tensors"], step)
        writers[RESUME_JSON] = _json_writer({**resume["json"], "step": step})
    writers[MODEL_FILE] = _tensor_writer(_model_tensors(model), step)
    _write_set(Path(run), writers, {
        "format": FORMAT, "step": step, "model": dataclasses.asdict(model.config),
        "vocab": vocab.to_json(), "train": train_config, "data": data or {}, "metrics": metrics,
        "torch": torch.__version__,
    })


# ---------------------------------------------------------------------------------- reading


def _reading(fn: Callable) -> Callable:
    """Decorator: an OSError while reading (permissions, I/O error) is a CheckpointError too."""
    @functools.wraps(fn)
    def wrapper(run, *args, **kwargs):
        try:
            return fn(run, *args, **kwargs)
        except OSError as err:
            raise CheckpointError(f"{run}: cannot read the checkpoint ({err})") from None
    return wrapper


def _read_json(path: Path, what: str) -> Any:
    try:
        size = path.stat().st_size
        if size <= MAX_JSON_BYTES:
            return json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"{path} is missing") from None
    except (OSError, ValueError, RecursionError) as err:  # JSONDecodeError, UnicodeDecodeError
        raise CheckpointError(f"{path}: unreadable ({type(err).__name__})") from None
    raise CheckpointError(f"{path}: {what} is {size} bytes, more than the {MAX_JSON_BYTES} allowed")


def _check_config(config: Any, path: Path) -> dict:
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a {FORMAT} checkpoint")
    step = config.get("step")
    if type(step) is not int or step < 0:
        raise CheckpointError(f"{path}: 'step' must be a non-negative integer")
    for key in ("model", "vocab"):
        if not isinstance(config.get(key), dict):
            raise CheckpointError(f"{path}: '{key}' must be a JSON object")
    if not isinstance(config.get("files", {}), dict):
        raise CheckpointError(f"{path}: 'files' must be a JSON object")
    return config


@_reading
def read_config(run: str | Path) -> dict:
    """The checkpoint's config.json, checked to hold a valid step, model and vocabulary."""
    run = Path(run)
    path = file_set_view(run, _NAMES, JOURNAL)[CONFIG_FILE]
    if not path.exists():
        raise CheckpointError(f"{run}: no {CONFIG_FILE} (not a symseq checkpoint folder)")
    return _check_config(_read_json(path, CONFIG_FILE), run / CONFIG_FILE)


def _model_config(d: dict, where: Path) -> TransformerConfig | RNNConfig:
    """The model config, with every field type-checked and every dimension capped."""
    cls = TransformerConfig if d.get("arch") == "transformer" else RNNConfig
    for f in dataclasses.fields(cls):
        if f.name not in d:
            continue
        value, kind = d[f.name], type(f.default)
        if kind is int:
            cap = MAX_DIM.get(f.name, _DEFAULT_MAX_INT)
            if type(value) is not int or not 1 <= value <= cap:
                raise CheckpointError(f"{where}: model '{f.name}' must be an integer in 1..{cap}")
        elif kind is float:
            if type(value) not in (int, float) or not 0.0 <= value < 1.0:
                raise CheckpointError(f"{where}: model '{f.name}' must be a number in [0, 1)")
        elif type(value) is not kind:
            raise CheckpointError(f"{where}: model '{f.name}' must be a {kind.__name__}")
    try:
        return config_from_dict(d)
    except ValueError as err:
        raise CheckpointError(f"{where}: bad model config ({err})") from None


def _vocab(d: dict, where: Path) -> Vocab:
    tokens = d.get("tokens")
    if isinstance(tokens, list) and len(tokens) > MAX_VOCAB:
        raise CheckpointError(f"{where}: vocabulary of {len(tokens)} tokens, more than {MAX_VOCAB}")
    try:
        return Vocab.from_json(d)
    except VocabError as err:
        raise CheckpointError(f"{where}: bad vocabulary ({err})") from None


def _expected_tensors(model_config, vocab: Vocab, where: Path) -> dict[str, tuple[str, tuple]]:
    """``{name: (dtype, shape)}`` of the model's state dict, built on the meta device (no memory)."""
    try:
        with torch.device("meta"):
            meta = build_model(model_config, vocab)
    except (ValueError, TypeError, RuntimeError) as err:
        raise CheckpointError(f"{where}: the model config cannot be built ({err})") from None
    n = sum(p.numel() for p in meta.parameters())
    if n > MAX_PARAMETERS:
        raise CheckpointError(f"{where}: the model config asks for {n:,} parameters, more than "
                              f"the {MAX_PARAMETERS:,} allowed")
    return {k: (TORCH_DTYPES.get(t.dtype, str(t.dtype)), tuple(t.shape))
            for k, t in meta.state_dict().items()}


def _check_record(path: Path, config: dict, name: str, run: Path) -> None:
    """Size and sha256 against config.json's ``files`` record (written by the same save)."""
    record = config.get("files", {}).get(name)
    if record is None:
        return
    if record != digest(path):
        raise CheckpointError(f"{run}: {name} does not belong to this config.json (it was changed "
                              "or replaced after the save)")


def _read_tensors(path: Path, step: int, max_elements: int) -> tuple[dict[str, tuple[str, tuple]],
                                                                   Callable[[], dict]]:
    """Header of a tensor file from ``step``, and a function that loads its tensors."""
    header, meta = read_header(path, max_elements)
    if meta.get("step") != str(step):
        raise CheckpointError(f"{path} is from step {meta.get('step')} but config.json from step "
                              f"{step}; the checkpoint was interrupted while being written")

    def tensors() -> dict[str, torch.Tensor]:
        try:
            return load_file(str(path))
        except (SafetensorError, OSError, ValueError) as err:
            raise CheckpointError(f"{path}: corrupt weights file ({err})") from None
    return header, tensors


@_reading
def load(run: str | Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, Vocab, dict]:
    """Rebuild the model from a run folder: ``(model, vocab, config)``."""
    run = Path(run)
    config = read_config(run)
    vocab = _vocab(config["vocab"], run / CONFIG_FILE)
    model_config = _model_config(config["model"], run / CONFIG_FILE)
    expected = _expected_tensors(model_config, vocab, run / CONFIG_FILE)
    path = file_set_view(run, _NAMES, JOURNAL)[MODEL_FILE]
    header, tensors = _read_tensors(path, config["step"], MAX_PARAMETERS)
    tied = {"head.weight"} if getattr(model_config, "tie_embeddings", False) else set()
    match(header, expected, tied, run)
    _check_record(path, config, MODEL_FILE, run)
    try:
        model = build_model(model_config, vocab)
        model.load_state_dict(tensors(), strict=False)
        model = model.to(device)
    except (RuntimeError, MemoryError) as err:  # out of memory, unknown device
        raise CheckpointError(f"{run}: the model cannot be loaded on {device} "
                              f"({(str(err).splitlines() or [type(err).__name__])[0][:160]})") from None
    model.eval()
    return model, vocab, config


@_reading
def load_resume(run: str | Path, step: int) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """The resume state saved with the checkpoint at ``step``: ``(tensors, json)``; the json
    holds "optimizer" and "position" objects and the tensors "rng.torch"."""
    run = Path(run)
    view = file_set_view(run, _NAMES, JOURNAL)
    config = read_config(run)
    if config["step"] != step:
        raise CheckpointError(f"{run}: the checkpoint is at step {config['step']}, not {step}")
    header, tensors = _read_tensors(view[RESUME_TENSORS], step, 4 * MAX_PARAMETERS)
    state = _read_json(view[RESUME_JSON], RESUME_JSON)
    if not isinstance(state, dict) or state.get("step") != step:
        raise CheckpointError(f"{run}: resume state is from another step")
    if not isinstance(state.get("optimizer"), dict) or not isinstance(state.get("position"), dict) \
            or "rng.torch" not in header:
        raise CheckpointError(f"{run}: resume state lacks the optimizer, position or RNG state")
    for name in (RESUME_TENSORS, RESUME_JSON):
        _check_record(view[name], config, name, run)
    return tensors(), state


# ------------------------------------------------------------------------ optimizer, export


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
    tensors = _model_tensors(model)
    if bf16:
        tensors = {k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in tensors.items()}
    config = {k: v for k, v in config.items() if k != "files"}
    _write_set(out, {MODEL_FILE: _tensor_writer(tensors, config["step"])},
               {**config, "exported_from": str(run),
                "weights_dtype": "bfloat16" if bf16 else "float32"})
    return out
