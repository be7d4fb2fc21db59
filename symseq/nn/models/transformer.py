"""Encoder-decoder Transformer: pre-norm, ``scaled_dot_product_attention``, key/value cache.

Training (``forward``) runs the decoder over the whole target with a causal mask.  Decoding
(``decode_step``) feeds only the newest token: each decoder layer appends its key and value to
a per-layer cache, and the cross-attention keys/values of the source are computed once in
``encode``; a step therefore costs O(t) attention and O(1) everything else.

Embeddings are initialised with std d^-0.5 and scaled by sqrt(d) (with tied input/output
embeddings a default init starts the loss near 100 per token).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel

from symseq.nn.models.base import Seq2Seq


def _attention_kernel(q: torch.Tensor):
    """The attention kernel for ``q``: on CPU in bf16 the default (flash) kernel's forward +
    backward is 2.5x slower than the math kernel (42 vs 17 ms at batch 32, 8 heads, length 80,
    width 32, mask or none; ``experiments/training/attention_kernels.py``), so bf16 on CPU uses math."""
    if q.device.type == "cpu" and q.dtype == torch.bfloat16:
        return sdpa_kernel(SDPBackend.MATH)
    return contextlib.nullcontext()


@dataclass(frozen=True)
class TransformerConfig:
    arch: str = "transformer"
    d_model: int = 256
    n_heads: int = 8
    enc_layers: int = 4
    dec_layers: int = 4
    d_ff: int = 1024
    dropout: float = 0.0
    max_len: int = 1024  # longest source or target sequence (learned positions)
    positions: str = "learned"  # or "sinusoidal"
    tie_embeddings: bool = True

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads:
            raise ValueError("d_model must be a multiple of n_heads")
        if self.positions not in ("learned", "sinusoidal"):
            raise ValueError("positions must be 'learned' or 'sinusoidal'")


def _sinusoids(n: int, d: int) -> torch.Tensor:
    pos = torch.arange(n, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    table = torch.zeros(n, d)
    table[:, 0::2] = torch.sin(pos * div)
    table[:, 1::2] = torch.cos(pos * div)
    return table


class Attention(nn.Module):
    def __init__(self, d: int, n_heads: int, dropout: float) -> None:
        super().__init__()
        self.h, self.dh, self.dropout = n_heads, d // n_heads, dropout
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.out = nn.Linear(d, d)

    def split(self, x: torch.Tensor) -> torch.Tensor:  # (B, L, d) -> (B, h, L, dh)
        B, L, _ = x.shape
        return x.view(B, L, self.h, self.dh).transpose(1, 2)

    def keys_values(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        k, v = self.kv(x).chunk(2, dim=-1)
        return self.split(k), self.split(v)

    def attend(self, x: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
               mask: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
        q = self.split(self.q(x))
        with _attention_kernel(q):
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal,
                                               dropout_p=self.dropout if self.training else 0.0)
        B, _, L, _ = y.shape
        return self.out(y.transpose(1, 2).reshape(B, L, self.h * self.dh))


class FeedForward(nn.Sequential):
    def __init__(self, d: int, d_ff: int, dropout: float) -> None:
        super().__init__(nn.Linear(d, d_ff), nn.GELU(), nn.Dropout(dropout), nn.Linear(d_ff, d))


class EncoderLayer(nn.Module):
    def __init__(self, c: TransformerConfig) -> None:
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.attn = Attention(c.d_model, c.n_heads, c.dropout)
        self.ff = FeedForward(c.d_model, c.d_ff, c.dropout)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        k, v = self.attn.keys_values(h)
        x = x + self.drop(self.attn.attend(h, k, v, mask))
        return x + self.drop(self.ff(self.ln2(x)))


class DecoderLayer(nn.Module):
    def __init__(self, c: TransformerConfig) -> None:
        super().__init__()
        self.ln1, self.ln2, self.ln3 = (nn.LayerNorm(c.d_model) for _ in range(3))
        self.self_attn = Attention(c.d_model, c.n_heads, c.dropout)
        self.cross_attn = Attention(c.d_model, c.n_heads, c.dropout)
        self.ff = FeedForward(c.d_model, c.d_ff, c.dropout)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x, cross_k, cross_v, src_mask, cache=None):
        """x (B, L, d); cache None (training, causal over L) or (k, v) of earlier steps."""
        h = self.ln1(x)
        k, v = self.self_attn.keys_values(h)
        if cache is not None:
            if cache[0] is not None:
                k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
            x = x + self.drop(self.self_attn.attend(h, k, v))
        else:
            x = x + self.drop(self.self_attn.attend(h, k, v, causal=True))
        x = x + self.drop(self.cross_attn.attend(self.ln2(x), cross_k, cross_v, src_mask))
        return x + self.drop(self.ff(self.ln3(x))), (k, v)


class Transformer(Seq2Seq):
    def __init__(self, config: TransformerConfig, vocab_size: int, pad_id: int) -> None:
        super().__init__()
        c = self.config = config
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, c.d_model)
        nn.init.normal_(self.embed.weight, std=c.d_model ** -0.5)
        if c.positions == "learned":
            self.pos = nn.Embedding(c.max_len, c.d_model)
            nn.init.normal_(self.pos.weight, std=0.02)
        else:
            self.register_buffer("pos_table", _sinusoids(c.max_len, c.d_model), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(c) for _ in range(c.enc_layers))
        self.decoder = nn.ModuleList(DecoderLayer(c) for _ in range(c.dec_layers))
        self.enc_norm, self.dec_norm = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.drop = nn.Dropout(c.dropout)
        self.head = nn.Linear(c.d_model, vocab_size, bias=False)
        if c.tie_embeddings:
            self.head.weight = self.embed.weight

    def _positions(self, start: int, length: int) -> torch.Tensor:
        if start + length > self.config.max_len:
            raise ValueError(f"sequence longer than the model's max_len {self.config.max_len}")
        if self.config.positions == "learned":
            return self.pos.weight[start:start + length]
        return self.pos_table[start:start + length]

    def _embed(self, tokens: torch.Tensor, start: int = 0) -> torch.Tensor:
        x = self.embed(tokens) * math.sqrt(self.config.d_model)
        return self.drop(x + self._positions(start, tokens.shape[1]))

    def encode(self, src, src_mask):
        mask = src_mask[:, None, None, :]  # (B, 1, 1, S): True = attend
        x = self._embed(src)
        for layer in self.encoder:
            x = layer(x, mask)
        x = self.enc_norm(x)
        cross = [layer.cross_attn.keys_values(x) for layer in self.decoder]
        return {"mask": mask, "cross": cross}

    def _decode(self, x, memory, caches):
        new = []
        for layer, (ck, cv), cache in zip(self.decoder, memory["cross"], caches):
            x, kv = layer(x, ck, cv, memory["mask"], cache)
            new.append(kv)
        return self.head(self.dec_norm(x)), new

    def forward(self, src, src_mask, tgt_in):
        memory = self.encode(src, src_mask)
        logits, _ = self._decode(self._embed(tgt_in), memory, [None] * len(self.decoder))
        return logits

    def decode_step(self, tokens, memory, state):
        t = tokens.shape[1]
        caches = state if state is not None else [(None, None)] * len(self.decoder)
        x = self._embed(tokens[:, -1:], start=t - 1)
        logits, new = self._decode(x, memory, caches)
        return F.log_softmax(logits[:, -1].float(), dim=-1), new
