"""LSTM/GRU encoder-decoder, with or without attention.

* ``attention="none"``: the fixed-size "thought vector" of Sutskever et al. (2014): the
  decoder starts from the encoder's final state and never sees the source again.
* ``attention="bahdanau"`` (additive score v^T tanh(W_m m + W_h h), Bahdanau et al. 2014),
  ``"dot"`` (h . m) and ``"general"`` (h W m) (Luong et al. 2015), all with input feeding: the
  attentional vector h~ = tanh(W [c; h]) of step t-1 is fed with the token embedding at step t.

One ``_step`` function serves training and decoding, so ``decode_step`` computes exactly what
``forward`` does.  The encoder packs padded sequences, so padding never touches its state; a
bidirectional encoder's two directions are merged by a linear bridge.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from symseq.nn.models.base import Seq2Seq

ATTENTIONS = ("none", "bahdanau", "dot", "general")


@dataclass(frozen=True)
class RNNConfig:
    arch: str = "lstm"  # or "gru"
    d_model: int = 256  # hidden size (and embedding size)
    layers: int = 2
    attention: str = "bahdanau"
    bidirectional: bool = True
    dropout: float = 0.0

    def __post_init__(self) -> None:
        if self.arch not in ("lstm", "gru"):
            raise ValueError("arch must be 'lstm' or 'gru'")
        if self.attention not in ATTENTIONS:
            raise ValueError(f"attention must be one of {ATTENTIONS}")


class RNNSeq2Seq(Seq2Seq):
    def __init__(self, config: RNNConfig, vocab_size: int, pad_id: int) -> None:
        super().__init__()
        c = self.config = config
        d, cell = c.d_model, nn.LSTM if c.arch == "lstm" else nn.GRU
        self.lstm = c.arch == "lstm"
        self.attn = c.attention != "none"
        self.embed = nn.Embedding(vocab_size, d, padding_idx=pad_id)
        dirs = 2 if c.bidirectional else 1
        self.encoder = cell(d, d, c.layers, batch_first=True, bidirectional=c.bidirectional,
                            dropout=c.dropout if c.layers > 1 else 0.0)
        self.bridge = nn.Linear(dirs * d, d)  # final states of both directions -> decoder state
        self.mem_proj = nn.Linear(dirs * d, d) if self.attn else None  # outputs -> attention memory
        self.decoder = cell(2 * d if self.attn else d, d, c.layers, batch_first=True,
                            dropout=c.dropout if c.layers > 1 else 0.0)
        if c.attention == "bahdanau":
            self.w_mem, self.w_query = nn.Linear(d, d, bias=False), nn.Linear(d, d)
            self.v = nn.Linear(d, 1, bias=False)
        elif c.attention == "general":
            self.w_mem = nn.Linear(d, d, bias=False)
        self.combine = nn.Linear(2 * d, d, bias=False) if self.attn else None
        self.drop = nn.Dropout(c.dropout)
        self.head = nn.Linear(d, vocab_size)

    # -- encoder -------------------------------------------------------------------------
    def _bridge(self, h: torch.Tensor) -> torch.Tensor:
        """(layers * dirs, B, d) -> (layers, B, d)."""
        L, dirs = self.config.layers, 2 if self.config.bidirectional else 1
        h = h.view(L, dirs, h.shape[1], h.shape[2]).permute(0, 2, 1, 3).reshape(L, h.shape[1], -1)
        return torch.tanh(self.bridge(h))

    def encode(self, src, src_mask):
        lengths = src_mask.sum(1).clamp(min=1).cpu()
        packed = pack_padded_sequence(self.drop(self.embed(src)), lengths, batch_first=True,
                                      enforce_sorted=False)
        out, final = self.encoder(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        if self.lstm:
            h, c = final
            rnn_state = (self._bridge(h).transpose(0, 1), self._bridge(c).transpose(0, 1))
        else:
            rnn_state = (self._bridge(final).transpose(0, 1),)
        memory = {"mask": src_mask, "init": rnn_state}
        if self.attn:
            memory["mem"] = self.mem_proj(out)
        if self.config.attention in ("bahdanau", "general"):
            memory["keys"] = self.w_mem(memory["mem"])  # precomputed once per source
        return memory

    # -- one decoder step ----------------------------------------------------------------
    def _score(self, query: torch.Tensor, memory: dict) -> torch.Tensor:
        """query (N, d) -> scores (N, S)."""
        if self.config.attention == "bahdanau":
            e = torch.tanh(memory["keys"] + self.w_query(query)[:, None, :])
            return self.v(e).squeeze(-1)
        keys = memory["keys"] if self.config.attention == "general" else memory["mem"]
        return torch.bmm(keys, query[:, :, None]).squeeze(-1)

    def _step(self, token: torch.Tensor, memory: dict, state: tuple | None):
        """token (N,) -> (output features (N, d), state).  State is batch-first."""
        if state is None:
            rnn_state = memory["init"]
            feed = torch.zeros_like(rnn_state[0][:, 0]) if self.attn else None
        else:
            rnn_state, feed = state[:-1], state[-1]
        x = self.drop(self.embed(token))
        if self.attn:
            x = torch.cat([x, feed], dim=-1)
        hx = tuple(s.transpose(0, 1).contiguous() for s in rnn_state)
        out, hx = self.decoder(x[:, None, :], hx if self.lstm else hx[0])
        hx = hx if self.lstm else (hx,)
        h = out[:, 0]
        if self.attn:
            scores = self._score(h, memory).masked_fill(~memory["mask"], float("-inf"))
            context = torch.bmm(F.softmax(scores, dim=-1)[:, None, :], memory["mem"])[:, 0]
            h = torch.tanh(self.combine(torch.cat([context, h], dim=-1)))
        new_state = tuple(s.transpose(0, 1) for s in hx) + ((h if self.attn else None),)
        return self.drop(h), new_state

    def forward(self, src, src_mask, tgt_in):
        memory = self.encode(src, src_mask)
        if not self.attn:  # no input feeding: run the decoder over the whole target at once
            hx = tuple(s.transpose(0, 1).contiguous() for s in memory["init"])
            out, _ = self.decoder(self.drop(self.embed(tgt_in)), hx if self.lstm else hx[0])
            return self.head(self.drop(out))
        state, outs = None, []
        for t in range(tgt_in.shape[1]):
            h, state = self._step(tgt_in[:, t], memory, state)
            outs.append(h)
        return self.head(torch.stack(outs, dim=1))

    def decode_step(self, tokens, memory, state):
        h, state = self._step(tokens[:, -1], memory, state)
        return F.log_softmax(self.head(h).float(), dim=-1), state
