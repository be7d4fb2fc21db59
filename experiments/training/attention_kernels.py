"""Masked attention, forward + backward, on this CPU: which kernel each dtype and mask form gets.

Issue 13: with bf16 autocast and an explicit padding mask, ``scaled_dot_product_attention``'s
backward pass was measured 4x slower than the math kernel.  This times the encoder's
self-attention shape (batch, heads, length, head width of the 256-wide Transformer) under each
variant, median of ``--repeats`` runs after warm-up, one thread.

    taskset -c 0 python experiments/training/attention_kernels.py
"""

from __future__ import annotations

import argparse
import statistics
import time

import symseq  # noqa: F401  (OMP_WAIT_POLICY before torch loads)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.attention import SDPBackend, sdpa_kernel  # noqa: E402


def _time(fn, repeats: int) -> float:
    for _ in range(3):
        fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--length", type=int, default=80)
    ap.add_argument("--head-dim", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    B, H, L, D = args.batch, args.heads, args.length, args.head_dim
    lengths = torch.randint(L // 2, L + 1, (B,))
    keep = torch.arange(L)[None, :] < lengths[:, None]  # True = attend
    bool_mask = keep[:, None, None, :]
    float_mask = torch.zeros(B, 1, 1, L).masked_fill(~bool_mask, float("-inf"))

    def step(dtype, mask, backend=None, upcast=False):
        q, k, v = (torch.randn(B, H, L, D, requires_grad=True) for _ in range(3))

        def run():
            ctx = torch.autocast("cpu", dtype=torch.bfloat16) if dtype == "bf16" else torch.autocast("cpu", enabled=False)
            with ctx:
                qq, kk, vv = (t.to(torch.bfloat16) if dtype == "bf16" else t for t in (q, k, v))
                if upcast:  # bf16 activations, attention itself in fp32
                    qq, kk, vv = qq.float(), kk.float(), vv.float()
                if backend is None:
                    y = F.scaled_dot_product_attention(qq, kk, vv, attn_mask=mask)
                else:
                    with sdpa_kernel(backend):
                        y = F.scaled_dot_product_attention(qq, kk, vv, attn_mask=mask)
            y.float().sum().backward()
        return run

    rows = [
        ("fp32, bool mask, default kernel", step("fp32", bool_mask)),
        ("fp32, bool mask, math kernel", step("fp32", bool_mask, SDPBackend.MATH)),
        ("bf16, no mask, default kernel", step("bf16", None)),
        ("bf16, bool mask, default kernel", step("bf16", bool_mask)),
        ("bf16, float mask, default kernel", step("bf16", float_mask.to(torch.bfloat16))),
        ("bf16, bool mask, math kernel", step("bf16", bool_mask, SDPBackend.MATH)),
        ("bf16, bool mask, attention in fp32", step("bf16", bool_mask, upcast=True)),
    ]
    print(f"B={B} heads={H} L={L} head dim={D}, forward + backward, median of {args.repeats}, 1 thread")
    for name, fn in rows:
        print(f"{name:36s} {1000 * _time(fn, args.repeats):7.2f} ms")


if __name__ == "__main__":
    main()
