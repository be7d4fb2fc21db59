"""Models behind one interface (``symseq.nn.models.base.Seq2Seq``); ``build_model`` is the factory.

``config_from_dict`` turns the JSON stored in a checkpoint back into the frozen config.
"""

from __future__ import annotations

import dataclasses

from symseq.nn.models.base import Seq2Seq
from symseq.nn.models.rnn import RNNConfig, RNNSeq2Seq
from symseq.nn.models.transformer import Transformer, TransformerConfig

ModelConfig = TransformerConfig | RNNConfig


def build_model(config: ModelConfig, vocab) -> Seq2Seq:
    if isinstance(config, TransformerConfig):
        return Transformer(config, len(vocab), vocab.pad)
    if isinstance(config, RNNConfig):
        return RNNSeq2Seq(config, len(vocab), vocab.pad)
    raise TypeError(f"unknown model config {type(config).__name__}")


def model_config(arch: str, d_model: int, layers: int, *, heads: int = 8, attention: str = "bahdanau",
                 dropout: float = 0.0) -> ModelConfig:
    """The config of one architecture from the CLI's few knobs (``arch``: transformer, lstm, gru;
    a Transformer gets ``layers`` encoder and decoder layers and d_ff = 4 d_model)."""
    if arch == "transformer":
        return TransformerConfig(d_model=d_model, n_heads=heads, enc_layers=layers, dec_layers=layers,
                                 d_ff=4 * d_model, dropout=dropout)
    return RNNConfig(arch, d_model, layers, attention, dropout=dropout)


def config_from_dict(d: dict) -> ModelConfig:
    """Inverse of ``dataclasses.asdict`` for model configs (raises ValueError on bad input)."""
    if not isinstance(d, dict):
        raise ValueError("model config must be a JSON object")
    cls = TransformerConfig if d.get("arch") == "transformer" else RNNConfig
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(d) - names
    if unknown:
        raise ValueError(f"unknown model config fields {sorted(unknown)}")
    try:
        return cls(**d)
    except TypeError as err:
        raise ValueError(f"bad model config: {err}") from None


__all__ = ["Seq2Seq", "ModelConfig", "RNNConfig", "TransformerConfig", "build_model",
           "config_from_dict", "model_config"]
