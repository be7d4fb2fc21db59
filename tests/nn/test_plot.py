"""Training curves: a PNG from metrics.jsonl, a clear error when there is nothing to plot."""

import json

import pytest

from symseq.nn.plot import PlotError, plot_run


def test_plot_run_writes_a_png(tmp_path):
    rows = [{"step": s, "loss": 1.0 / s, "tokens_per_s": 100.0, "seconds": s} for s in range(1, 6)]
    rows.append({"step": 5, "loss": 0.2, "valid_loss": 0.3, "valid_token_acc": 0.5, "valid_seq_acc": 0.1,
                 "tokens_per_s": 100.0, "seconds": 5})
    (tmp_path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = plot_run(tmp_path)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_nothing_to_plot_is_a_plot_error(tmp_path):
    with pytest.raises(PlotError):
        plot_run(tmp_path)
