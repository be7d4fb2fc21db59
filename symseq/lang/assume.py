"""Parameters and what is assumed about them.

Every symbol of a question other than its variable is a parameter.  By default a parameter is a
positive real number; ``--assume`` (the API's ``assume=``) says otherwise, one statement per
parameter, separated by commas or "and":

    a < 0     a > 0     a <= 0    a >= 0    a != 0
    n integer           n positive integer  a real      a negative   a nonzero

A statement replaces the default for its parameter (``n integer`` means any integer, -1 and 0
included).  ``parameter_symbols(names, text)`` gives each name its SymPy symbol, carrying the
assumptions so that SymPy's algorithms (and the verifier's draws) respect them;
``describe(symbols)`` writes them back for people ("a > 0, n integer").
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.lang.parse import InputError

DEFAULT = {"positive": True}  # a parameter nobody spoke of
_RELATIONS = {"<": {"negative": True}, ">": {"positive": True}, "<=": {"nonpositive": True},
              ">=": {"nonnegative": True}, "!=": {"nonzero": True, "real": True}}
_WORDS = {"integer": {"integer": True}, "positive": {"positive": True}, "negative": {"negative": True},
          "nonzero": {"nonzero": True, "real": True}, "real": {"real": True},
          "nonnegative": {"nonnegative": True}, "nonpositive": {"nonpositive": True}}
_RELATION = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s*(<=|>=|!=|<|>)\s*0$")
_SIGNS = {"positive": "> 0", "negative": "< 0", "nonnegative": ">= 0", "nonpositive": "<= 0", "nonzero": "!= 0"}
MAX_STATEMENTS = 10


def parse_assumptions(text: str | None) -> dict[str, dict]:
    """``"a < 0, n integer"`` -> ``{"a": {"negative": True}, "n": {"integer": True}}``."""
    if text is None or not text.strip():
        return {}
    statements = [s.strip() for s in re.split(r",|;|\band\b", text) if s.strip()]
    if len(statements) > MAX_STATEMENTS:
        raise InputError(f"at most {MAX_STATEMENTS} assumptions")
    found: dict[str, dict] = {}
    for statement in statements:
        name, facts = _one(statement)
        if name in found:
            raise InputError(f"{name} is assumed twice ({statement!r}): write one statement per parameter")
        found[name] = facts
    return found


def _one(statement: str) -> tuple[str, dict]:
    m = _RELATION.match(statement)
    if m:
        return m.group(1), dict(_RELATIONS[m.group(2)])
    words = statement.split()
    if len(words) >= 2 and words[0].isidentifier() and all(w in _WORDS for w in words[1:]):
        facts: dict = {}
        for w in words[1:]:
            facts.update(_WORDS[w])
        try:
            sp.Symbol("t", **facts)
        except Exception:  # SymPy's InconsistentAssumptions ("n negative positive")
            raise InputError(f"contradictory assumption {statement!r}: no number is all of that") from None
        return words[0], facts
    raise InputError(f"cannot read the assumption {statement!r}; write e.g. 'a < 0', 'a != 0', 'n integer'")


def parameters_of(task: str, question: sp.Expr) -> list[sp.Symbol]:
    """An integral's parameters: its symbols other than x, by name ([] for an ODE)."""
    return sorted(question.free_symbols - {X}, key=lambda s: s.name) if task == "integrate" else []


def parameter_symbols(names: list[str], assumed: dict[str, dict]) -> dict[str, sp.Symbol]:
    """Each parameter's symbol, with its assumptions (DEFAULT where none was stated)."""
    unknown = sorted(set(assumed) - set(names))
    if unknown:
        raise InputError(f"an assumption about {unknown[0]}, which is not a parameter of the question")
    symbols = {}
    for name in names:
        facts = assumed.get(name, DEFAULT)
        try:
            symbols[name] = sp.Symbol(name, **facts)
        except Exception:  # contradictory facts (SymPy's InconsistentAssumptions): one line, not its dump
            raise InputError(f"contradictory assumptions about {name}: {', '.join(sorted(facts))}") from None
    return symbols


def describe(symbols) -> str:
    """``"a > 0, n integer"``: what is assumed of each parameter, by name ('' when none)."""
    parts = []
    for s in sorted(symbols, key=lambda s: s.name):
        sign = next((fact for fact in _SIGNS if s.assumptions0.get(fact)), None)
        if s.is_integer:
            parts.append(f"{s.name} {sign + ' ' if sign else ''}integer")
        else:
            parts.append(f"{s.name} {_SIGNS[sign] if sign else 'real'}")
    return ", ".join(parts)


def exclusions(answer: sp.Expr, parameters) -> list[sp.Expr]:
    """Factors of ``answer``'s denominators in the parameters alone that may vanish under their
    assumptions: the answer holds where they do not (``(a*cos(a*x)... )/(b**2 - a**2)`` for
    ``a != b``), which is shown with it."""
    parameters = set(parameters)
    found: list[sp.Expr] = []
    for power in answer.atoms(sp.Pow):
        if not (power.exp.is_negative and power.base.free_symbols and power.base.free_symbols <= parameters):
            continue
        factors = []
        for part in sp.Mul.make_args(sp.factor_terms(power.base)):
            part = part.base if part.is_Pow and part.exp.is_positive else part
            try:
                factors += [f for f, _ in sp.factor_list(part)[1]]
            except sp.PolynomialError:  # roots inside (sqrt(a)*b - c): the part as a whole
                factors.append(part)
        for factor in factors:
            if factor.free_symbols and factor.is_zero is not False and factor not in found and -factor not in found:
                found.append(factor)
    return found


def describe_exclusions(factors: list[sp.Expr]) -> str:
    """``[b - a, n + 1]`` -> ``"b != a, n != -1"``."""
    parts = []
    for f in factors:
        try:
            parts.append(_exclusion(f))
        except Exception:  # noqa: BLE001 -- SymPy's solve or degree on an odd factor: say it plainly
            parts.append(f"{sp.sstr(f)} != 0")
    return ", ".join(parts)


def _exclusion(f: sp.Expr) -> str:
    """One excluded factor for people: ``n + 1`` -> ``n != -1``, ``b - a`` -> ``b != a``."""
    if not f.is_polynomial(*f.free_symbols):  # log(f) -> f != 1; sin(a) stays sin(a) != 0 (every root)
        inner = f.args[0] if isinstance(f, sp.log) else None
        if inner is not None and len(f.free_symbols) == 1 and inner.is_polynomial() and sp.degree(inner) == 1:
            (s,) = f.free_symbols
            return f"{s.name} != {sp.sstr(sp.solve(inner - 1, s)[0])}"
        return f"{sp.sstr(f)} != 0"
    if len(f.free_symbols) == 1 and sp.degree(f, *f.free_symbols) == 1:  # n + 1 -> n != -1
        (s,) = f.free_symbols
        return f"{s.name} != {sp.sstr(sp.solve(f, s)[0])}"
    terms = sp.Add.make_args(sp.expand(f))
    left = sp.Add(*[t for t in terms if not t.could_extract_minus_sign()])
    right = -sp.Add(*[t for t in terms if t.could_extract_minus_sign()])
    if left == 0:
        left, right = right, left
    return f"{sp.sstr(left)} != {sp.sstr(right)}"


def draw_values(symbols, rng, draws: int = 3) -> list[dict]:
    """Values of the parameters for the verifier: exact rationals from each one's domain.  An
    integer parameter runs through every value of a small range (-1 and 0 included when allowed),
    so an answer wrong only at n = -1 is caught; a real one takes ``draws`` random values."""
    symbols = sorted(symbols, key=lambda s: s.name)
    ranges = {s: _integers(s, rng) for s in symbols if s.is_integer}
    count = max([draws, *(len(r) for r in ranges.values())])
    out = []
    for k in range(count):
        point = {}
        for s in symbols:
            if s in ranges:
                point[s] = sp.Integer(ranges[s][k % len(ranges[s])])
            else:
                point[s] = _real(s, rng)
        out.append(point)
    return out


def _integers(s: sp.Symbol, rng) -> list[int]:
    """Every integer of a small range the domain allows, and one farther out (5 to 12): an
    answer wrong only for |n| >= 4 is caught too."""
    far = int(rng.integers(5, 13))
    if s.is_positive:
        return [1, 2, 3, 4, far]
    if s.is_negative:
        return [-1, -2, -3, -4, -far]
    near = [v for v in range(-3, 4) if (not s.is_nonnegative or v >= 0) and (not s.is_nonpositive or v <= 0)
            and (not s.is_nonzero or v != 0)]
    return near + [-far if s.is_nonpositive or (not s.is_nonnegative and rng.random() < 0.5) else far]


def random_size(rng, lo: float = 0.05, hi: float = 40.0) -> sp.Rational:
    """A positive rational, log-uniform in [lo, hi], denominator up to 1000 (no small set of values an
    answer could be fitted to: sin(27720*pi*a) vanishes on every p/q with q <= 12)."""
    q = int(rng.integers(7, 1000))
    return sp.Rational(max(1, round(float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) * q)), q)


def _real(s: sp.Symbol, rng) -> sp.Rational:
    """A random rational of the domain, its magnitude by ``random_size``."""
    magnitude = random_size(rng)
    if s.is_positive or (s.is_nonnegative and not s.is_nonpositive):
        return magnitude
    if s.is_negative or s.is_nonpositive:
        return -magnitude
    return magnitude if rng.random() < 0.5 else -magnitude
