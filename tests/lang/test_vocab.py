import json

import pytest

from symseq.lang import grammar
from symseq.lang.vocab import SPECIAL_TOKENS, Vocab, VocabError


def test_vocab_covers_the_grammar_and_specials():
    v = Vocab.from_grammar()
    for tok in grammar.ALL_TOKENS + SPECIAL_TOKENS:
        assert tok in v
    assert len({v.pad, v.bos, v.eos, v.unk}) == 4
    assert v.decode(v.encode(["add", "x", "INT+", "3"])) == ["add", "x", "INT+", "3"]


def test_unknown_token_is_named():
    with pytest.raises(KeyError, match="erf"):
        Vocab.from_grammar().encode(["x", "erf"])


def test_save_and_load_round_trip(tmp_path):
    v = Vocab.from_grammar()
    v.save(tmp_path / "vocab.json")
    assert Vocab.load(tmp_path / "vocab.json") == v


@pytest.mark.parametrize("content", ["not json", json.dumps({"tokens": ["a"]}),
                                     json.dumps({"format": "symseq-vocab/1", "tokens": ["a", "a"]})])
def test_corrupt_vocab_files_raise_vocab_error(tmp_path, content):
    (tmp_path / "v.json").write_text(content)
    with pytest.raises(VocabError):
        Vocab.load(tmp_path / "v.json")
