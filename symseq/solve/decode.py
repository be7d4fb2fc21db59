"""Batched, grammar-constrained beam search (greedy = beam 1) over the Seq2Seq interface.

``beam_search(model, vocab, src, src_mask, beam=K, max_len=L)`` decodes B problems x K beams at
once and returns, per problem, up to K finished hypotheses ``(tokens, score)`` best first, where
``score`` is the summed log-probability divided by ``length ** length_penalty``.

Grammar constraint (``PrefixGrammar``): every hypothesis carries the number of subtrees still
owed (1 at the start; an operator of arity a adds a - 1, a leaf or an integer's sign token
takes 1) and whether it is inside an integer.  A token is allowed only if the sequence can still
be completed within ``max_len`` (owed subtrees + a digit if one is due + ``<eos>``), and
``<eos>`` only when nothing is owed.  So every returned candidate is a complete prefix tree.

The model is only reached through ``encode`` / ``decode_step`` / ``reorder``; the cache makes
each step cost the same at any length.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from symseq.lang import grammar
from symseq.lang.vocab import Vocab

NEG_INF = float("-inf")


class PrefixGrammar:
    """Per-token tables for the arity constraint, on a given vocabulary."""

    def __init__(self, vocab: Vocab) -> None:
        V = len(vocab)
        self.eos = vocab.eos
        self.delta = torch.zeros(V, dtype=torch.long)  # change in owed subtrees
        self.is_digit = torch.zeros(V, dtype=torch.bool)
        self.is_sign = torch.zeros(V, dtype=torch.bool)
        self.usable = torch.zeros(V, dtype=torch.bool)  # tokens of the expression language
        for tok in grammar.ALL_TOKENS:
            if tok not in vocab:
                continue
            i = vocab.id(tok)
            self.usable[i] = True
            if tok in grammar.DIGITS:
                self.is_digit[i] = True
            elif tok in (grammar.INT_POS, grammar.INT_NEG):
                self.is_sign[i] = True
                self.delta[i] = -1
            else:
                self.delta[i] = grammar.arity(tok) - 1

    def mask(self, owed: torch.Tensor, need_digit: torch.Tensor, in_int: torch.Tensor,
             remaining: int) -> torch.Tensor:
        """Allowed next tokens (N, V) for N hypotheses with ``remaining`` tokens left (incl. eos)."""
        after = owed[:, None] + self.delta[None, :]
        cost = after + self.is_sign.long()[None, :] + 1  # tokens still needed after this one
        ok = self.usable[None, :] & (cost <= remaining - 1)
        structural = ~self.is_digit[None, :]
        ok &= ~(structural & need_digit[:, None])  # a sign must be followed by a digit
        ok &= ~(structural & (owed[:, None] < 1))  # nothing owed: only digits or eos
        ok &= ~(self.is_digit[None, :] & ~(need_digit | in_int)[:, None])
        eos_ok = (owed == 0) & ~need_digit
        ok[:, self.eos] = eos_ok
        return ok

    def advance(self, owed, need_digit, in_int, tokens):
        """State after appending ``tokens`` (N,): (owed, need_digit, in_int)."""
        digit, sign = self.is_digit[tokens], self.is_sign[tokens]
        return owed + self.delta[tokens], sign, digit | sign


@dataclass
class Hypothesis:
    tokens: list[str]
    score: float  # normalised log-probability
    log_prob: float


def _normalise(log_prob: float, length: int, penalty: float) -> float:
    return log_prob / (max(length, 1) ** penalty)


@torch.no_grad()
def beam_search(model, vocab: Vocab, src: torch.Tensor, src_mask: torch.Tensor, *, beam: int = 10,
                max_len: int = 200, length_penalty: float = 1.0,
                grammar_constraint: PrefixGrammar | None = None,
                time_limit: float | None = None, exact: bool = False) -> list[list[Hypothesis]]:
    """N-best lists (best first) for each of the B sources.

    A problem is done once K hypotheses have finished and no live one can beat the worst of
    them.  "Can beat" is judged at the live hypothesis's next possible length (the usual
    heuristic: a live hypothesis's log-probability only falls, but a longer one is divided by a
    larger length); ``exact=True`` judges it at ``max_len`` instead, which is a true bound but
    decodes nearly every step up to ``max_len``.

    With ``time_limit`` (seconds), decoding stops when it is spent and returns the hypotheses
    finished so far (possibly none)."""
    import time

    stop_at = None if time_limit is None else time.perf_counter() + time_limit
    g = grammar_constraint or PrefixGrammar(vocab)
    B, K, device = src.shape[0], beam, src.device
    memory = model.encode(src, src_mask)
    rows = torch.arange(B, device=device).repeat_interleave(K)
    memory, state = model.reorder(memory, None, rows)
    tokens = torch.full((B * K, 1), vocab.bos, dtype=torch.long, device=device)
    scores = torch.full((B, K), NEG_INF, device=device)
    scores[:, 0] = 0.0
    owed = torch.ones(B * K, dtype=torch.long)
    need_digit = torch.zeros(B * K, dtype=torch.bool)
    in_int = torch.zeros(B * K, dtype=torch.bool)
    finished: list[list[Hypothesis]] = [[] for _ in range(B)]
    done = torch.zeros(B, dtype=torch.bool)
    for t in range(max_len):
        log_probs, state = model.decode_step(tokens, memory, state)  # (B*K, V)
        allowed = g.mask(owed, need_digit, in_int, max_len - t).to(device)
        log_probs = log_probs.masked_fill(~allowed, NEG_INF)
        V = log_probs.shape[1]
        cand = (scores.view(B * K, 1) + log_probs).view(B, K * V)
        top_scores, top_idx = cand.topk(min(2 * K, K * V), dim=1)
        next_rows, next_tokens, next_scores = [], [], []
        for b in range(B):
            picked = 0
            for s, idx in zip(top_scores[b].tolist(), top_idx[b].tolist()):
                if s == NEG_INF or picked == K:
                    break
                k, tok = divmod(idx, V)
                if tok == vocab.eos:
                    if not done[b]:
                        seq = tokens[b * K + k, 1:].tolist()
                        finished[b].append(Hypothesis(vocab.decode(seq),
                                                      _normalise(s, len(seq) + 1, length_penalty), s))
                    continue
                next_rows.append(b * K + k)
                next_tokens.append(tok)
                next_scores.append(s)
                picked += 1
            while picked < K:  # pad the beam with dead hypotheses
                next_rows.append(b * K)
                next_tokens.append(vocab.eos)
                next_scores.append(NEG_INF)
                picked += 1
            alive_best = max(next_scores[-K:])
            if len(finished[b]) >= K:
                worst = sorted(h.score for h in finished[b])[-K]
                best_len = max_len if exact else t + 2  # t + 1 tokens so far, then at least <eos>
                bound = _normalise(alive_best, best_len, length_penalty) if alive_best > NEG_INF else NEG_INF
                if bound < worst:
                    done[b] = True
            if alive_best == NEG_INF:
                done[b] = True
        if bool(done.all()) or (stop_at is not None and time.perf_counter() > stop_at):
            break
        index = torch.tensor(next_rows, device=device)
        new_tok = torch.tensor(next_tokens, device=device)
        tokens = torch.cat([tokens[index], new_tok[:, None]], dim=1)
        scores = torch.tensor(next_scores, device=device).view(B, K)
        if hasattr(model, "reorder_state"):  # the memory stays (~60 MB a step at K = 200)
            state = model.reorder_state(state, index)
        else:
            memory, state = model.reorder(memory, state, index)
        cpu_index, cpu_tok = index.cpu(), new_tok.cpu()
        owed, need_digit, in_int = g.advance(owed[cpu_index], need_digit[cpu_index],
                                             in_int[cpu_index], cpu_tok)
    return [sorted(f, key=lambda h: -h.score)[:K] for f in finished]


def greedy(model, vocab: Vocab, src: torch.Tensor, src_mask: torch.Tensor,
           max_len: int = 200) -> list[list[str] | None]:
    """The single greedy (beam 1) hypothesis per source, or None if none finished."""
    out = beam_search(model, vocab, src, src_mask, beam=1, max_len=max_len, length_penalty=0.0)
    return [h[0].tokens if h else None for h in out]
