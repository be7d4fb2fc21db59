import pytest
import sympy as sp

from generators.symbols import C1, F0, F1, X
from symseq.data.dataset import iter_examples
from symseq.data.lc_format import convert_line, import_file, parse_lc_prefix
from symseq.lang.prefix import PrefixError, from_prefix


def test_integration_line():
    ex = convert_line("12|sub Y' mul x cos x\tadd mul x sin x cos x", "bwd")
    assert from_prefix(ex.question) == X * sp.cos(X)
    assert from_prefix(ex.answer) == X * sp.sin(X) + sp.cos(X)


def test_ode_line_maps_constants_and_derivatives():
    ex = convert_line("1|sub Y' Y\tmul a0 exp x", "ode1")
    assert from_prefix(ex.question) == F1 - F0
    assert from_prefix(ex.answer) == C1 * sp.exp(X)


def test_their_operators():
    e = parse_lc_prefix("add inv x add pow2 x rac x INT+ 3".split())
    assert e == 1 / X + X**2 + X ** sp.Rational(1, 3)
    assert parse_lc_prefix("mul INT- 1 2 x".split()) == -12 * X


@pytest.mark.parametrize("line", ["no bar here", "1|sub Y' x", "1|mul x x\tx", "1|sub Y' frob x\tx"])
def test_bad_lines(line):
    with pytest.raises(PrefixError):
        convert_line(line, "bwd")


def test_import_counts_failures(tmp_path):
    src = tmp_path / "lc.txt"
    src.write_text("1|sub Y' mul INT+ 2 x\tpow x INT+ 2\n2|sub Y' sech x\ttanh x\n3|junk\n")
    manifest = import_file(src, "bwd", tmp_path / "out")
    assert manifest["counts"]["kept"] == 1 and manifest["counts"]["lines"] == 3
    assert sum(manifest["counts"]["failed"].values()) == 2
    assert [e.task for e in iter_examples(tmp_path / "out")] == ["bwd"]


def test_their_export_without_the_count_prefix_is_read():
    with_count = convert_line("12|sub Y' mul x cos x\tadd mul x sin x cos x", "bwd")
    plain = convert_line("sub Y' mul x cos x\tadd mul x sin x cos x", "bwd")
    assert plain == with_count
