"""Answers by case of the parameters: ``Piecewise((F1, b**2 - a**2 > 0), (F2, True))``.

An engine may answer an integral with parameters by cases: FriCAS writes a list ``[F1, F2]``
when the form depends on the sign of an expression in the parameters (``1/(a + b*cos(x))``:
a logarithm when b**2 > a**2, an arctangent when a**2 > b**2), SymPy a ``Piecewise`` whose
conditions are on the parameters.  Here such an answer becomes one ``Piecewise``:

* ``from_case_list``: FriCAS's list; each case holds where its square roots of parameter-only
  expressions are real (their radicands positive), the last one everywhere else; a case whose
  roots are real under the assumptions (sqrt(a) for a > 0) holds wherever those before it do not;
* ``split_degenerate``: branches on an equality of the parameters (SymPy's ``Eq(a, 0)``: a set
  of measure zero, never drawn) are dropped and their values excluded (shown "provided a != 0");
* ``draws_by_branch``: parameter values from the assumed domain for every branch (the verifier
  checks each branch where it is the one in force); a branch no draw reaches is not checked, so
  the answer is refused.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.lang.assume import draw_values

PREFIX = "cases: "  # an engine's list of answers by case, as its text: "cases: [F1, F2]"
CANDIDATE_DRAWS = 400  # values of the parameters drawn to find some in force for each branch
MIN_BRANCH_DRAWS = 2  # draws each branch needs (it is checked at up to draws_by_branch's per_branch)


def case_list_text(text: str) -> str:
    return PREFIX + text


def split_list(text: str) -> list[str]:
    """``"[F1, g(a, b)]"`` -> ``["F1", "g(a, b)"]``: the items of a list, split at its top-level commas."""
    inner = text.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        return [inner]
    items, depth, start = [], 0, 1
    for i, ch in enumerate(inner[1:-1], 1):
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
        if ch == "," and depth == 0:
            items.append(inner[start:i].strip())
            start = i + 1
    items.append(inner[start:-1].strip())
    return [item for item in items if item]


def _parameter_root_bases(e: sp.Expr, parameters: set) -> list[sp.Expr]:
    """The bases of ``e``'s square roots (any power p/2) that are expressions in the parameters alone."""
    found = []
    for power in e.atoms(sp.Pow):
        base = power.base
        if power.exp.is_Rational and power.exp.q == 2 and base.free_symbols and base.free_symbols <= parameters \
                and base not in found:
            found.append(base)
    return found


def parameter_radicands(e: sp.Expr, parameters: set) -> list[sp.Expr]:
    """The bases of ``e``'s square roots (any power p/2) that are expressions in the parameters
    alone and not known to be positive: the answer is real only where they are positive."""
    return [base for base in _parameter_root_bases(e, parameters) if base.is_positive is not True]


def from_case_list(answers: list[sp.Expr], parameters: set) -> sp.Expr:
    """FriCAS's cases as one ``Piecewise``: each case where its parameter-only radicands are
    positive, the last case everywhere else (one answer: itself)."""
    if not answers:
        raise ValueError("an empty list of cases")
    if len(answers) == 1:
        return answers[0]
    branches = []
    for answer in answers[:-1]:
        radicands = parameter_radicands(answer, parameters)
        if not radicands and _parameter_root_bases(answer, parameters):
            # its roots of parameters are real under the assumptions (sqrt(a), a > 0): it holds
            # wherever the cases before it do not; the cases after it are never in force
            return sp.Piecewise(*branches, (answer, True)) if branches else answer
        if not radicands:  # a case with no condition of its own: it cannot be told apart
            raise ValueError("a case of the list has no condition on the parameters")
        branches.append((answer, sp.And(*[r > 0 for r in radicands])))
    return sp.Piecewise(*branches, (answers[-1], True))


def parameter_pieces(e: sp.Expr) -> list[sp.Piecewise]:
    """``e``'s ``Piecewise`` parts whose conditions are on the parameters alone (none on x)."""
    return [p for p in e.atoms(sp.Piecewise) if all(X not in b.cond.free_symbols for b in p.args)]


def boundaries(e: sp.Expr) -> list[sp.Expr]:
    """Where the cases' conditions change (``b**2 - a**2`` of ``b**2 - a**2 > 0``): excluded, so
    the answer is shown "provided b**2 != a**2" (a case's formula need not hold on its edge)."""
    found = []
    for p in parameter_pieces(e):
        for branch in p.args:
            for rel in branch.cond.atoms(sp.Rel):
                edge = rel.lhs - rel.rhs
                if edge.free_symbols and edge not in found and -edge not in found:
                    found.append(edge)
    return found


def split_degenerate(e: sp.Expr) -> tuple[sp.Expr, list[sp.Expr]]:
    """``e`` without its cases on equalities of the parameters (sets of measure zero, which no draw
    reaches), and the expressions that must not vanish so that it holds: a branch on ``Eq(a, 0)``
    (or an And holding one) is dropped and ``a`` excluded; ``Ne(a, b)`` in a branch's condition is
    taken as true and ``a - b`` excluded (SymPy's ``Piecewise((F, Ne(a, b)), (G, True))`` -> F
    provided a != b); the branches after one that always holds are dropped."""
    excluded: list[sp.Expr] = []

    def strip(p: sp.Piecewise) -> sp.Expr:
        if any(X in b.cond.free_symbols for b in p.args):  # a condition on x: not a case of the parameters
            return p
        kept = []
        for branch in p.args:
            terms = sp.And.make_args(branch.cond)
            # only an equation of a polynomial holds on a set of measure zero (Eq(Abs(a), a) does not)
            degenerate = [c for c in terms if isinstance(c, (sp.Eq, sp.Ne)) and _polynomial_edge(c)]
            if any(isinstance(c, sp.Eq) for c in degenerate):
                excluded.extend(c.lhs - c.rhs for c in degenerate if isinstance(c, sp.Eq))
                continue
            excluded.extend(c.lhs - c.rhs for c in degenerate)
            cond = sp.And(*[c for c in terms if c not in degenerate])
            kept.append((branch.expr, cond))
            if cond == sp.true:
                break
        if not kept:
            return sp.nan  # nothing left: the candidate is refused as it stands
        return kept[0][0] if len(kept) == 1 and kept[0][1] == sp.true else sp.Piecewise(*kept)

    if not e.has(sp.Piecewise):
        return e, []
    return e.replace(lambda n: isinstance(n, sp.Piecewise), strip), excluded


def _polynomial_edge(rel: sp.Rel) -> bool:
    """Whether ``lhs - rhs`` of a relation is a nonzero polynomial in its (parameter) symbols."""
    edge = sp.expand(rel.lhs - rel.rhs)
    return bool(edge.free_symbols) and edge.is_polynomial(*edge.free_symbols) and edge != 0


def sign_draws(candidate: sp.Expr, parameters: list, excluded: list, rng: np.random.Generator,
               per_sign: int = 2) -> list[dict]:
    """Values of the parameters on each side of zero of every radicand of ``candidate`` in the
    parameters alone (``parameter_radicands``), and of every such argument of Abs or sign: an
    answer that holds only where its square roots are real (one case of an engine's list), or that
    changes form with the sign of ``2*a - 1``, is then checked on both sides."""
    radicands = parameter_radicands(candidate, set(parameters)) + [
        u.args[0] for u in candidate.atoms(sp.Abs, sp.sign) if u.args[0].free_symbols
        and u.args[0].free_symbols <= set(parameters) and u.args[0].is_positive is not True
        and u.args[0].is_negative is not True]
    if not radicands:
        return []
    wanted = {(k, sign): per_sign for k in range(len(radicands)) for sign in (1, -1)}
    out = []
    for values in draw_values(parameters, rng, CANDIDATE_DRAWS):
        if not any(wanted.values()):
            break
        if any(f.xreplace(values) == 0 for f in excluded):
            continue
        useful = False
        for k, r in enumerate(radicands):
            sign = 1 if r.xreplace(values) > 0 else -1
            if wanted[(k, sign)]:
                wanted[(k, sign)] -= 1
                useful = True
        if useful:
            out.append(values)
    return out


def draws_by_branch(candidate: sp.Expr, parameters: list, excluded: list, rng: np.random.Generator,
                    per_branch: int) -> tuple[list[dict], str]:
    """Values of the parameters from the assumed domain, up to ``per_branch`` for each branch of
    ``candidate``'s parameter ``Piecewise`` (the branch in force at them: the first whose
    condition holds), none where an ``excluded`` factor vanishes; ``([], why)`` when some branch
    (or no branch at all) is in force at fewer than ``MIN_BRANCH_DRAWS`` of the values drawn, or
    when the answer holds several of them (their combinations would each need draws)."""
    pieces = parameter_pieces(candidate)
    if len(pieces) > 1:
        return [], "several answers by cases in one answer: not checked"
    if not pieces:
        return [], "not an answer by cases of the parameters"
    (piece,) = pieces
    chosen: list[list[dict]] = [[] for _ in piece.args]  # per branch
    reached = [0] * len(piece.args)
    for values in draw_values(parameters, rng, CANDIDATE_DRAWS):
        if any(f.xreplace(values) == 0 for f in excluded):
            continue
        conds = [b.cond.xreplace(values) for b in piece.args]
        if not all(c in (sp.true, sp.false) for c in conds):
            return [], "a condition of the cases is not decided by values of the parameters"
        if sp.true not in conds:
            shown = ", ".join(f"{s} = {v}" for s, v in values.items())
            return [], f"no case holds for {shown}"
        branch = conds.index(sp.true)
        reached[branch] += 1
        if len(chosen[branch]) < per_branch:
            chosen[branch].append(values)
    for b_index, count in enumerate(reached):
        if count < MIN_BRANCH_DRAWS:
            return [], f"case {b_index + 1} holds at {min(count, per_branch)} of {CANDIDATE_DRAWS} values of the " \
                "parameters drawn: not checked"
    return [v for found in chosen for v in found], ""


def case_lines(answer: sp.Expr) -> list[str] | None:
    """An answer by cases for people, one line per case (``for a**2 - b**2 < 0: F1``, then
    ``otherwise: F2``); None for any other answer."""
    if not isinstance(answer, sp.Piecewise):
        return None
    return [f"{'otherwise' if b.cond == sp.true else 'for ' + sp.sstr(b.cond)}: {sp.sstr(b.expr)}"
            for b in answer.args]
