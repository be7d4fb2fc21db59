"""Decoding and verification speed on this CPU.

1. Cached vs recomputed decoding: the Transformer's ``decode_step`` (key/value cache) against
   re-running the whole decoder over the prefix at every step, for the same 40 output tokens.
2. Beam-10 latency per problem (one problem at a time, as a user types them): median and p90;
   and the time per problem when ``--batch`` problems are decoded together (``--file`` input).
3. Verifier throughput: candidates per second for the numeric stage (wrong candidates, rejected
   there) and for the full pipeline up to the symbolic proof (right candidates).

    python experiments/speed/decode.py --checkpoint runs/learn40 --data data/learn-bwd6/test
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import symseq  # noqa: E402,F401  (its import sets OMP_WAIT_POLICY=PASSIVE before torch loads)

import torch  # noqa: E402

from generators.symbols import X  # noqa: E402
from symseq.nn import checkpoint  # noqa: E402
from symseq.data.batching import Tokenized, collate  # noqa: E402
from symseq.data.dataset import iter_examples  # noqa: E402
from symseq.solve.decode import beam_search  # noqa: E402
from symseq.lang.prefix import from_prefix  # noqa: E402
from symseq.solve.verifier import verify_candidate  # noqa: E402


@torch.no_grad()
def cache_speedup(model, src, mask, vocab_size: int, steps: int = 40,
                  rows: int = 10) -> tuple[float, float]:
    """Seconds for `steps` decoder steps over `rows` hypotheses: (cached, recomputed)."""
    src, mask = src.expand(rows, -1), mask.expand(rows, -1)
    tokens = torch.randint(7, vocab_size, (rows, steps))
    memory = model.encode(src, mask)
    t = time.perf_counter()
    state = None
    for i in range(steps):
        _, state = model.decode_step(tokens[:, : i + 1], memory, state)
    cached = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(steps):
        model(src, mask, tokens[:, : i + 1])  # encoder is re-run too: count only the decoder
    full = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(steps):
        model.encode(src, mask)
    encode = time.perf_counter() - t
    return cached, full - encode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True, help="test problems (dataset folder)")
    ap.add_argument("--problems", type=int, default=50)
    ap.add_argument("--beam", type=int, default=10)
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    model, vocab, config = checkpoint.load(args.checkpoint)
    examples = list(iter_examples(args.data, limit=args.problems))
    data = Tokenized.from_examples(examples, vocab)
    print(f"# model {config['model']['arch']} {model.num_parameters() / 1e6:.2f}M parameters, "
          f"{torch.get_num_threads()} threads")

    b = collate(data, [0], vocab.pad)
    cached, full = cache_speedup(model, b.src, b.src_mask, len(vocab))
    print(f"| decoder, 40 steps x 10 hypotheses | cached {cached:.3f} s | recomputed {full:.3f} s | "
          f"speed-up {full / cached:.1f}x |")

    latencies = []
    for i in range(len(examples)):
        b = collate(data, [i], vocab.pad)
        t = time.perf_counter()
        beam_search(model, vocab, b.src, b.src_mask, beam=args.beam, max_len=128)
        latencies.append(time.perf_counter() - t)
    latencies.sort()
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    print(f"| beam {args.beam}, one problem at a time, {len(examples)} problems | median "
          f"{statistics.median(latencies):.3f} s | p90 {p90:.3f} s | total {sum(latencies):.2f} s |")
    t = time.perf_counter()
    for start in range(0, len(examples), args.batch):
        b = collate(data, list(range(start, min(start + args.batch, len(examples)))), vocab.pad)
        beam_search(model, vocab, b.src, b.src_mask, beam=args.beam, max_len=128)
    batched = time.perf_counter() - t
    print(f"| beam {args.beam}, batches of {args.batch} problems | {batched / len(examples):.3f} s per problem | "
          f"total {batched:.2f} s | {sum(latencies) / batched:.1f}x one at a time |")

    right, wrong = [], []
    for ex in examples:
        q, a = from_prefix(ex.question), from_prefix(ex.answer)
        right.append((q, a))
        wrong.append((q, 2 * a + X))
    for name, pairs in (("wrong candidates (numeric stage)", wrong),
                        ("right candidates (numeric + proof)", right)):
        t = time.perf_counter()
        verdicts = [verify_candidate("integrate", q, c).verdict.value for q, c in pairs]
        dt = time.perf_counter() - t
        counts = {v: verdicts.count(v) for v in sorted(set(verdicts))}
        print(f"| verifier, {name} | {len(pairs) / dt:.1f} candidates/s | verdicts {counts} |")


if __name__ == "__main__":
    main()
