"""Training loop: teacher forcing, label-smoothed cross-entropy, AdamW, warmup + inverse-sqrt decay.

``train(model_config, cfg, run)`` reads top to bottom: set up (threads, device, DDP), build or
resume, then loop over bucketed batches until ``max_steps`` or ``minutes``; log to
``metrics.jsonl``; evaluate on ``valid`` every ``eval_every`` steps; checkpoint every
``checkpoint_minutes`` and at the end (also on Ctrl-C); at each of ``snapshot_minutes`` of
training, also export the weights to ``run/at-<m>min`` (points of a learning curve).  A resumed
run restores weights, optimizer moments, schedule, RNG and data position, so it continues exactly where it stopped.

Distributed: under ``torchrun`` (``WORLD_SIZE`` > 1) the model is wrapped in
DistributedDataParallel (gloo on CPU, NCCL on GPU); each rank takes every w-th batch; only
rank 0 writes logs and checkpoints.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
import torch.distributed as dist
import torch.nn.functional as F

from symseq.nn import checkpoint
from symseq.data.batching import Batch, BatchStream
from symseq.io import atomic_write_text
from symseq.nn.models import ModelConfig, build_model, config_from_dict
from symseq.lang.vocab import Vocab


@dataclass(frozen=True)
class TrainConfig:
    data: tuple[str, ...]
    valid: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # datasets or JSONL suites whose questions are never trained on
    max_tokens: int = 4000  # tokens (source + target, with padding) per batch
    lr: float = 5e-4
    warmup: int = 500
    weight_decay: float = 0.01
    label_smoothing: float = 0.1
    clip: float = 1.0
    accum: int = 1  # gradient accumulation steps
    max_steps: int | None = None
    minutes: float | None = None
    bf16: bool = False
    seed: int = 0
    log_every: int = 20
    eval_every: int = 500
    checkpoint_minutes: float = 5.0
    max_valid: int = 2000  # validation examples used per evaluation
    snapshot_minutes: tuple[float, ...] = ()  # also export the weights to run/at-<m>min at these

    def __post_init__(self) -> None:
        if not self.data:
            raise ValueError("no training data given")
        if self.max_steps is None and self.minutes is None:
            raise ValueError("give max_steps or minutes (or both)")
        if self.accum < 1 or self.max_tokens < 1 or self.lr <= 0:
            raise ValueError("accum, max_tokens and lr must be positive")


def lr_factor(step: int, warmup: int) -> float:
    """Linear warmup to 1, then inverse square-root decay (no need to know the run's length)."""
    step = max(step, 1)
    return min(step / max(warmup, 1), math.sqrt(max(warmup, 1) / step))


def snapshot_name(minutes: float) -> str:
    """The folder, inside a run, of the weights exported after ``minutes`` of training."""
    return f"at-{minutes:g}min"


def loss_fn(logits: torch.Tensor, batch: Batch, pad: int, smoothing: float) -> torch.Tensor:
    """Mean cross-entropy per real target token."""
    return F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), batch.tgt_out.reshape(-1),
                           ignore_index=pad, label_smoothing=smoothing, reduction="sum") / batch.n_tokens


@torch.no_grad()
def evaluate(model, stream: BatchStream, pad: int, device, bf16: bool) -> dict:
    """Validation loss, token accuracy and exact-sequence accuracy (teacher forced)."""
    model.eval()
    total = tokens = correct = seqs = seq_ok = 0
    for batch in stream.epoch(0):
        batch = batch.to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            logits = model(batch.src, batch.src_mask, batch.tgt_in)
        total += loss_fn(logits, batch, pad, 0.0).item() * batch.n_tokens
        real = batch.tgt_out != pad
        hit = (logits.argmax(-1) == batch.tgt_out) & real
        tokens += batch.n_tokens
        correct += hit.sum().item()
        seqs += real.shape[0]
        seq_ok += (hit | ~real).all(dim=1).sum().item()
    model.train()
    return {"valid_loss": total / max(tokens, 1), "valid_token_acc": correct / max(tokens, 1),
            "valid_seq_acc": seq_ok / max(seqs, 1)}


def is_main_process() -> bool:
    """Rank 0 under torchrun, or the only process."""
    return os.environ.get("RANK", "0") == "0"


def set_threads(threads: int | None = None) -> int:
    """Torch threads for this process: ``threads``, or the usable cores shared among the
    torchrun processes of this machine."""
    from symseq.sandbox import cpu_count

    world = int(os.environ.get("WORLD_SIZE", "1"))
    n = threads or max(1, cpu_count() // world)
    torch.set_num_threads(n)
    return n


def _setup_distributed() -> tuple[int, int, torch.device]:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    cuda = torch.cuda.is_available()
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if cuda else "gloo")
    rank = dist.get_rank() if world > 1 else 0
    if cuda:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        return rank, world, torch.device("cuda", local)
    return rank, world, torch.device("cpu")


def _truncate_metrics(path: Path, step: int) -> None:
    """Drop log lines written after the checkpoint we resume from."""
    if not path.exists():
        return
    keep = [line for line in path.read_text().splitlines() if line.strip()
            and json.loads(line).get("step", 0) <= step]
    atomic_write_text(path, "".join(line + "\n" for line in keep))


def train(model_config: ModelConfig | None, cfg: TrainConfig, run: str | Path, *,
          resume: bool = False, init_from: str | Path | None = None,
          progress: Callable[[dict], None] | None = None) -> dict:
    """Train (or resume) into folder ``run``; returns the last logged metrics.

    ``init_from`` starts a new run from another checkpoint's weights (its architecture and
    vocabulary; fresh optimizer and schedule): fine-tuning, or a curriculum stage.
    """
    run = Path(run)
    rank, world, device = _setup_distributed()
    torch.manual_seed(cfg.seed)
    vocab = Vocab.from_grammar()
    pos = {"step": 0, "epoch": 0, "batch": 0, "seconds": 0.0, "tokens": 0}
    source = run if resume else init_from  # whose architecture and vocabulary to take
    if source is not None:
        saved = checkpoint.read_config(source)
        model_config = config_from_dict(saved["model"])
        vocab = Vocab.from_json(saved["vocab"])
    if model_config is None:
        raise ValueError("model_config is required for a new run")
    model = build_model(model_config, vocab).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay,
                            betas=(0.9, 0.98))
    if resume:
        model.load_state_dict(checkpoint.load(run, device)[0].state_dict())
        tensors, state = checkpoint.load_resume(run, saved["step"])
        checkpoint.optimizer_from_tensors(opt, tensors, state["optimizer"])
        torch.set_rng_state(tensors["rng.torch"])
        pos = state["position"]
        if rank == 0:
            _truncate_metrics(run / "metrics.jsonl", pos["step"])
    elif rank == 0 and (run / checkpoint.CONFIG_FILE).exists():
        raise ValueError(f"{run} already holds a run; use --resume to continue it or another --out")
    if init_from is not None and not resume:
        model.load_state_dict(checkpoint.load(init_from, device)[0].state_dict())
    ddp = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    excluded = frozenset()
    if cfg.exclude:
        from symseq.data.dataset import question_keys

        excluded = frozenset(question_keys(list(cfg.exclude)))
    stream = BatchStream(cfg.data, vocab, cfg.max_tokens, cfg.seed, rank=rank, world=world,
                         exclude=excluded)
    valid = BatchStream(cfg.valid, vocab, cfg.max_tokens, seed=0) if cfg.valid else None
    train_json = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(cfg).items()}
    if init_from is not None:
        train_json["init_from"] = str(init_from)
    run.mkdir(parents=True, exist_ok=True)
    log = open(run / "metrics.jsonl", "a") if rank == 0 else None

    started, last_ckpt = time.monotonic(), time.monotonic()
    base_seconds = pos["seconds"]
    window = {"loss": 0.0, "tokens": 0, "real": 0, "data_s": 0.0, "step_s": 0.0,
              "t0": time.monotonic()}
    metrics: dict = {}

    def elapsed() -> float:
        return base_seconds + time.monotonic() - started

    def save() -> None:
        if rank != 0:
            return
        pos["seconds"] = elapsed()
        tensors, info = checkpoint.optimizer_to_tensors(opt)
        tensors["rng.torch"] = torch.get_rng_state()
        checkpoint.save(run, model, vocab, step=pos["step"], train_config=train_json, metrics=metrics,
                        data={"train": list(cfg.data), "valid": list(cfg.valid)},
                        resume={"tensors": tensors, "json": {"optimizer": info, "position": dict(pos)}})

    # snapshots not taken yet (a resumed run keeps those it has); checked once per step.  A minute
    # the run had already passed when it resumed is skipped: its weights from then are gone, and
    # today's under that name would be a wrong curve point.
    snapshots_left = [m for m in cfg.snapshot_minutes
                      if not (run / snapshot_name(m)).exists() and m * 60 > base_seconds]

    def snapshot_due() -> list[float]:
        return [m for m in snapshots_left if elapsed() >= m * 60]

    def snapshot(minutes: list[float]) -> None:
        nonlocal metrics
        for m in minutes:
            snapshots_left.remove(m)
        if rank != 0:
            return
        # the exported config's metrics say exactly when it was taken (a curve's x axes)
        metrics = {**metrics, "step": pos["step"], "seconds": round(elapsed(), 1),
                   "tokens_seen": pos["tokens"]}
        save()
        for m in minutes:
            checkpoint.export(run, run / snapshot_name(m), bf16=False)

    def done() -> bool:
        return (cfg.max_steps is not None and pos["step"] >= cfg.max_steps) or \
            (cfg.minutes is not None and elapsed() >= cfg.minutes * 60)

    model.train()
    try:
        while not done():
            batches = stream.epoch(pos["epoch"], skip=pos["batch"])
            t_data = time.monotonic()
            seen = 0
            for batch in batches:
                seen += 1
                batch = batch.to(device)
                t_step = time.monotonic()
                window["data_s"] += t_step - t_data
                with torch.autocast(device.type, dtype=torch.bfloat16, enabled=cfg.bf16):
                    logits = ddp(batch.src, batch.src_mask, batch.tgt_in)
                loss = loss_fn(logits, batch, vocab.pad, cfg.label_smoothing)
                (loss / cfg.accum).backward()
                pos["batch"] += 1
                window["loss"] += loss.item() * batch.n_tokens
                window["tokens"] += batch.n_tokens
                window["real"] += batch.n_real
                pos["tokens"] += batch.n_real
                if pos["batch"] % cfg.accum == 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
                    for g in opt.param_groups:
                        g["lr"] = cfg.lr * lr_factor(pos["step"] + 1, cfg.warmup)
                    opt.step()
                    opt.zero_grad(set_to_none=True)
                    pos["step"] += 1
                window["step_s"] += time.monotonic() - t_step
                if pos["batch"] % cfg.accum == 0:
                    if pos["step"] % cfg.log_every == 0:
                        metrics = _log_window(window, pos, opt, elapsed())
                        if valid is not None and pos["step"] % cfg.eval_every == 0:
                            metrics.update(evaluate(model, valid, vocab.pad, device, cfg.bf16))
                        if log is not None:
                            log.write(json.dumps(metrics) + "\n")
                            log.flush()
                        if progress is not None and rank == 0:
                            progress(metrics)
                    due = snapshot_due()
                    if due:
                        snapshot(due)
                        last_ckpt = time.monotonic()
                    elif time.monotonic() - last_ckpt > cfg.checkpoint_minutes * 60:
                        save()
                        last_ckpt = time.monotonic()
                    if done():
                        break
                t_data = time.monotonic()
            else:
                if seen == 0 and pos["batch"] == 0:
                    raise ValueError("the training data holds no batches")
                pos["epoch"] += 1
                pos["batch"] = 0
    except KeyboardInterrupt:
        save()
        raise
    if valid is not None:
        metrics.update(evaluate(model, valid, vocab.pad, device, cfg.bf16))
    save()
    if log is not None:
        log.close()
    return metrics


def _log_window(window: dict, pos: dict, opt, seconds: float) -> dict:
    now = time.monotonic()
    span = max(now - window["t0"], 1e-9)
    busy = window["data_s"] + window["step_s"]
    metrics = {"step": pos["step"], "epoch": pos["epoch"],
               "loss": window["loss"] / max(window["tokens"], 1),
               "lr": opt.param_groups[0]["lr"], "tokens_per_s": window["real"] / span,
               "data_frac": window["data_s"] / busy if busy else 0.0,
               "seconds": round(seconds, 1), "tokens_seen": pos["tokens"]}
    window.update(loss=0.0, tokens=0, real=0, data_s=0.0, step_s=0.0, t0=now)
    return metrics
