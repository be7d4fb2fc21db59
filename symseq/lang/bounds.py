r"""Definite integrals as users write them: ``x^2`` with bounds ``0`` and ``1``, or LaTeX
``\int_0^1 x^2\,dx`` / ``\int_{0}^{\infty} e^{-x} dx``.

``parse_bound(text)`` reads one bound: a real constant (``0``, ``-1/2``, ``pi``, ``sqrt(2)``,
``e``) or an infinity (``oo``, ``inf``, ``infinity``, ``-oo``).  ``parse_definite(text, var,
lower, upper)`` returns the integrand in ``X``, the user's variable and the two bounds; bounds
come from the options or from the LaTeX, never from both.  Errors are ``InputError``.
"""

from __future__ import annotations

import sympy as sp

from symseq.lang.parse import InputError, _is_latex, parse_expression, parse_integrand, parse_latex_expression

_INFINITIES = {"oo": sp.oo, "inf": sp.oo, "infinity": sp.oo, "Infinity": sp.oo}
MAX_BOUND = 10 ** 6  # |a|, |b| beyond this: write oo or rescale the problem


def _checked(bound: sp.Expr, shown: str) -> sp.Expr:
    if bound in (sp.oo, -sp.oo):
        return bound
    if bound.free_symbols:
        raise InputError(f"a bound must be a number (got {shown!r})")
    value = sp.N(bound, 20)
    if not value.is_real or not value.is_finite:
        raise InputError(f"a bound must be a real number or oo (got {shown!r})")
    if abs(value) > MAX_BOUND:
        raise InputError(f"a bound beyond {MAX_BOUND:g} in size (got {shown!r}): use oo or rescale")
    return bound


def parse_bound(text: str) -> sp.Expr:
    """One bound of a definite integral (see the module docstring)."""
    text = str(text).strip()
    if "\\infty" in text:
        if text.replace(" ", "") not in ("\\infty", "+\\infty", "-\\infty"):
            raise InputError(f"a bound must be a number or an infinity (got {text!r})")
        expr = -sp.oo if text.lstrip().startswith("-") else sp.oo
    elif _is_latex(text):
        expr = parse_latex_expression(text)[0]
    else:
        expr = parse_expression(text, dict(_INFINITIES))
    return _checked(sp.sympify(expr), text)


def parse_definite(text: str, var: str | None = None, lower: str | None = None, upper: str | None = None,
                   assume: str | None = None) -> tuple[sp.Expr, sp.Symbol, sp.Expr, sp.Expr]:
    """(integrand in X, the user's variable, lower bound, upper bound)."""
    bounds = None
    if _is_latex(text):
        expr, latex_var, bounds = parse_latex_expression(text, definite=True)
        if bounds is not None:
            if lower is not None or upper is not None:
                raise InputError("the bounds are given twice: in the LaTeX and as --from/--to")
            lower, upper = (_checked(sp.sympify(b), sp.sstr(b)) for b in bounds)
            # the integrand, written back as text, is read like any other (same variable rules)
            integrand, user_var = parse_integrand(sp.sstr(expr), var or latex_var, assume)
            return integrand, user_var, lower, upper
    if lower is None or upper is None:
        raise InputError("a definite integral needs both bounds (--from A --to B)")
    integrand, user_var = parse_integrand(text, var, assume)
    return integrand, user_var, parse_bound(lower), parse_bound(upper)


def is_definite_latex(text: str) -> bool:
    r"""Whether ``text`` is LaTeX of a definite integral (``\int_`` or ``\int^``)."""
    compact = "".join(str(text).split())
    return "\\int_" in compact or "\\int^" in compact


__all__ = ["parse_bound", "parse_definite", "is_definite_latex", "MAX_BOUND"]
