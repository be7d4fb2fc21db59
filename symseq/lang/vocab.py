"""Vocabulary: token <-> id, built from the grammar (never from data).

Special tokens are reached by name (``vocab.pad``, ``vocab.bos``, ``vocab.eos``, ``vocab.unk``),
never by literal ids.  Task tokens (``<integrate>``, ``<ode1>``, ``<ode2>``) let one model serve
several tasks by prefixing the question.  A vocabulary saves to and loads from plain JSON; loading
checks that the file is a vocabulary of this format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from symseq.domain import TASK_TOKENS
from symseq.lang import grammar

SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>", "<unk>")
FORMAT = "symseq-vocab/1"


class VocabError(ValueError):
    """A vocabulary file that cannot be used."""


@dataclass(frozen=True)
class Vocab:
    tokens: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.tokens)) != len(self.tokens):
            raise VocabError("duplicate tokens in vocabulary")
        missing = [t for t in SPECIAL_TOKENS if t not in self.tokens]
        if missing:
            raise VocabError(f"vocabulary lacks special tokens {missing}")
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.tokens)})

    @classmethod
    def from_grammar(cls) -> "Vocab":
        return cls(SPECIAL_TOKENS + TASK_TOKENS + grammar.ALL_TOKENS)

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: str) -> bool:
        return token in self._index

    @property
    def pad(self) -> int:
        return self._index["<pad>"]

    @property
    def bos(self) -> int:
        return self._index["<bos>"]

    @property
    def eos(self) -> int:
        return self._index["<eos>"]

    @property
    def unk(self) -> int:
        return self._index["<unk>"]

    def id(self, token: str) -> int:
        """Id of ``token``; raises KeyError for a token outside the vocabulary."""
        return self._index[token]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Ids of ``tokens``; raises KeyError naming the first unknown token."""
        try:
            return [self._index[t] for t in tokens]
        except KeyError as err:
            raise KeyError(f"token {err.args[0]!r} is not in the vocabulary") from None

    def decode(self, ids: Sequence[int]) -> list[str]:
        return [self.tokens[i] for i in ids]

    def to_json(self) -> dict:
        return {"format": FORMAT, "tokens": list(self.tokens)}

    @classmethod
    def from_json(cls, obj: dict) -> "Vocab":
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise VocabError(f"not a {FORMAT} vocabulary")
        tokens = obj.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise VocabError("vocabulary 'tokens' must be a list of strings")
        return cls(tuple(tokens))

    def save(self, path: str | Path) -> None:
        from symseq.io import atomic_write_text

        atomic_write_text(Path(path), json.dumps(self.to_json(), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> "Vocab":
        try:
            obj = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise VocabError(f"cannot read vocabulary {path}: {err}") from None
        return cls.from_json(obj)
