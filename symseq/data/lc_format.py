"""Read Lample & Charton's published datasets (their prefix format) and convert them to ours.

Their line: ``ID|QUESTION<TAB>ANSWER``, tokens separated by spaces.  Integration questions are
``sub Y' <integrand>``; ODE questions use ``Y``, ``Y'``, ``Y''`` (or ``f x`` and ``derivative``)
and answers the coefficients ``a0``, ``a1``, which are our ``c1``, ``c2``.  Integers are ``INT+``
or ``INT-`` then base-10 digits, as in ours.  Their operator set is wider than our grammar
(``sech``, ``acoth``, ...): such lines are reported as failures with the reason, not dropped
silently.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import sympy as sp

from generators.functions import FUNCTIONS, LC_EXTRA, lc_name
from generators.symbols import C1, C2, F0, F1, F2, X
from symseq.domain import TASKS
from symseq.data.dataset import DatasetError, Example, manifest_name, part_name
from symseq.io import atomic_target, atomic_write_json
from symseq.lang.prefix import PrefixError, UnsupportedExpressionError, to_prefix, tokens_to_str
from symseq.lang.safe_eval import UnsafeExpressionError, check_power

def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    try:
        check_power(base, exponent)
    except UnsafeExpressionError as err:
        raise PrefixError(str(err)) from None
    return base**exponent


MAX_INTEGER_DIGITS = 100

_BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "pow": _power, "rac": lambda a, b: _power(a, 1 / b),
    "derivative": lambda a, b: sp.Derivative(a, b),
}
_UNARY = {
    "inv": lambda a: 1 / a, "pow2": lambda a: _power(a, 2), "pow3": lambda a: _power(a, 3),
    "pow4": lambda a: _power(a, 4), "pow5": lambda a: _power(a, 5), "sqrt": sp.sqrt,
    "f": lambda a: sp.Function("f")(a),
    **{lc_name(row): row.sympy for row in (*FUNCTIONS.values(), *LC_EXTRA.values())},
}
_LEAVES = {"x": X, "a0": C1, "a1": C2, "a8": C1, "a9": C2,  # their data: a0/a1; their generator: a8/a9
           "Y": F0, "Y'": F1, "Y''": F2,
           "pi": sp.pi, "E": sp.E, "I": sp.I}


def parse_lc_prefix(tokens: list[str]) -> sp.Expr:
    """SymPy expression of a token list in their format (raises PrefixError)."""
    stack: list[sp.Expr] = []
    digits: list[str] = []
    for pos in range(len(tokens) - 1, -1, -1):
        tok = tokens[pos]
        if tok.isdigit():
            digits.append(tok)
        elif tok in ("INT+", "INT-"):
            if not digits:
                raise PrefixError(f"integer without digits at {pos}")
            if len(digits) > MAX_INTEGER_DIGITS:
                raise PrefixError(f"integer of more than {MAX_INTEGER_DIGITS} digits at {pos}")
            value = int("".join(reversed(digits)))
            stack.append(sp.Integer(-value if tok == "INT-" else value))
            digits = []
        elif digits:
            raise PrefixError(f"digits without a sign at {pos}")
        elif tok in _LEAVES:
            stack.append(_LEAVES[tok])
        elif tok in _UNARY or tok in _BINARY:
            n = 1 if tok in _UNARY else 2
            if len(stack) < n:
                raise PrefixError(f"{tok!r} lacks arguments")
            args = [stack.pop() for _ in range(n)]
            stack.append((_UNARY.get(tok) or _BINARY[tok])(*args))
        else:
            raise PrefixError(f"unknown token {tok!r}")
    if digits or len(stack) != 1:
        raise PrefixError("malformed expression")
    return stack[0]


def convert_line(line: str, task: str) -> Example:
    """One of their lines as one of our examples (raises PrefixError/UnsupportedExpressionError).

    Both of their forms are read: ``QUESTION<TAB>ANSWER`` (their export, ``data.prefix``) and
    ``COUNT|QUESTION<TAB>ANSWER`` (after their README's deduplication step)."""
    body = line.rstrip("\n")
    head, bar, rest = body.partition("|")
    if bar and "\t" not in head:
        body = rest
    try:
        question, answer = body.split("\t")
    except ValueError:
        raise PrefixError("not a QUESTION<TAB>ANSWER (or ID|QUESTION<TAB>ANSWER) line") from None
    q_tokens = question.split()
    if TASKS[task].kind == "integrate":
        if q_tokens[:2] != ["sub", "Y'"]:
            raise PrefixError("integration question does not start with \"sub Y'\"")
        q_tokens = q_tokens[2:]
    q = parse_lc_prefix(q_tokens)
    a = parse_lc_prefix(answer.split())
    return Example(task, tokens_to_str(to_prefix(q)), tokens_to_str(to_prefix(a)))


def import_file(source: str | Path, task: str, out: str | Path, limit: int | None = None) -> dict:
    """Convert ``source`` into dataset folder ``out``; returns the manifest written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    failed: Counter = Counter()
    kept = lines = 0
    try:
        with atomic_target(out / part_name(0, 1, 0)) as tmp, open(tmp, "w", encoding="utf-8") as dst, \
                open(source, encoding="utf-8", errors="strict") as src:
            for line in src:
                if limit is not None and lines >= limit:
                    break
                if not line.strip():
                    continue
                lines += 1
                try:
                    dst.write(convert_line(line, task).to_line())
                    kept += 1
                except PrefixError as err:
                    failed[f"malformed: {str(err)[:60]}"] += 1
                except UnsupportedExpressionError as err:
                    failed[f"unsupported: {str(err)[:60]}"] += 1
    except UnicodeDecodeError:
        raise DatasetError(f"{source}: not a text file") from None
    manifest = {"format": "symseq-dataset/1", "generator": "import-lc", "source": str(source),
                "config": {"task": task, "limit": limit}, "complete": True,
                "counts": {"lines": lines, "kept": kept, "failed": dict(failed.most_common())}}
    atomic_write_json(out / manifest_name(0, 1), manifest)
    return manifest
