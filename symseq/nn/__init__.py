"""Neural networks: models/ (one interface), training, crash-safe checkpoints, curves.  Torch
lives here (and in data.batching and the decoding functions of solve)."""
