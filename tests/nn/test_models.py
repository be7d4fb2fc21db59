"""Every architecture: shapes, decode_step == forward (cache correctness), and learning a copy task."""

import pytest
import torch
import torch.nn.functional as F

from symseq.nn.models import RNNConfig, TransformerConfig, build_model, config_from_dict
from symseq.lang.vocab import Vocab

torch.set_num_threads(1)
VOCAB = Vocab.from_grammar()

CONFIGS = {
    "transformer": TransformerConfig(d_model=32, n_heads=4, enc_layers=2, dec_layers=2, d_ff=64,
                                     max_len=64),
    "transformer-sin": TransformerConfig(d_model=32, n_heads=4, enc_layers=1, dec_layers=2, d_ff=64,
                                         max_len=64, positions="sinusoidal", tie_embeddings=False),
    "lstm-none": RNNConfig("lstm", 32, 2, "none"),
    "lstm-bahdanau": RNNConfig("lstm", 32, 2, "bahdanau"),
    "lstm-dot": RNNConfig("lstm", 32, 1, "dot", bidirectional=False),
    "lstm-bahdanau-1": RNNConfig("lstm", 32, 1, "bahdanau"),
    "gru-general": RNNConfig("gru", 32, 1, "general"),
    "gru-general-2": RNNConfig("gru", 32, 2, "general"),
    "gru-none": RNNConfig("gru", 32, 1, "none", bidirectional=False),
}


def _batch(B=3, S=7, T=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(10, len(VOCAB), (B, S), generator=g)
    src_mask = torch.ones(B, S, dtype=torch.bool)
    src_mask[1, 5:] = False  # padding
    src[~src_mask] = VOCAB.pad
    tgt = torch.randint(10, len(VOCAB), (B, T), generator=g)
    tgt[:, 0] = VOCAB.bos
    return src, src_mask, tgt


@pytest.mark.parametrize("name", CONFIGS)
def test_forward_backward_shapes(name):
    model = build_model(CONFIGS[name], VOCAB)
    src, mask, tgt = _batch()
    logits = model(src, mask, tgt)
    assert logits.shape == (3, 6, len(VOCAB))
    logits.sum().backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)


@pytest.mark.parametrize("name", CONFIGS)
def test_decode_step_matches_forward(name):
    model = build_model(CONFIGS[name], VOCAB).eval()
    src, mask, tgt = _batch()
    with torch.no_grad():
        full = F.log_softmax(model(src, mask, tgt), dim=-1)
        memory, state = model.encode(src, mask), None
        for t in range(tgt.shape[1]):
            step, state = model.decode_step(tgt[:, : t + 1], memory, state)
            torch.testing.assert_close(step, full[:, t], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", CONFIGS)
def test_reorder_selects_rows(name):
    model = build_model(CONFIGS[name], VOCAB).eval()
    src, mask, tgt = _batch()
    with torch.no_grad():
        memory = model.encode(src, mask)
        _, state = model.decode_step(tgt[:, :1], memory, None)
        index = torch.tensor([2, 2, 0])
        memory2, state2 = model.reorder(memory, state, index)
        a, _ = model.decode_step(tgt[index, :2], memory2, state2)
        full = F.log_softmax(model(src[index], mask[index], tgt[index]), dim=-1)
        torch.testing.assert_close(a, full[:, 1], atol=1e-5, rtol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("name, length", [("transformer", 5), ("lstm-bahdanau-1", 5),
                                          ("lstm-dot", 5), ("gru-general", 5), ("gru-none", 3)])
def test_copy_task_is_learned_in_seconds(name, length):
    torch.manual_seed(0)
    model = build_model(CONFIGS[name], VOCAB)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    digits = torch.tensor([VOCAB.id(str(d)) for d in range(10)])
    for _ in range(500):
        src = digits[torch.randint(0, 10, (32, length))]
        tgt = torch.cat([torch.full((32, 1), VOCAB.bos), src], dim=1)
        logits = model(src, torch.ones_like(src, dtype=torch.bool), tgt[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.1


def test_config_round_trip_and_errors():
    import dataclasses

    for cfg in CONFIGS.values():
        assert config_from_dict(dataclasses.asdict(cfg)) == cfg
    with pytest.raises(ValueError, match="unknown model config fields"):
        config_from_dict({"arch": "lstm", "wings": 2})
    with pytest.raises(ValueError):
        config_from_dict({"arch": "lstm", "attention": "psychic"})
