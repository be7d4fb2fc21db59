"""Beam search driven by a scripted model whose next-token probabilities are written by hand."""

import math

import pytest
import torch

from symseq.lang import grammar
from symseq.solve.decode import PrefixGrammar, beam_search, greedy
from symseq.nn.models import TransformerConfig, build_model
from symseq.lang.prefix import from_prefix
from symseq.lang.vocab import Vocab

VOCAB = Vocab.from_grammar()


class ScriptedModel:
    """decode_step looks up the decoded prefix (as tokens) in ``table``: {prefix: {token: p}}.

    Unlisted tokens share what probability is left; prefixes not in the table give uniform."""

    def __init__(self, table):
        self.table = table

    def encode(self, src, src_mask):
        return {"src": src}

    def reorder(self, memory, state, index):
        return {"src": memory["src"][index]}, state

    def decode_step(self, tokens, memory, state):
        V = len(VOCAB)
        out = torch.empty(tokens.shape[0], V)
        for r, row in enumerate(tokens.tolist()):
            prefix = tuple(VOCAB.decode(row[1:]))
            spec = self.table.get(prefix, {})
            rest = (1 - sum(spec.values())) / (V - len(spec))
            probs = torch.full((V,), rest)
            for tok, p in spec.items():
                probs[VOCAB.id(tok)] = p
            out[r] = probs.log()
        return out, state


def _src(n=1):
    return torch.full((n, 3), VOCAB.id("x")), torch.ones(n, 3, dtype=torch.bool)


TABLE = {
    (): {"x": 0.5, "sin": 0.4},
    ("x",): {"<eos>": 0.9},
    ("sin",): {"x": 0.99},
    ("sin", "x"): {"<eos>": 0.99},
}


def test_exact_n_best_and_scores():
    hyps = beam_search(ScriptedModel(TABLE), VOCAB, *_src(), beam=2, max_len=10, length_penalty=0.0)[0]
    assert [h.tokens for h in hyps] == [["x"], ["sin", "x"]]
    assert hyps[0].score == pytest.approx(math.log(0.5 * 0.9), abs=1e-5)
    assert hyps[1].score == pytest.approx(math.log(0.4 * 0.99 * 0.99), abs=1e-5)


def test_length_penalty_reorders():
    hyps = beam_search(ScriptedModel(TABLE), VOCAB, *_src(), beam=2, max_len=10, length_penalty=1.0)[0]
    # normalised by length (tokens + eos): log(.45)/2 = -0.40 vs log(.392)/3 = -0.31
    assert [h.tokens for h in hyps] == [["sin", "x"], ["x"]]
    exact = beam_search(ScriptedModel(TABLE), VOCAB, *_src(), beam=2, max_len=10, length_penalty=1.0,
                        exact=True)[0]
    assert [(h.tokens, h.score) for h in exact] == [(h.tokens, h.score) for h in hyps]


def test_eos_is_impossible_before_the_tree_is_complete():
    table = {(): {"add": 0.9}, ("add",): {"<eos>": 0.99}}
    hyps = beam_search(ScriptedModel(table), VOCAB, *_src(), beam=3, max_len=6)[0]
    assert hyps and all(from_prefix(h.tokens) is not None for h in hyps)
    assert all(h.tokens[0] == "add" for h in hyps)


def test_integers_need_digits_and_length_limit_is_respected():
    table = {(): {"INT+": 0.99}, ("INT+",): {"<eos>": 0.99}}
    for max_len in (3, 4, 8):
        hyps = beam_search(ScriptedModel(table), VOCAB, *_src(), beam=4, max_len=max_len)[0]
        assert hyps
        for h in hyps:
            assert len(h.tokens) + 1 <= max_len
            from_prefix(h.tokens)


def test_batched_problems_are_independent():
    model = ScriptedModel(TABLE)
    one = beam_search(model, VOCAB, *_src(1), beam=3, max_len=8)
    three = beam_search(model, VOCAB, *_src(3), beam=3, max_len=8)
    assert all([h.tokens for h in b] == [h.tokens for h in one[0]] for b in three)


def test_random_model_outputs_always_parse():
    torch.manual_seed(0)
    model = build_model(TransformerConfig(d_model=32, n_heads=4, enc_layers=1, dec_layers=1,
                                          d_ff=64, max_len=64), VOCAB).eval()
    src, mask = _src(4)
    for beam in (1, 5):
        for hyps in beam_search(model, VOCAB, src, mask, beam=beam, max_len=30):
            assert hyps
            for h in hyps:
                from_prefix(h.tokens)


def test_beam_one_equals_greedy_argmax():
    torch.manual_seed(1)
    model = build_model(TransformerConfig(d_model=32, n_heads=4, enc_layers=1, dec_layers=1,
                                          d_ff=64, max_len=64), VOCAB).eval()
    src, mask = _src(2)
    grammar = PrefixGrammar(VOCAB)
    out = greedy(model, VOCAB, src, mask, max_len=20)
    # reference: step-by-step argmax under the same constraint
    for b in range(2):
        memory = model.encode(src[b:b + 1], mask[b:b + 1])
        tokens, state = torch.tensor([[VOCAB.bos]]), None
        owed, need, inn = torch.ones(1, dtype=torch.long), torch.zeros(1, dtype=torch.bool), torch.zeros(1, dtype=torch.bool)
        seq = []
        for t in range(20):
            lp, state = model.decode_step(tokens, memory, state)
            lp = lp.masked_fill(~grammar.mask(owed, need, inn, 20 - t), float("-inf"))
            tok = int(lp.argmax())
            if tok == VOCAB.eos:
                break
            seq.append(VOCAB.tokens[tok])
            owed, need, inn = grammar.advance(owed, need, inn, torch.tensor([tok]))
            tokens = torch.cat([tokens, torch.tensor([[tok]])], dim=1)
        assert out[b] == seq


def test_time_limit_stops_decoding():
    import time

    torch.manual_seed(0)
    model = build_model(TransformerConfig(d_model=32, n_heads=4, enc_layers=1, dec_layers=1,
                                          d_ff=64, max_len=512), VOCAB).eval()
    src, mask = _src(2)
    t = time.perf_counter()
    out = beam_search(model, VOCAB, src, mask, beam=4, max_len=500, time_limit=0.2)
    assert time.perf_counter() - t < 2.0
    assert len(out) == 2
    for hyps in out:
        for h in hyps:  # complete trees (a very deep one may exceed SymPy's recursion, so count)
            owed = 1
            for tok in h.tokens:
                owed += (grammar.arity(tok) - 1) if tok not in grammar.DIGITS else 0
            assert owed == 0
