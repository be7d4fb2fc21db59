"""Self-describing checkpoints: safetensors weights + JSON, no pickle anywhere.

A run folder holds

* ``model.safetensors``: the weights (metadata ``step``);
* ``config.json``: format, model config, vocabulary, training config, data manifest reference,
  step, latest metrics, and ``files``: size and sha256 of each weight/resume file of the same
  save -- everything needed to rebuild the model and to check that the files belong together;
* ``resume.safetensors`` + ``resume.json``: optimizer moments, RNG state, scheduler and data
  position, for ``symseq train --resume`` (not needed to use the model).

Crash safety (one writer per folder).  ``save`` writes every file of the new checkpoint under a
temporary name ``.{name}.{token}.tmp`` and fsyncs it, fsyncs the folder, then writes the journal
``.checkpoint-pending.json`` (atomically: the commit point) listing the renames temporary ->
final, config.json last; then it renames, fsyncs the folder and removes the journal.  Until the
journal exists the old files are untouched; once it exists the new set is complete on disk.
Readers resolve a pending journal without writing (a file still under its temporary name is read
from there), and the next ``save`` finishes the renames first.  So a crash at any point leaves
the old checkpoint or the new one, never a mix.  Folders written before this scheme (no
``files`` record) load too; their files are matched by step.

Safe loading.  ``load`` reads config.json (size-capped) and checks every field it uses, caps the
model's dimensions and parameter count, derives the expected tensor names, shapes and dtypes on
PyTorch's ``meta`` device (no memory), and checks them against the safetensors header (read by
hand, size-capped) before any real tensor or model is allocated.  Every failure is a
``CheckpointError`` with one clear sentence.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
import re
import secrets
from pathlib import Path
from typing import Any, Callable

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from symseq.io import atomic_write_json, fsync_dir, fsync_file
from symseq.nn.models import RNNConfig, TransformerConfig, build_model, config_from_dict
from symseq.lang.vocab import Vocab, VocabError

FORMAT = "symseq-checkpoint/1"
MODEL_FILE, CONFIG_FILE = "model.safetensors", "config.json"
RESUME_TENSORS, RESUME_JSON = "resume.safetensors", "resume.json"
JOURNAL = ".checkpoint-pending.json"
_NAMES = (MODEL_FILE, CONFIG_FILE, RESUME_TENSORS, RESUME_JSON)

# Caps checked before anything is allocated.
MAX_JSON_BYTES = 64 << 20  # config.json, resume.json
MAX_HEADER_BYTES = 16 << 20  # safetensors JSON header
MAX_PARAMETERS = 1_000_000_000  # model parameters (resume files: 4x, for optimizer moments)
MAX_VOCAB = 100_000
MAX_DIM = {"d_model": 16384, "d_ff": 65536, "n_heads": 256, "layers": 64, "enc_layers": 64,
           "dec_layers": 64, "max_len": 65536}
_DEFAULT_MAX_INT = 65536

# safetensors dtype -> (bytes per element, floating point?)
_DTYPES = {"F64": (8, True), "F32": (4, True), "F16": (2, True), "BF16": (2, True),
           "I64": (8, False), "I32": (4, False), "I16": (2, False), "I8": (1, False),
           "U8": (1, False), "BOOL": (1, False)}
_TORCH_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
                 torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32", torch.int16: "I16",
                 torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded."""


# ---------------------------------------------------------------------------------- writing


def _tmp_name(name: str, token: str) -> str:
    return f".{name}.{token}.tmp"


def _is_own_tmp(filename: str) -> bool:
    """A temporary file of this module (also the journal's, and the older ``.name.tmp``)."""
    return filename.endswith(".tmp") and any(filename.startswith(f".{n}.") for n in (*_NAMES, JOURNAL))


def _digest(path: Path) -> dict:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


def _read_journal(run: Path) -> list[tuple[str, str]] | None:
    """The pending renames ``[(tmp, final)]`` of an interrupted save, or None.  A journal that is
    not exactly what ``save`` writes is ignored (the files record still catches a mix)."""
    try:
        obj = json.loads((run / JOURNAL).read_text())
        moves = [(str(t), str(f)) for t, f in obj["moves"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    pattern = re.compile(r"\.(.+)\.[0-9a-f]+\.tmp")
    for tmp, final in moves:
        m = pattern.fullmatch(tmp)
        if final not in _NAMES or m is None or m.group(1) != final:
            return None
    return moves


def _roll_forward(run: Path, moves: list[tuple[str, str]]) -> None:
    for tmp, final in moves:
        if (run / tmp).exists():
            os.replace(run / tmp, run / final)
    fsync_dir(run)
    os.unlink(run / JOURNAL)
    fsync_dir(run)


def _recover(run: Path) -> None:
    """Finish an interrupted save (or drop a damaged journal) and remove stale temporary files."""
    if (run / JOURNAL).exists():
        moves = _read_journal(run)
        if moves is not None:
            _roll_forward(run, moves)
        else:
            os.unlink(run / JOURNAL)
    for p in run.iterdir():
        if _is_own_tmp(p.name):
            p.unlink()


def _write_set(run: Path, writers: dict[str, Callable[[Path], None]], config: dict) -> None:
    """Write a complete checkpoint set into ``run`` crash-safely (see the module docstring)."""
    run.mkdir(parents=True, exist_ok=True)
    _recover(run)
    token = secrets.token_hex(8)
    moves: list[tuple[str, str]] = []
    files: dict[str, dict] = {}
    writers = {**writers, CONFIG_FILE: lambda path: _json_writer({**config, "files": files})(path)}
    try:
        for name, write in writers.items():  # config.json last: it records the others
            tmp = run / _tmp_name(name, token)
            moves.append((tmp.name, name))
            write(tmp)
            os.chmod(tmp, 0o644)
            fsync_file(tmp)
            files[name] = _digest(tmp)
        fsync_dir(run)
    except BaseException:  # nothing is committed yet: the old checkpoint stands
        for tmp, _ in moves:
            (run / tmp).unlink(missing_ok=True)
        raise
    atomic_write_json(run / JOURNAL, {"moves": moves})  # the commit point
    _roll_forward(run, moves)


def _tensor_writer(tensors: dict[str, torch.Tensor], step: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        save_file({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, str(path),
                  metadata={"step": str(step)})
    return write


def _json_writer(obj: dict) -> Callable[[Path], None]:
    def write(path: Path) -> None:
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


def _view(run: Path) -> dict[str, Path]:
    """Where each file of the committed checkpoint is, given a possibly pending journal."""
    view = {name: run / name for name in _NAMES}
    for tmp, final in _read_journal(run) or ():
        if (run / tmp).exists():
            view[final] = run / tmp
    return view


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
    path = _view(run)[CONFIG_FILE]
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
    return {k: (_TORCH_DTYPES.get(t.dtype, str(t.dtype)), tuple(t.shape))
            for k, t in meta.state_dict().items()}


def _read_header(path: Path, max_elements: int) -> tuple[dict[str, tuple[str, tuple]], dict]:
    """``({name: (dtype, shape)}, metadata)`` from a safetensors file, checked for consistency
    (offsets cover the data exactly) without reading the data."""
    def corrupt(why: str) -> CheckpointError:
        return CheckpointError(f"{path}: corrupt weights file ({why})")

    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            prefix = fh.read(8)
            if len(prefix) < 8:
                raise corrupt("shorter than a header")
            n = int.from_bytes(prefix, "little")
            if n > MAX_HEADER_BYTES or 8 + n > size:
                raise corrupt(f"header length {n} does not fit")
            raw = fh.read(n)
    except FileNotFoundError:
        raise CheckpointError(f"{path} is missing") from None
    except OSError as err:
        raise CheckpointError(f"{path}: unreadable ({err.strerror})") from None
    try:
        header = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise corrupt("header is not JSON") from None
    if not isinstance(header, dict):
        raise corrupt("header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict):
        raise corrupt("bad metadata")
    out, spans, elements = {}, [], 0
    for name, info in header.items():
        try:
            dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (KeyError, TypeError, ValueError):
            raise corrupt(f"bad entry for {name}") from None
        if dtype not in _DTYPES or not isinstance(shape, list) or \
                not all(type(s) is int and s >= 0 for s in shape) or \
                type(begin) is not int or type(end) is not int:
            raise corrupt(f"bad entry for {name}")
        numel = math.prod(shape)
        elements += numel
        if elements > max_elements:
            raise CheckpointError(f"{path}: holds more than {max_elements:,} values, the limit")
        if not 0 <= begin <= end or end - begin != numel * _DTYPES[dtype][0]:
            raise corrupt(f"data offsets of {name} do not match its shape")
        spans.append((begin, end))
        out[name] = (dtype, tuple(shape))
    position = 0
    for begin, end in sorted(spans):
        if begin != position:
            raise corrupt("tensor data overlaps or leaves gaps")
        position = end
    if 8 + n + position != size:
        raise corrupt(f"{size} bytes where the header describes {8 + n + position} (truncated?)")
    return out, metadata


def _check_record(path: Path, config: dict, name: str, run: Path) -> None:
    """Size and sha256 against config.json's ``files`` record (written by the same save)."""
    record = config.get("files", {}).get(name)
    if record is None:
        return
    if record != _digest(path):
        raise CheckpointError(f"{run}: {name} does not belong to this config.json (it was changed "
                              "or replaced after the save)")


def _read_tensors(path: Path, step: int, max_elements: int) -> tuple[dict[str, tuple[str, tuple]],
                                                                   Callable[[], dict]]:
    """Header of a tensor file from ``step``, and a function that loads its tensors."""
    header, meta = _read_header(path, max_elements)
    if meta.get("step") != str(step):
        raise CheckpointError(f"{path} is from step {meta.get('step')} but config.json from step "
                              f"{step}; the checkpoint was interrupted while being written")

    def tensors() -> dict[str, torch.Tensor]:
        try:
            return load_file(str(path))
        except (SafetensorError, OSError, ValueError) as err:
            raise CheckpointError(f"{path}: corrupt weights file ({err})") from None
    return header, tensors


def _match(found: dict, expected: dict, tied: set[str], run: Path) -> None:
    missing = sorted(set(expected) - set(found) - tied)
    unexpected = sorted(set(found) - set(expected))
    if missing or unexpected:
        raise CheckpointError(f"{run}: weights do not match the model config "
                              f"(missing {missing[:3]}, unexpected {unexpected[:3]})")
    for name, (dtype, shape) in found.items():
        want_dtype, want_shape = expected[name]
        if shape != want_shape:
            raise CheckpointError(f"{run}: weights do not match the model config ({name} has "
                                  f"shape {list(shape)} in the file, {list(want_shape)} expected)")
        is_float = _DTYPES.get(want_dtype, (0, False))[1]
        if dtype != want_dtype and not (is_float and _DTYPES[dtype][1]):
            raise CheckpointError(f"{run}: weights do not match the model config ({name} is "
                                  f"{dtype} in the file, {want_dtype} expected)")


@_reading
def load(run: str | Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, Vocab, dict]:
    """Rebuild the model from a run folder: ``(model, vocab, config)``."""
    run = Path(run)
    config = read_config(run)
    vocab = _vocab(config["vocab"], run / CONFIG_FILE)
    model_config = _model_config(config["model"], run / CONFIG_FILE)
    expected = _expected_tensors(model_config, vocab, run / CONFIG_FILE)
    path = _view(run)[MODEL_FILE]
    header, tensors = _read_tensors(path, config["step"], MAX_PARAMETERS)
    tied = {"head.weight"} if getattr(model_config, "tie_embeddings", False) else set()
    _match(header, expected, tied, run)
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
    view = _view(run)
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
