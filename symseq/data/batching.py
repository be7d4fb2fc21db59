"""From dataset files to padded tensor batches: tokenize, bucket by length, collate.

* ``encode_example``: source = task token + question tokens; target = ``<bos>`` answer ``<eos>``.
* ``bucket``: batches of similar-length examples under a token budget: the examples are
  shuffled, stably sorted by length (so ties stay random; targets in snake order), cut greedily so that
  ``rows * (longest source + longest target) <= max_tokens``, and the batch order shuffled.
  Every example lands in exactly one batch per epoch.
* ``BatchStream``: streams a dataset of any size.  It reads the files (shuffled per epoch) into
  pools of ``pool_size`` examples and buckets within each pool; a dataset that fits in one pool
  is tokenized once and kept.  The order is a pure function of (seed, epoch), so a resumed run
  skips the batches it already saw and sees the same data as an uninterrupted one.  Under DDP,
  rank r of w takes every w-th batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import torch

from symseq.domain import TASKS
from symseq.data.dataset import Example, data_files, iter_examples
from symseq.lang.vocab import Vocab


@dataclass
class Batch:
    src: torch.Tensor  # (B, S) token ids
    src_mask: torch.Tensor  # (B, S) True at real tokens
    tgt_in: torch.Tensor  # (B, T) <bos> answer
    tgt_out: torch.Tensor  # (B, T) answer <eos>, pad elsewhere
    n_tokens: int  # real target tokens (the loss is over these)
    n_real: int  # real source + target tokens
    n_padded: int  # source + target positions including padding

    def to(self, device: torch.device | str) -> "Batch":
        return Batch(self.src.to(device), self.src_mask.to(device), self.tgt_in.to(device),
                     self.tgt_out.to(device), self.n_tokens, self.n_real, self.n_padded)


def encode_example(ex: Example, vocab: Vocab) -> tuple[list[int], list[int]]:
    src = [vocab.id(TASKS[ex.task].token)] + vocab.encode(ex.question.split())
    tgt = [vocab.bos] + vocab.encode(ex.answer.split()) + [vocab.eos]
    return src, tgt


@dataclass
class Tokenized:
    """Examples as ragged int arrays (compact: two flat arrays plus lengths)."""

    src: list[np.ndarray]
    tgt: list[np.ndarray]

    @classmethod
    def from_examples(cls, examples: Sequence[Example], vocab: Vocab) -> "Tokenized":
        src, tgt = [], []
        for ex in examples:
            s, t = encode_example(ex, vocab)
            src.append(np.asarray(s, dtype=np.int16))
            tgt.append(np.asarray(t, dtype=np.int16))
        return cls(src, tgt)

    def __len__(self) -> int:
        return len(self.src)

    def lengths(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.fromiter((len(s) for s in self.src), dtype=np.int64, count=len(self.src)),
                np.fromiter((len(t) - 1 for t in self.tgt), dtype=np.int64, count=len(self.tgt)))


def bucket(src_len: np.ndarray, tgt_len: np.ndarray, max_tokens: int,
           rng: np.random.Generator) -> list[np.ndarray]:
    """Index batches of similar lengths with rows * (max src + max tgt) <= max_tokens."""
    order = rng.permutation(len(src_len))
    # sort by source length, then by target length ascending and descending in turn for
    # successive source lengths ("snake"), so a batch that crosses a source length does not
    # jump from the longest targets back to the shortest
    _, rank = np.unique(src_len, return_inverse=True)
    snake = np.where(rank % 2 == 0, tgt_len, -tgt_len)
    order = order[np.lexsort((snake[order], src_len[order]))]
    batches, start, max_s, max_t = [], 0, 0, 0
    for pos, i in enumerate(order):
        s, t = max(max_s, src_len[i]), max(max_t, tgt_len[i])
        if pos > start and (pos - start + 1) * (s + t) > max_tokens:
            batches.append(order[start:pos])
            start, s, t = pos, src_len[i], tgt_len[i]
        max_s, max_t = s, t
    if start < len(order):
        batches.append(order[start:])
    return [batches[j] for j in rng.permutation(len(batches))]


def pad_rows(rows: Sequence[Sequence[int]], pad: int) -> torch.Tensor:
    """(B, longest) token ids, right-padded with ``pad``; the mask is ``tensor != pad``."""
    out = np.full((len(rows), max(len(r) for r in rows)), pad, dtype=np.int64)
    for r, row in enumerate(rows):
        out[r, : len(row)] = row
    return torch.from_numpy(out)


def collate(data: Tokenized, index: np.ndarray, pad: int) -> Batch:
    srcs = [data.src[i] for i in index]
    tgts = [data.tgt[i] for i in index]
    src_t, tgt_t = pad_rows(srcs, pad), pad_rows(tgts, pad)
    (B, S), T = src_t.shape, tgt_t.shape[1] - 1
    n_tokens = sum(len(t) - 1 for t in tgts)
    return Batch(src_t, src_t != pad, tgt_t[:, :-1].clone(), tgt_t[:, 1:].clone(), n_tokens,
                 n_real=sum(len(s) for s in srcs) + n_tokens, n_padded=B * (S + T))


class BatchStream:
    """Epochs of bucketed batches over dataset folders/files (see the module docstring)."""

    def __init__(self, paths: Sequence[str | Path], vocab: Vocab, max_tokens: int, seed: int,
                 pool_size: int = 2_000_000, rank: int = 0, world: int = 1,
                 exclude: frozenset[str] = frozenset()) -> None:
        if max_tokens < 1:
            raise ValueError("max_tokens must be >= 1")
        self.files = [f for p in paths for f in data_files(p)]
        self.vocab, self.max_tokens, self.seed = vocab, max_tokens, seed
        self.pool_size, self.rank, self.world = pool_size, rank, world
        self.exclude = exclude  # questions (prefix strings) never trained on
        self.excluded = 0
        self._cached: Tokenized | None = None
        self.padding_stats = [0, 0]  # real, padded positions over the batches yielded

    def _pools(self, epoch: int) -> Iterator[Tokenized]:
        if self._cached is not None:
            yield self._cached
            return
        files = [self.files[i] for i in np.random.default_rng([self.seed, epoch, 0]).permutation(len(self.files))]
        pool: list[Example] = []
        first, total = True, 0
        for f in files:
            for ex in iter_examples(f):
                if ex.question in self.exclude:
                    self.excluded += 1
                    continue
                pool.append(ex)
                if len(pool) >= self.pool_size:
                    first = False
                    total += len(pool)
                    data, pool = Tokenized.from_examples(pool, self.vocab), []  # the examples freed
                    yield data
        if pool:
            data, pool = Tokenized.from_examples(pool, self.vocab), []
            if first:  # the whole dataset fits in one pool: keep it for later epochs
                self._cached = data
            yield data

    def epoch(self, epoch: int, skip: int = 0) -> Iterator[Batch]:
        """Batches of ``epoch`` for this rank, after skipping the first ``skip`` of them."""
        n = 0
        for p, data in enumerate(self._pools(epoch)):
            src_len, tgt_len = data.lengths()
            rng = np.random.default_rng([self.seed, epoch, p + 1])
            batches = bucket(src_len, tgt_len, self.max_tokens, rng)
            usable = len(batches) - len(batches) % self.world  # equal counts on every rank
            for index in batches[self.rank:usable:self.world]:
                n += 1
                if n <= skip:
                    continue
                batch = collate(data, index, self.vocab.pad)
                self.padding_stats[0] += batch.n_real
                self.padding_stats[1] += batch.n_padded
                yield batch

    def padding_fraction(self) -> float:
        real, padded = self.padding_stats
        return 1 - real / padded if padded else 0.0
