"""Candidate repair: near-miss model candidates proposed again in a repaired form (never trusted:
the verifier decides)."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.prefix import to_prefix
from symseq.solve.repair import add_residual_integral, refit_coefficients, run_repair
from symseq.solve.verifier import verify_candidate

F = X ** 2 * sp.exp(3 * X) / 7 + sp.sin(X) * X
f = sp.diff(F, X)


def test_wrong_coefficients_are_refitted():
    fixed = refit_coefficients(f, X ** 2 * sp.exp(3 * X) / 5 + 2 * sp.sin(X) * X)
    assert sp.simplify(fixed - F) == 0


def test_a_wrong_form_is_not_refitted():
    assert refit_coefficients(f, X ** 2 * sp.exp(3 * X) + sp.cos(X)) is None
    assert refit_coefficients(f, F) is None  # already right: nothing new to propose


@pytest.mark.slow
def test_a_missing_term_is_integrated_from_the_residual():
    fixed = add_residual_integral(f, X ** 2 * sp.exp(3 * X) / 7)
    assert sp.simplify(sp.diff(fixed, X) - f) == 0
    far_off = sp.exp(X ** 3) * sp.atan(X) / (X + sp.cos(X))  # residual larger than the integrand
    assert add_residual_integral(f, far_off) is None


def test_repair_jobs_return_text_the_verifier_proves():
    text = run_repair(("coefficients", f, to_prefix(X ** 2 * sp.exp(3 * X) / 5 + 2 * sp.sin(X) * X)))
    assert verify_candidate("integrate", f, text).verdict.solved
    assert run_repair(("residual", f, to_prefix(F))) is None
