import numpy as np
import pytest
import torch

from symseq.data.batching import BatchStream, Tokenized, bucket, collate, encode_example
from symseq.data.dataset import Example
from symseq.lang.vocab import Vocab

VOCAB = Vocab.from_grammar()


def _write_dataset(path, n, seed=0):
    rng = np.random.default_rng(seed)
    path.mkdir()
    lines = []
    for i in range(n):
        q = " ".join(["add", "x"] * int(rng.integers(0, 20)) + ["INT+", *str(i)])
        a = " ".join(["mul", "x"] * int(rng.integers(0, 10)) + ["x"])
        lines.append(Example("bwd", q, a).to_line())
    (path / "part-000-of-001-000000.txt").write_text("".join(lines))
    return lines


def test_encode_example_adds_task_and_boundaries():
    src, tgt = encode_example(Example("ode1", "f'", "c1"), VOCAB)
    assert src == [VOCAB.id("<ode1>"), VOCAB.id("f'")]
    assert tgt == [VOCAB.bos, VOCAB.id("c1"), VOCAB.eos]


def test_bucket_covers_every_example_once_within_budget():
    rng = np.random.default_rng(0)
    src_len, tgt_len = rng.integers(3, 80, 5000), rng.integers(3, 40, 5000)
    batches = bucket(src_len, tgt_len, 2000, np.random.default_rng(1))
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == list(range(5000))
    for b in batches:
        assert len(b) * (src_len[b].max() + tgt_len[b].max()) <= 2000 or len(b) == 1


def test_collate_shapes_and_masks():
    data = Tokenized.from_examples([Example("bwd", "x", "x"), Example("bwd", "add x x", "mul x x")], VOCAB)
    b = collate(data, np.array([0, 1]), VOCAB.pad)
    assert b.src.shape == (2, 4) and b.src_mask.sum().item() == 2 + 4
    assert b.tgt_in[:, 0].tolist() == [VOCAB.bos] * 2
    assert b.tgt_out[0].tolist() == [VOCAB.id("x"), VOCAB.eos, VOCAB.pad, VOCAB.pad]
    assert b.n_tokens == 2 + 4


@pytest.mark.parametrize("pool_size", [10_000, 37])
def test_stream_epochs_are_complete_deterministic_and_differ(tmp_path, pool_size):
    _write_dataset(tmp_path / "d", 300)
    stream = BatchStream([tmp_path / "d"], VOCAB, max_tokens=400, seed=5, pool_size=pool_size)
    first = [b.src.tolist() for b in stream.epoch(0)]
    again = [b.src.tolist() for b in BatchStream([tmp_path / "d"], VOCAB, 400, 5, pool_size).epoch(0)]
    assert first == again
    assert sum(len(b) for b in first) == 300
    assert [b.src.tolist() for b in stream.epoch(1)] != first


def test_skip_resumes_the_same_order(tmp_path):
    _write_dataset(tmp_path / "d", 200)
    full = [b.src for b in BatchStream([tmp_path / "d"], VOCAB, 300, 1).epoch(0)]
    resumed = [b.src for b in BatchStream([tmp_path / "d"], VOCAB, 300, 1).epoch(0, skip=4)]
    assert len(resumed) == len(full) - 4
    assert all(torch.equal(a, b) for a, b in zip(full[4:], resumed))


def test_ranks_split_the_batches(tmp_path):
    _write_dataset(tmp_path / "d", 200)
    r0 = [b.src for b in BatchStream([tmp_path / "d"], VOCAB, 300, 1, rank=0, world=2).epoch(0)]
    r1 = [b.src for b in BatchStream([tmp_path / "d"], VOCAB, 300, 1, rank=1, world=2).epoch(0)]
    assert len(r0) == len(r1) > 0
    assert not any(torch.equal(a, b) for a in r0 for b in r1 if a.shape == b.shape)


def test_bucketing_keeps_padding_low(tmp_path):
    _write_dataset(tmp_path / "d", 20000)
    stream = BatchStream([tmp_path / "d"], VOCAB, max_tokens=2000, seed=0)
    list(stream.epoch(0))
    assert stream.padding_fraction() < 0.10
