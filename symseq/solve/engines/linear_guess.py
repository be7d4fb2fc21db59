"""Guessed solutions of a linear second-order ODE a*y'' + b*y' + c*y = r, tested numerically.

The guesses are products of powers of the equation's own building blocks (``building_blocks``:
x, the factors of a, b and c, the functions of x inside them): y = x**2/cos(x), x/sinh(x),
(x + 4)**3, sin(x).  For u = prod g_i**k_i, u'/u = sum k_i*g_i'/g_i and u''/u = (u'/u)**2 +
sum k_i*(g_i''/g_i - (g_i'/g_i)**2), so L[u]/u = a*u''/u + b*u'/u + c is an array expression over
every exponent vector at once, at complex points (off every branch cut of the real line):

* ``homogeneous``: products with L[u] = 0 at every point, two independent ones at most;
* ``wronskian``: a product W with W'/W = -b/a (Abel), when only one solution is guessed;
* ``particular``: y_p = a polynomial of degree <= 5 plus at most two products, its coefficients
  by least squares on L[y_p] = r and recognized as small rationals (times a number of r).

Everything found is a guess: the race verifies the answer it goes into.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy as sp

from generators.symbols import X

MAX_ATOMS = 10  # building blocks besides x, smallest first
MAX_BLOCK_OPS = 400  # coefficients larger than this are not factored (factoring time)
X_HALVES = tuple(range(-10, 17))  # powers of x in halves: x**-5 .. x**8
ATOM_HALVES = (-6, -4, -2, -1, 1, 2, 4, 6)  # of another block: -3 .. 3, square roots included
_rng = np.random.default_rng(7)
POINTS = _rng.uniform(0.4, 3.2, 24) + 1j * _rng.uniform(-0.5, 0.5, 24)
TOLERANCE = 1e-9
MAX_DENOMINATOR = 12
_CIRCULAR = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
_HYPERBOLIC = (sp.sinh, sp.cosh, sp.tanh, sp.coth)


class Guesses:
    """The building blocks of a*y'' + b*y' + c*y = r and their values at ``POINTS``."""

    def __init__(self, a: sp.Expr, b: sp.Expr, c: sp.Expr, r: sp.Expr):
        self.r = r
        self.atoms = building_blocks((a, b, c), r)
        exprs = [a, b, c, r] + [d for g in self.atoms for d in (g, sp.diff(g, X), sp.diff(g, X, 2))]
        table = _values(exprs)
        self.ok = table is not None
        if not self.ok:
            return
        self.A, self.B, self.C, self.R = table[:4]
        g, g1, g2 = table[4::3], table[5::3], table[6::3]
        with np.errstate(all="ignore"):
            self.log_g = np.log(g)  # principal: g**k = exp(k*log(g)), as SymPy's power
            self.log_d = g1 / g
            self.curvature = g2 / g - self.log_d ** 2
        self.halves = _exponent_vectors(len(self.atoms), ATOM_HALVES, 2)

    def _operator(self, K: np.ndarray):
        """u'/u, L[u]/u and the size L[u]/u's terms have (the scale of its cancellation), for each
        row of exponents K (in units), at each point."""
        with np.errstate(all="ignore"):
            L1 = K @ self.log_d
            L2 = L1 ** 2 + K @ self.curvature
            return L1, self.A * L2 + self.B * L1 + self.C, np.abs(self.A) * (np.abs(L1) ** 2 + np.abs(K) @ np.abs(
                self.curvature)) + np.abs(self.B * L1) + np.abs(self.C)

    def product(self, halves) -> sp.Expr:
        """The blocks' product with these exponents (in halves)."""
        return sp.Mul(*[atom ** sp.Rational(int(k), 2) for atom, k in zip(self.atoms, halves) if k])

    def homogeneous(self) -> list[sp.Expr]:
        """At most two independent products u with L[u] = 0, simplest first."""
        if not self.ok:
            return []
        L1, residual, scale = self._operator(self.halves / 2.0)
        with np.errstate(all="ignore"):
            ok = np.all(np.abs(residual) <= TOLERANCE * (scale + 1e-300), axis=1)
        found: list[int] = []
        for index in np.flatnonzero(ok):  # simplest first
            if all(np.max(np.abs(L1[index] - L1[j])) > 1e-6 * (1 + np.max(np.abs(L1[j]))) for j in found):
                found.append(int(index))
            if len(found) == 2:
                break
        return [self.product(self.halves[i]) for i in found]

    def wronskian(self) -> sp.Expr | None:
        """A product W with W'/W = -b/a (up to three blocks besides x), or None."""
        if not self.ok:
            return None
        halves = _exponent_vectors(len(self.atoms), (-2, -1, 1, 2), 3)
        with np.errstate(all="ignore"):
            target = -self.B / self.A
            gap = np.abs(halves / 2.0 @ self.log_d - target)
            ok = np.all(gap <= 1e-9 * (1 + np.abs(target)), axis=1)
        hits = np.flatnonzero(ok)
        return self.product(halves[hits[0]]) if len(hits) else None

    def particular(self) -> sp.Expr | None:
        """y_p with L[y_p] = r: a polynomial of degree <= 5 plus at most two products x**m*g**k
        (m in -1..2, k in -1, 1/2, 1, 2), its coefficients by least squares at the points, then
        recognized as small rationals times a number of r (sqrt(2), exp(5)); None when none fits."""
        if not self.ok:
            return None
        n = len(self.atoms)
        polynomial = [[2 * k] + [0] * (n - 1) for k in range(6)]
        pool = [[-2] + [0] * (n - 1), [-4] + [0] * (n - 1)]
        pool += [[2 * m] + [k if j == i else 0 for j in range(1, n)]
                 for i in range(1, n) for k in (-2, 1, 2, 4) for m in range(-1, 3)]
        K = np.array(polynomial + pool, dtype=float) / 2.0
        _, L, _ = self._operator(K)
        with np.errstate(all="ignore"):
            columns = np.exp(K @ self.log_g) * L  # L[term] at each point, one row per term
        finite = np.all(np.isfinite(columns), axis=1)
        if not np.all(finite[:6]):
            return None
        numbers = [sp.Integer(1)] + sorted({e for e in sp.preorder_traversal(self.r)
                                            if e.is_number and not e.is_Rational and not e.is_Mul},
                                           key=sp.count_ops)[:4]
        scale = 1 + np.max(np.abs(self.R))
        usable = [j for j in range(len(pool)) if finite[6 + j]]
        for size in (0, 1, 2):
            batch = list(itertools.combinations(usable, size))
            if not batch:
                continue
            M = np.stack([np.concatenate([columns[:6], columns[[6 + j for j in e]]]).T for e in batch])
            coefficients = np.linalg.pinv(M) @ self.R
            fits = np.max(np.abs(np.einsum("bpm,bm->bp", M, coefficients) - self.R), axis=1) <= 1e-8 * scale
            for index in np.flatnonzero(fits):
                exact = _recognized(coefficients[index], numbers)
                if exact is not None:
                    terms = [X ** k for k in range(6)] + [self.product(pool[j]) for j in batch[index]]
                    return sp.Add(*[e * t for e, t in zip(exact, terms)])
        return None


def building_blocks(coefficients, right: sp.Expr = sp.Integer(0)) -> list[sp.Expr]:
    """x, then the factors of the coefficients' numerators and denominators and the functions of
    x inside them and the right side (sin(x), sqrt(x - 1), acosh(x); sin(t), cos(t) beside tan(t)
    or cot(t), and sin(x), cos(x) beside sin(2*x)), smallest first, at most 1 + ``MAX_ATOMS``."""
    found: list[sp.Expr] = []

    def add(e: sp.Expr) -> None:
        e = sp.factor_terms(e)
        if e.is_Mul:  # a number times a block: the block
            e = sp.Mul(*[f for f in e.args if f.has(X)])
        if e.has(X) and e != X and not e.is_Mul and e not in found and -e not in found:
            found.append(_positive(e))

    for coefficient in (*coefficients, right):
        if not coefficient.has(X):
            continue
        for node in sp.preorder_traversal(coefficient):
            if isinstance(node, sp.Function) and node.has(X):
                add(node)
                if isinstance(node, _CIRCULAR + _HYPERBOLIC):  # sin(t), cos(t) beside tan(t), cot(t);
                    pair = (sp.sin, sp.cos) if isinstance(node, _CIRCULAR) else (sp.sinh, sp.cosh)
                    t = node.args[0]  # and sin(x), cos(x) beside sin(2*x)
                    for arg in (t, X) if t != X and (t / X).is_Integer else (t,):
                        add(pair[0](arg))
                        add(pair[1](arg))
            elif node.is_Pow and node.base.has(X) and not node.exp.is_Integer:
                add(node.base ** sp.Rational(1, 2) if node.exp.is_Rational and node.exp.q == 2 else node)
        if coefficient is right or sp.count_ops(coefficient) > MAX_BLOCK_OPS:
            continue
        together = sp.together(coefficient)
        for part in (sp.numer(together), sp.denom(together)):
            try:
                factors = sp.factor_list(part)[1]
            except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
                continue
            for factor, _ in factors:
                add(factor.base if factor.is_Pow else factor)
    return [X] + sorted(found, key=lambda e: (sp.count_ops(e), sp.default_sort_key(e)))[:MAX_ATOMS]


def _positive(e: sp.Expr) -> sp.Expr:
    """e, or -e when e is negative at most sample points of the real line (its square root real
    there: 1 - cos(2*x), not cos(2*x) - 1)."""
    try:
        values = [complex(e.evalf(15, subs={X: v})) for v in (0.61, 1.37, 2.3)]
    except (TypeError, ValueError):
        return e
    negative = sum(1 for v in values if abs(v.imag) < 1e-12 and v.real < 0)
    return -e if negative >= 2 else e


@functools.lru_cache(maxsize=32)
def _exponent_vectors(n_atoms: int, atom_halves: tuple, most: int) -> np.ndarray:
    """Exponents of (x, atom_1, ..., atom_{n-1}), one row each, in halves (2 = a first power):
    x's power and at most ``most`` other atoms, simplest first (fewer atoms, fewer square roots:
    sin(x) before sqrt(1 - cos(2*x)), smaller exponents)."""
    rows = []
    others = range(1, n_atoms)
    chosen_sets = itertools.chain.from_iterable(itertools.combinations(others, k) for k in range(most + 1))
    for chosen in chosen_sets:
        for powers in itertools.product(atom_halves, repeat=len(chosen)):
            for kx in X_HALVES:
                row = [0] * n_atoms
                row[0] = kx
                for i, k in zip(chosen, powers):
                    row[i] = k
                rows.append(row)
    table = np.array(rows, dtype=np.int64).reshape(-1, n_atoms)
    order = np.lexsort((np.abs(table).sum(axis=1), (table % 2 != 0).sum(axis=1), (table != 0).sum(axis=1)))
    return table[order]


def _values(expressions: list[sp.Expr]):
    """The expressions at the complex ``POINTS`` (rows), the points where one is not finite or a
    block vanishes dropped; None when fewer than 16 remain or numpy cannot evaluate them."""
    try:
        f = sp.lambdify(X, expressions, modules="numpy")
        with np.errstate(all="ignore"):
            rows = [np.broadcast_to(np.asarray(v, dtype=complex), POINTS.shape) for v in f(POINTS)]
    except Exception:  # noqa: BLE001 -- a function numpy lacks: no guess
        return None
    table = np.array(rows)
    keep = np.all(np.isfinite(table), axis=0) & np.all(np.abs(table[4::3]) > 1e-300, axis=0)
    return table[:, keep] if keep.sum() >= 16 else None


def _recognized(values: np.ndarray, numbers: list[sp.Expr]) -> list[sp.Expr] | None:
    """Each value as a rational of denominator <= ``MAX_DENOMINATOR`` times one of ``numbers``
    (1 first), or None when one is not."""
    out = []
    for v in values:
        if abs(v.imag) > 1e-8 * (1 + abs(v)):
            return None
        for number in numbers:
            ratio = v.real / float(number)
            q = sp.Rational(ratio).limit_denominator(MAX_DENOMINATOR)
            if abs(float(q) - ratio) <= 1e-8 * (1 + abs(ratio)):
                out.append(q * number)
                break
        else:
            return None
    return out
