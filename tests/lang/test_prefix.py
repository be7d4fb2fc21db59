import numpy as np
import pytest
import sympy as sp
from hypothesis import given, strategies as st

from generators.symbols import C1, C2, F0, F1, F2, X
from generators.trees import ExprBuildError, ExprConfig, random_expr
from symseq.lang import grammar
from symseq.lang.prefix import PrefixError, UnsupportedExpressionError, from_prefix, to_prefix

x = X


@pytest.mark.parametrize("expr, tokens", [
    (x * sp.cos(x), "mul x cos x"),
    (-12 * x, "mul INT- 1 2 x"),
    (1 / x, "pow x INT- 1"),
    (sp.Rational(-3, 7), "div INT- 3 INT+ 7"),
    (sp.sqrt(x), "sqrt x"),
    (x - sp.log(x), "add x mul INT- 1 log x"),
    (F1 - F0, "add mul INT- 1 f f'"),
])
def test_known_encodings(expr, tokens):
    assert " ".join(to_prefix(expr)) == tokens
    assert from_prefix(tokens) == expr


def test_nary_add_is_folded_to_binary():
    tokens = to_prefix(x + sp.sin(x) + sp.exp(x) + 3)
    assert tokens.count("add") == 3


@pytest.mark.parametrize("expr", [
    F2 + x * F1 - F0 + C1 * C2, sp.Abs(x) * sp.sign(x), sp.asin(x) / sp.sqrt(x + 1),
    sp.pi * sp.E + sp.I * x, sp.acot(x) + sp.asec(x) + sp.acsc(x) + sp.coth(x) + sp.csc(x),
    sp.Integer(10**30) * x, x ** sp.Rational(3, 2),
])
def test_round_trip_hand_cases(expr):
    assert from_prefix(to_prefix(expr)) == expr


@given(st.integers(0, 2**32 - 1), st.integers(1, 15))
def test_round_trip_random_expressions(seed, n_ops):
    rng = np.random.default_rng(seed)
    try:
        expr = random_expr(ExprConfig(), rng, variables=(X,), n_ops=n_ops)
    except ExprBuildError:
        return  # SymPy's own failure on the tree; generators skip these
    try:
        tokens = to_prefix(expr)
    except UnsupportedExpressionError:
        return  # e.g. zoo from 1/0; generators skip these
    decoded = from_prefix(tokens)
    # equal as trees; SymPy very rarely leaves a Mul unflattened, which decodes flattened
    assert decoded == expr or sp.expand(decoded - expr) == 0
    canonical = to_prefix(decoded)
    assert to_prefix(from_prefix(canonical)) == canonical


@pytest.mark.parametrize("expr", [sp.erf(x), sp.Symbol("y") + x, sp.Float(0.5) * x,
                                  sp.Integral(x, x), sp.Piecewise((x, x > 0), (0, True)),
                                  sp.Function("g")(x), sp.zoo, sp.Derivative(F0, (X, 3))])
def test_unsupported_expressions_raise_typed_error(expr):
    with pytest.raises(UnsupportedExpressionError):
        to_prefix(expr)


@pytest.mark.parametrize("tokens, message", [
    ("", "empty"), ("add x", "lacks"), ("x x", "leftover"), ("INT+", "no digits"),
    ("1 2", "sign"), ("add 1 x x", "digits without"), ("frobnicate x", "unknown"),
    ("pow INT+ 9 INT+ 9 9 9 9 9", "too large"),
    ("pow pow INT+ 9 INT+ 9 9 9 INT+ 9 9 9", "too large"),
])
def test_malformed_sequences_raise_prefix_error(tokens, message):
    with pytest.raises(PrefixError, match=message):
        from_prefix(tokens)


TOKEN_POOL = list(grammar.ALL_TOKENS) + ["junk", "", "<eos>"]


@given(st.lists(st.sampled_from(TOKEN_POOL), max_size=40))
def test_fuzzed_token_lists_only_raise_prefix_error(tokens):
    try:
        result = from_prefix(tokens)
    except PrefixError:
        return
    assert isinstance(result, sp.Basic)


def test_deep_trees_decode_or_raise_prefix_error():
    assert from_prefix(["sin"] * 200 + ["x"]).func is sp.sin
    with pytest.raises(PrefixError, match="too deep"):
        from_prefix(["sin"] * 20000 + ["x"])
