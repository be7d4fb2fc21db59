"""The Seq2Seq interface every model implements, so decoding never looks inside a model.

Shapes are batch-first.  ``src`` (B, S) and ``tgt_in`` (B, T) hold token ids; ``src_mask`` (B, S)
is True at real tokens and False at padding.  ``tgt_in`` starts with ``<bos>``.

    forward(src, src_mask, tgt_in)            -> logits (B, T, V)        teacher forcing
    encode(src, src_mask)                     -> memory                  opaque to callers
    decode_step(tokens (N, t), memory, state) -> (log_probs (N, V), state)
    reorder(memory, state, index (N',))       -> (memory, state)         rows index of both

``decode_step`` receives the whole prefix decoded so far but models with a cache (the
Transformer's keys/values, the RNN state) only read its last column, so a step costs the same
at every length.  ``state`` is None on the first step.  ``memory`` and ``state`` may be any
structure of tensors whose first dimension is the row (problem x beam).

To add a model: subclass ``Seq2Seq`` in a new module of this package, give it a frozen config
dataclass with an ``arch`` name, and register both in ``symseq.nn.models.build_model``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


def index_rows(tree: Any, index: torch.Tensor) -> Any:
    """Apply ``index_select(0, index)`` to every tensor in a nested tuple/list/dict structure."""
    if tree is None:
        return None
    if isinstance(tree, torch.Tensor):
        return tree.index_select(0, index)
    if isinstance(tree, (tuple, list)):
        return type(tree)(index_rows(t, index) for t in tree)
    if isinstance(tree, dict):
        return {k: index_rows(v, index) for k, v in tree.items()}
    return tree


class Seq2Seq(nn.Module):
    """Base class: subclasses implement forward, encode and decode_step."""

    config: Any

    def forward(self, src: torch.Tensor, src_mask: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def encode(self, src: torch.Tensor, src_mask: torch.Tensor) -> Any:
        raise NotImplementedError

    def decode_step(self, tokens: torch.Tensor, memory: Any, state: Any) -> tuple[torch.Tensor, Any]:
        raise NotImplementedError

    def reorder(self, memory: Any, state: Any, index: torch.Tensor) -> tuple[Any, Any]:
        return index_rows(memory, index), index_rows(state, index)

    def reorder_state(self, state: Any, index: torch.Tensor) -> Any:
        """The decoder state alone, for a beam step: its rows move only within a problem's K
        rows, whose memory rows are equal, so the memory need not be copied."""
        return index_rows(state, index)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
