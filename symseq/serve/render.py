"""What the web page shows besides the CLI's object: the question, the answer and the check
(d/dx of the answer = the integrand) as MathML, which browsers render with no external assets,
and the answer as LaTeX for copying."""

from __future__ import annotations

import sympy as sp

MATHML = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{}</math>'
MAX_RENDER_OPS = 400  # larger answers are shown as text only


def _mathml(expr) -> str:
    return MATHML.format(sp.mathml(expr, printer="presentation"))


def rendered(sol, kind: str, var: str | None = None) -> dict:
    """MathML and LaTeX of a solution (empty fields when there is no answer or it is huge)."""
    from symseq.lang.parse import parse_answer

    out: dict = {"question_mathml": None, "answer_mathml": None, "answer_latex": None, "check_mathml": None}
    try:
        question = None
        if kind == "integrate":
            question = parse_answer(sol.question, {})
            names = sorted(str(s) for s in question.free_symbols)
            var = sp.Symbol(var or (names[0] if len(names) == 1 else "x"))
            out["question_mathml"] = _mathml(sp.Integral(question, var))
        if sol.answer is None:
            return out
        answer = sol.answer_expr
        if sp.count_ops(answer) > MAX_RENDER_OPS:
            return out
        out["answer_mathml"] = _mathml(answer)
        out["answer_latex"] = sp.latex(answer)
        if question is not None:
            out["check_mathml"] = _mathml(sp.Eq(sp.Derivative(answer, var), question, evaluate=False))
    except Exception:  # rendering is a courtesy: the answer itself is in the CLI object
        pass
    return out
