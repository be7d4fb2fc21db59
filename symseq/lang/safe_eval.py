"""Build SymPy expressions from untrusted text without running any code.

SymPy's ``parse_expr`` and ``sympify`` end in Python's ``eval`` with the builtins in reach, so
text such as ``exec input x`` (implicit application: ``exec(input(x))``) runs code.  Here the
text is only *tokenized* by SymPy's transformations (implicit multiplication, ``^``, numbers ->
``Integer(2)``), then the resulting Python source is parsed with ``ast`` and interpreted node by
node against an explicit namespace:

* names resolve only in ``names`` (no builtins, no globals); ``Symbol('y')`` makes a plain
  symbol with a short identifier name; ``Function('foo')`` (an unknown call) is refused;
* allowed nodes: numbers, names, ``+ - * / **``, unary ``+ -``, calls of namespace callables with
  positional arguments, tuples (for ``Piecewise``), and, if ``relations=True``, one comparison
  ``a < b`` and ``& | ~`` between conditions.  No attribute access, subscripts, keywords,
  lambdas, comprehensions, strings (except a constructor's literal argument);
* guards: input size, nesting depth, node count, and numeric powers whose value would be huge
  (``9**9**9`` is refused before SymPy evaluates it).

Errors are ``UnsafeExpressionError`` (a ``ValueError``) with a one-line message.  Time and memory
are not bounded here: callers run this inside ``symseq.sandbox`` (see ``symseq.lang.parse``).
"""

from __future__ import annotations

import ast
import math
from typing import Any, Mapping

import sympy as sp
from sympy.parsing.sympy_parser import (auto_number, auto_symbol, convert_xor,
                                        function_exponentiation, implicit_application,
                                        implicit_multiplication, stringify_expr)

MAX_CHARS = 100_000  # of transformed source (user text is capped at 2000 characters before)
MAX_NODES = 50_000
MAX_DEPTH = 120
MAX_NUMERIC_EXPONENT = 1000  # |e| in a power of two numbers
MAX_POWER_BITS = 100_000  # bits of an exact rational power's value
MAX_NAME_CHARS = 32

USER_TRANSFORMS = (auto_symbol, auto_number, convert_xor, implicit_multiplication,
                   implicit_application, function_exponentiation)
EXPLICIT_TRANSFORMS = (auto_symbol, auto_number)  # machine-written text (SymPy's own printing)

# Constructors the tokenizer emits; the only calls whose arguments may be literals.
_CONSTRUCTORS = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational,
                 "Symbol": sp.Symbol, "Function": sp.Function}


class UnsafeExpressionError(ValueError):
    """Text that cannot be built into an expression under the rules above."""


def to_source(text: str, names: Mapping[str, Any], transforms=USER_TRANSFORMS) -> str:
    """SymPy's token transformations only (no evaluation): ``2x^2`` -> ``Integer(2)*x**Integer(2)``."""
    try:
        return stringify_expr(text, {}, {**_CONSTRUCTORS, **names}, transforms)
    except (SyntaxError, TypeError, ValueError, IndexError, KeyError, AttributeError) as err:
        raise UnsafeExpressionError(f"cannot read {text!r}: {type(err).__name__}") from None
    except Exception as err:  # the tokenizer raises its own TokenError/IndentationError types
        raise UnsafeExpressionError(f"cannot read {text!r}: {type(err).__name__}") from None


def build(source: str, names: Mapping[str, Any], *, relations: bool = False) -> Any:
    """Interpret ``source`` (output of ``to_source``) with only ``names`` in scope."""
    if len(source) > MAX_CHARS:
        raise UnsafeExpressionError(f"expression too long ({len(source)} characters after reading)")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        raise UnsafeExpressionError(f"syntax error at column {err.offset}") from None
    except (RecursionError, MemoryError, ValueError):
        raise UnsafeExpressionError("expression too deeply nested") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise UnsafeExpressionError(f"expression too large ({count} nodes; the limit is {MAX_NODES})")
    return _Builder(names, relations).visit(tree.body, 0)


_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}
_FAMILY = {ast.Add: (ast.Add, ast.Sub), ast.Sub: (ast.Add, ast.Sub),
           ast.Mult: (ast.Mult, ast.Div), ast.Div: (ast.Mult, ast.Div)}
_COMPARE = {ast.Lt: sp.Lt, ast.Gt: sp.Gt, ast.LtE: sp.Le, ast.GtE: sp.Ge}


class _Builder:
    def __init__(self, names: Mapping[str, Any], relations: bool) -> None:
        self.names = names
        self.relations = relations

    def visit(self, node: ast.AST, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise UnsafeExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise UnsafeExpressionError(f"not allowed in an expression: {_describe(node)}")
        return method(node, depth + 1)

    def _Name(self, node: ast.Name, depth: int) -> Any:
        if node.id in self.names:
            return self.names[node.id]
        raise UnsafeExpressionError(f"unknown name {node.id!r}")

    def _Constant(self, node: ast.Constant, depth: int) -> Any:
        if isinstance(node.value, bool) and self.relations:
            return sp.true if node.value else sp.false
        raise UnsafeExpressionError(f"not allowed in an expression: literal {node.value!r}")

    def _BinOp(self, node: ast.BinOp, depth: int) -> Any:
        op = type(node.op)
        if op in _BINOPS:  # a long sum or product is a left-nested chain: fold it, not recurse
            chain = []
            while isinstance(node, ast.BinOp) and type(node.op) in _FAMILY[op]:
                chain.append((type(node.op), node.right))
                node = node.left
            value = _expr(self.visit(node, depth))
            for step_op, operand in reversed(chain):
                value = _BINOPS[step_op](value, _expr(self.visit(operand, depth)))
            return value
        left, right = self.visit(node.left, depth), self.visit(node.right, depth)
        if op is ast.Pow:
            check_power(left, right)
            return _expr(left) ** _expr(right)
        if op in _BINOPS:
            return _BINOPS[op](_expr(left), _expr(right))
        if self.relations and op in (ast.BitAnd, ast.BitOr):
            if not (isinstance(left, sp.logic.boolalg.Boolean) and isinstance(right, sp.logic.boolalg.Boolean)):
                raise UnsafeExpressionError("& and | join conditions only")
            return sp.And(left, right) if op is ast.BitAnd else sp.Or(left, right)
        raise UnsafeExpressionError(f"operator not allowed: {type(node.op).__name__}")

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Any:
        value = self.visit(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -_expr(value)
        if isinstance(node.op, ast.UAdd):
            return _expr(value)
        if self.relations and isinstance(node.op, ast.Invert) and isinstance(value, sp.logic.boolalg.Boolean):
            return sp.Not(value)
        raise UnsafeExpressionError(f"operator not allowed: {type(node.op).__name__}")

    def _Compare(self, node: ast.Compare, depth: int) -> Any:
        if not self.relations or len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
            raise UnsafeExpressionError("comparisons are not allowed here")
        left, right = self.visit(node.left, depth), self.visit(node.comparators[0], depth)
        return _COMPARE[type(node.ops[0])](_expr(left), _expr(right))

    def _Tuple(self, node: ast.Tuple, depth: int) -> Any:
        return tuple(self.visit(e, depth) for e in node.elts)

    def _Call(self, node: ast.Call, depth: int) -> Any:
        if node.keywords or not isinstance(node.func, ast.Name):
            raise UnsafeExpressionError("only plain calls of known functions are allowed")
        name = node.func.id
        if name in _CONSTRUCTORS:
            return self._construct(name, node.args)
        fn = self._Name(node.func, depth)
        if not callable(fn) or isinstance(fn, sp.Basic):
            raise UnsafeExpressionError(f"{name!r} is not a function")
        args = [self.visit(a, depth) for a in node.args]
        if any(isinstance(a, ast.AST) for a in args):  # pragma: no cover - defensive
            raise UnsafeExpressionError("bad argument")
        try:
            return fn(*args)
        except (TypeError, ValueError, AttributeError) as err:
            raise UnsafeExpressionError(f"bad arguments to {name}: {err}") from None

    def _construct(self, name: str, args: list[ast.AST]) -> Any:
        literal = [a.value for a in args if isinstance(a, ast.Constant)]
        if len(literal) != len(args) or len(args) != 1:
            raise UnsafeExpressionError(f"{name} takes one literal")
        value = literal[0]
        if name == "Integer" and type(value) is int:
            return sp.Integer(value)
        if name == "Float" and type(value) is str:
            try:
                return sp.Float(value)
            except ValueError:
                raise UnsafeExpressionError(f"bad number {value!r}") from None
        if name == "Symbol" and type(value) is str:
            if not value.isidentifier() or len(value) > MAX_NAME_CHARS or value.startswith("_"):
                raise UnsafeExpressionError(f"bad name {value!r}")
            return sp.Symbol(value)
        if name == "Function" and type(value) is str:
            raise UnsafeExpressionError(f"unknown function {value!r}")
        raise UnsafeExpressionError(f"{name} of {type(value).__name__} is not allowed")


def _expr(value: Any) -> sp.Expr:
    if isinstance(value, sp.Expr):
        return value
    raise UnsafeExpressionError(f"not an expression: {type(value).__name__}")


def check_power(base: Any, exponent: Any) -> None:
    """Refuse numeric powers whose exact value SymPy would spend minutes or gigabytes on
    (raises ``UnsafeExpressionError``; other operands pass)."""
    if not (isinstance(base, sp.Expr) and isinstance(exponent, sp.Expr)):
        return
    if not (base.is_number and exponent.is_number):
        return
    try:
        size = abs(complex(exponent.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        size = float("inf")
    if size > MAX_NUMERIC_EXPONENT:
        raise UnsafeExpressionError(f"number too large: a power with exponent {_short(exponent)} "
                                    f"(above {MAX_NUMERIC_EXPONENT} is refused)")
    if base.is_Rational:
        bits = max(abs(int(base.p)).bit_length(), int(base.q).bit_length())
    else:  # an algebraic base grows as fast ((2**1000*sqrt(2))**1000): judge by its magnitude
        try:
            magnitude = abs(complex(base.evalf(15)))
            bits = abs(math.log2(magnitude)) + 1 if magnitude > 0 else 1
        except (TypeError, ValueError, OverflowError):
            bits = float("inf")
    if bits * size > MAX_POWER_BITS:
        raise UnsafeExpressionError("number too large: an exact power of more than "
                                    f"{MAX_POWER_BITS} bits")


def _short(e: sp.Expr) -> str:
    text = sp.sstr(e) if sp.count_ops(e) < 20 else type(e).__name__
    return text if len(text) < 40 else text[:37] + "..."


def _describe(node: ast.AST) -> str:
    return {"Attribute": "attribute access (.)", "Subscript": "subscripts ([])",
            "Lambda": "lambda", "Constant": "a literal"}.get(type(node).__name__, type(node).__name__)
