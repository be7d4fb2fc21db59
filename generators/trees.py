"""Random expressions: unary-binary trees with exactly n operators, sampled uniformly.

Lample & Charton (2019, appendix C) count the trees with ``e`` empty slots and ``n`` operators
still to place::

    D(0, n) = 0,   D(e, 0) = 1,   D(e, n) = D(e - 1, n) + D(e, n - 1) + D(e + 1, n - 1)

and fill the tree in prefix order: with ``e`` empty slots and ``n`` operators left, the next
operator goes to slot ``k`` (the ``k`` slots before it become leaves) with arity ``a`` with
probability ``D(e - k - 1 + a, n - 1) / D(e, n)``.  Every tree shape is then equally likely; the
operator at each node is drawn by weight among those of its arity, each leaf by the leaf
probabilities.

``ExprConfig`` holds the knobs (operator weights, operator count range, leaf probabilities,
integer range); ``PAPER_OPERATORS`` are Lample & Charton's weights.  To add an operator, add its
SymPy builder to ``BINARY``, or its row to ``generators/functions.py`` (unary functions), and
give it a weight in a config.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
import sympy as sp

from generators.functions import FUNCTIONS, lc_name
from generators.symbols import X

BINARY: dict[str, Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}

UNARY: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "inv": lambda a: 1 / a,
    "pow2": lambda a: a**2,
    "pow3": lambda a: a**3,
    "pow4": lambda a: a**4,
    "pow5": lambda a: a**5,
    "sqrt": sp.sqrt,
    **{lc_name(row): row.sympy for row in FUNCTIONS.values()},  # Lample & Charton's names: ln
}

# Lample & Charton's operator weights (their README's settings for integration and ODEs).
PAPER_OPERATORS: tuple[tuple[str, float], ...] = (
    ("add", 10), ("sub", 3), ("mul", 10), ("div", 5),
    ("sqrt", 4), ("pow2", 4), ("pow3", 2), ("pow4", 1), ("pow5", 1),
    ("ln", 4), ("exp", 4), ("sin", 4), ("cos", 4), ("tan", 4),
    ("asin", 1), ("acos", 1), ("atan", 1),
    ("sinh", 1), ("cosh", 1), ("tanh", 1), ("asinh", 1), ("acosh", 1), ("atanh", 1),
)


class ExprBuildError(ValueError):
    """SymPy raised while evaluating a random tree (e.g. "Invalid NaN comparison" in its
    assumption system for some nested hyperbolic expressions)."""


class TooFewLeaves(ValueError):
    """The sampled tree has fewer leaves than the symbols it must hold."""


@dataclass(frozen=True)
class ExprConfig:
    """How random expressions are drawn, and (last three fields) how problems are written.

    ``lc_style()`` gives Lample & Charton's choices (``--style lc``): positive integers, the
    integrand simplified half of the time, ODEs as expanded numerators."""

    min_ops: int = 1
    max_ops: int = 15
    max_int: int = 5
    leaf_var: float = 0.75  # probability that a leaf is a variable (x, or a constant symbol)
    leaf_int: float = 0.25  # probability of a nonzero integer in [-max_int, max_int]
    leaf_const: float = 0.0  # probability of pi or E
    operators: tuple[tuple[str, float], ...] = field(default=PAPER_OPERATORS)
    positive_ints: bool = False  # integer leaves in [1, max_int] only (Lample & Charton's --positive)
    simplify_prob: float = 0.0  # bwd: probability that the integrand is SymPy's simplify() of F'
    expand_equations: bool = False  # ODEs: the equation as an expanded numerator, leading sign +

    def __post_init__(self) -> None:
        if not 0 <= self.min_ops <= self.max_ops:
            raise ValueError(f"need 0 <= min_ops <= max_ops (got {self.min_ops}, {self.max_ops})")
        if not 0.0 <= self.simplify_prob <= 1.0:
            raise ValueError("simplify_prob must be in [0, 1]")
        if self.max_int < 1:
            raise ValueError("max_int must be >= 1")
        if min(self.leaf_var, self.leaf_int, self.leaf_const) < 0 or \
                self.leaf_var + self.leaf_int + self.leaf_const <= 0:
            raise ValueError("leaf probabilities must be >= 0 with a positive sum")
        for name, weight in self.operators:
            if name not in UNARY and name not in BINARY:
                raise ValueError(f"unknown operator {name!r}; known: {sorted(UNARY) + sorted(BINARY)}")
            if weight < 0:
                raise ValueError(f"operator weight for {name!r} must be >= 0")
        if not any(w > 0 for n, w in self.operators if n in BINARY) and self.max_ops > 0:
            if not any(w > 0 for n, w in self.operators if n in UNARY):
                raise ValueError("at least one operator needs a positive weight")

    @staticmethod
    def lc_style(**changes) -> "ExprConfig":
        return ExprConfig(**{"positive_ints": True, "simplify_prob": 0.5, "expand_equations": True,
                             **changes})

    def with_ops(self, min_ops: int, max_ops: int) -> "ExprConfig":
        return dataclasses.replace(self, min_ops=min_ops, max_ops=max_ops)


@lru_cache(maxsize=None)
def _count_table(max_ops: int, unary: bool, binary: bool) -> tuple[tuple[int, ...], ...]:
    """D[n][e]: number of trees with e empty slots and n operators (exact integers)."""
    max_e = 2 * max_ops + 2
    table = [[0] + [1] * max_e]  # n = 0
    for n in range(1, max_ops + 1):
        row = [0] * (max_e + 1)
        for e in range(1, max_e):
            row[e] = row[e - 1] + (table[n - 1][e] if unary else 0) + \
                (table[n - 1][e + 1] if binary else 0)
        table.append(row)
    return tuple(tuple(r) for r in table)


def sample_tree(n_ops: int, cfg: ExprConfig, rng: np.random.Generator) -> list[str | int]:
    """A random tree with ``n_ops`` operators, in prefix order: operator names and leaf markers.

    Leaves are written as the string ``"<leaf>"``; ``build`` fills them in.
    """
    unary = [(n, w) for n, w in cfg.operators if n in UNARY and w > 0]
    binary = [(n, w) for n, w in cfg.operators if n in BINARY and w > 0]
    table = _count_table(max(n_ops, 1), bool(unary), bool(binary))
    out: list[str | int] = []
    empty = 1
    for n in range(n_ops, 0, -1):
        total = table[n][empty]
        choices, weights = [], []
        for k in range(empty):
            if unary:
                choices.append((k, 1))
                weights.append(table[n - 1][empty - k])
            if binary:
                choices.append((k, 2))
                weights.append(table[n - 1][empty - k + 1])
        p = np.array(weights, dtype=np.float64) / float(total)
        k, a = choices[rng.choice(len(choices), p=p / p.sum())]
        out.extend(["<leaf>"] * k)
        names, w = zip(*(unary if a == 1 else binary))
        w = np.array(w, dtype=np.float64)
        out.append(names[rng.choice(len(names), p=w / w.sum())])
        empty = empty - k - 1 + a
    out.extend(["<leaf>"] * empty)
    return out


def _sample_leaves(n_leaves: int, cfg: ExprConfig, rng: np.random.Generator,
                   variables: tuple[sp.Symbol, ...], once: tuple[sp.Symbol, ...] = ()) -> list[sp.Expr]:
    probs = np.array([cfg.leaf_var, cfg.leaf_int, cfg.leaf_const], dtype=np.float64)
    probs /= probs.sum()
    kinds = rng.choice(3, size=n_leaves, p=probs)
    leaves: list[sp.Expr] = []
    for kind in kinds:
        if kind == 0:
            leaves.append(variables[rng.integers(len(variables))])
        elif kind == 1:
            value = int(rng.integers(1, cfg.max_int + 1))
            negative = not cfg.positive_ints and rng.integers(2)
            leaves.append(sp.Integer(-value if negative else value))
        else:
            leaves.append(sp.pi if rng.integers(2) else sp.E)
    # every variable must occur: overwrite distinct random leaves where one is missing
    missing = [v for v in variables if v not in leaves]
    if missing:
        free = [i for i, leaf in enumerate(leaves) if leaf not in variables or leaves.count(leaf) > 1]
        if len(free) < len(missing):
            free = list(range(len(leaves)))
        slots = rng.permutation(free)[: len(missing)]
        for slot, var in zip(slots, missing):
            leaves[int(slot)] = var
    if once:  # symbols that must occur exactly once, at distinct leaves not holding a needed variable
        protected = {leaves.index(v) for v in variables if v in leaves}
        free = [i for i in range(len(leaves)) if i not in protected]
        if len(free) < len(once):
            raise TooFewLeaves(f"{len(leaves)} leaves cannot hold {len(once)} symbol(s) besides x")
        for slot, sym in zip(rng.permutation(free)[: len(once)], once):
            leaves[int(slot)] = sym
    return leaves


def build(tree: list[str | int], leaves: list[sp.Expr]) -> sp.Expr:
    """SymPy expression (evaluated, so canonical) of a prefix tree with its leaves in order.

    Raises ExprBuildError when SymPy itself fails on the tree.
    """
    stack: list[sp.Expr] = []
    leaf_iter = iter(reversed(leaves))
    for node in reversed(tree):
        if node == "<leaf>":
            stack.append(next(leaf_iter))
            continue
        try:
            if node in UNARY:
                stack.append(UNARY[node](stack.pop()))
            else:
                a = stack.pop()
                b = stack.pop()
                stack.append(BINARY[node](a, b))
        except (TypeError, ValueError, ArithmeticError, RecursionError) as err:
            raise ExprBuildError(f"SymPy failed on {node}: {type(err).__name__}: {err}") from None
    if len(stack) != 1:
        raise ValueError("malformed tree")
    return stack[0]


def random_expr(cfg: ExprConfig, rng: np.random.Generator, variables: tuple[sp.Symbol, ...] = (X,),
                n_ops: int | None = None, once: tuple[sp.Symbol, ...] = ()) -> sp.Expr:
    """A random expression in which every symbol of ``variables`` occurs at least once in the tree
    and every symbol of ``once`` exactly once (raises TooFewLeaves if the tree has too few leaves).

    (SymPy's evaluation may still cancel a variable away, e.g. ``x - x``; callers check.)
    """
    if n_ops is None:
        n_ops = int(rng.integers(cfg.min_ops, cfg.max_ops + 1))
    tree = sample_tree(n_ops, cfg, rng)
    n_leaves = sum(1 for t in tree if t == "<leaf>")
    leaves = _sample_leaves(n_leaves, cfg, rng, variables, once)
    return build(tree, leaves)
