"""The safetensors header, read and checked by hand before any tensor is allocated: names, dtypes
and shapes against what the model config expects, offsets against the file's size."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import torch

MAX_HEADER_BYTES = 16 << 20  # safetensors JSON header


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded."""


# safetensors dtype -> (bytes per element, floating point?)
_DTYPES = {"F64": (8, True), "F32": (4, True), "F16": (2, True), "BF16": (2, True),
           "I64": (8, False), "I32": (4, False), "I16": (2, False), "I8": (1, False),
           "U8": (1, False), "BOOL": (1, False)}
TORCH_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
                 torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32", torch.int16: "I16",
                 torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def read_header(path: Path, max_elements: int) -> tuple[dict[str, tuple[str, tuple]], dict]:
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


def match(found: dict, expected: dict, tied: set[str], run: Path) -> None:
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
