"""Distillation: every pair kept is an engine's answer the verifier proved, reproducibly drawn,
resumable, and never a question of an excluded collection."""

import json

import numpy as np
import pytest
import sympy as sp

from generators.symbols import X
from generators.written import written_integrand
from symseq.data.dataset import DatasetError, iter_examples
from symseq.lang.prefix import from_prefix, to_prefix, tokens_to_str
from symseq.numerics.numeric import Check, check_zero
from symseq.solve.distill import MANIFEST, DistillSettings, distill
from symseq.solve.engines import available

needs_engines = pytest.mark.skipif(not (available("fricas") and available("maxima")),
                                   reason="FriCAS and Maxima are not installed here")


def test_a_folder_that_is_not_a_distillation_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DatasetError, match="not empty"):
        distill(tmp_path, 5, DistillSettings(engines=("sympy",), chunk=5))
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("manifest", ["[]", "null", "{not json", '{"format": "symseq-distill/1"}'])
def test_a_corrupt_manifest_is_a_clear_error(tmp_path, manifest):
    (tmp_path / MANIFEST).write_text(manifest)
    with pytest.raises(DatasetError, match="cannot be read"):
        distill(tmp_path, 5, DistillSettings(engines=("sympy",), chunk=5))
    assert (tmp_path / MANIFEST).read_text() == manifest


@pytest.mark.slow
@needs_engines
def test_pairs_are_proved_answers_and_the_run_resumes(tmp_path):
    settings = DistillSettings(seed=1, seconds=2.0, chunk=8)
    first = tokens_to_str(to_prefix(written_integrand(np.random.default_rng([1, 0]))))
    state = distill(tmp_path, 8, settings, exclude={first})
    examples = list(iter_examples(tmp_path))
    assert state.chunks == 1 and state.pairs == len(examples) >= 3 and state.counts["excluded"] == 1
    assert first not in {ex.question for ex in examples}
    for ex in examples:
        assert ex.task == "written"
        question, answer = from_prefix(ex.question), from_prefix(ex.answer)
        assert check_zero(sp.diff(answer, X) - question) is Check.ZERO
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["state"]["pairs_per_core_hour"] > 0
    again = distill(tmp_path, 8, settings, exclude={first})  # done already: nothing redrawn
    assert again.draws == 8 and list(iter_examples(tmp_path)) == examples
    with pytest.raises(DatasetError, match="other settings"):
        distill(tmp_path, 16, DistillSettings(seed=2, seconds=2.0, chunk=8))
    with pytest.raises(DatasetError, match="exclusions"):  # resumed without the exclusions it began with
        distill(tmp_path, 16, settings)
