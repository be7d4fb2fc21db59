"""Build the measurement-only suites public-textbook.jsonl and public-hard.jsonl from Rubi's tests.

Source: the Rubi integration test suite in Mathematica syntax, public repository
https://github.com/RuleBasedIntegration/MathematicaSyntaxTestSuite (MIT licence; used at commit
32b79cedb8a5a80e82e6db9f67e9cdf88cf11217).  Its ``.m`` files hold one problem per line,
``{integrand, x, steps, antiderivative}``.  Nothing of that repository is kept here: pass the
path of a checkout (or of ``git archive`` of it), and this script converts and samples
(fixed seed ``SEED``) into JSONL lines

    {"id": "<file stem>-<index in file>", "task": "integrate", "question": <SymPy syntax>,
     "integral": <their antiderivative, SymPy syntax; left out if not convertible>,
     "source": "Rubi MathematicaSyntaxTestSuite/<file path>"}

Run from the repository root:

    python benchmarks/make_public_suites.py /path/to/MathematicaSyntaxTestSuite

Kept: integrands in the integration variable only (written as x; a few problems use t or z),
made of integers, rationals, pi, E, +-*/^, Abs and the elementary functions of ``ELEMENTARY``,
real somewhere on [-5, 5], and read by ``symseq.lang.parse.parse_integrand``.  The integral is
kept only if its derivative matches the integrand numerically (a check of this conversion).

- public-textbook (150): Rubi chapters 1-5 (algebraic, exponential, logarithm, trig, inverse
  trig) and "0 Independent test suites/Stewart Problems.m", plain problems only (1-3 Rubi steps,
  integrand <= 40 characters, elementary antiderivative <= 90 characters); the same number from
  each of the six groups, and within a group round-robin over its files.
- public-hard (100): the other independent test suites (Apostol, Bondarenko, Bronstein,
  Charlwood, Hearn, Hebisch, Jeffrey, Moses, Timofeev, Welz, Wester), problems of 3 or more
  Rubi steps (or a negative count) with a closed-form antiderivative, round-robin over the files.

- public-params (100, with ``--params``): problems of the same chapters and suites with
  parameters (symbols among a-h, m, n, p, q besides the variable; e renamed k) and an elementary
  antiderivative, none of the other suites' questions, round-robin over the chapters, each
  antiderivative's derivative checked at positive parameter values; written alone.

- public-special (100, with ``--special``): problems of every chapter and suite above whose
  antiderivative needs a special function (erf, Ei, li, Si/Ci, Fresnel, polylog, incomplete
  gamma, LambertW, elliptic integrals; hypergeometric ones left out) and was converted and
  checked, none of the other two suites' questions, round-robin over the chapters; written
  alone (the other two suites are left as they are).

These suites are for measurement only: never train on them (generate with ``--exclude``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.sympy_parser import parse_expr

from symseq.lang.parse import InputError, parse_integrand

SEED = 20261201
SOURCE = "Rubi MathematicaSyntaxTestSuite"
ELEMENTARY = {  # Mathematica name -> SymPy name: the functions an integrand may hold
    "Exp": "exp", "Log": "log", "Sqrt": "sqrt", "Abs": "Abs",
    **{m: m.lower() for m in ("Sin", "Cos", "Tan", "Cot", "Sec", "Csc",
                              "Sinh", "Cosh", "Tanh", "Coth", "Sech", "Csch")},
    **{"Arc" + m: "a" + m.lower() for m in ("Sin", "Cos", "Tan", "Cot", "Sec", "Csc",
                                            "Sinh", "Cosh", "Tanh", "Coth", "Sech", "Csch")},
    "E": "E", "Pi": "pi",
}
SPECIAL = {  # further names an antiderivative may hold (SymPy's conventions match these)
    "I": "I", "PolyLog": "polylog", "Erf": "erf", "Erfc": "erfc", "Erfi": "erfi",
    "ExpIntegralEi": "Ei", "LogIntegral": "li", "SinIntegral": "Si", "CosIntegral": "Ci",
    "SinhIntegral": "Shi", "CoshIntegral": "Chi", "FresnelS": "fresnels", "FresnelC": "fresnelc",
    "Gamma": "gamma", "ProductLog": "LambertW", "EllipticF": "elliptic_f", "EllipticE": "elliptic_e",
    "EllipticPi": "elliptic_pi", "EllipticK": "elliptic_k", "AppellF1": "appellf1",
    "Hypergeometric2F1": "hyp2f1",
}
TOKEN = re.compile(r"(\s*)(?:(\d+\.\d*|\.\d+)|(\d+)|([A-Za-z][A-Za-z0-9]*)|([-+*/^(),\[\]]))")


def _one_arg(fn):
    def call(*args):
        if len(args) != 1:  # Log[b, z], ArcTan[x, y]: other argument orders than SymPy's
            raise ValueError("not a one-argument call")
        return fn(*args)
    return call


NAMESPACE = {name: _one_arg(getattr(sp, name)) for name in set(ELEMENTARY.values()) - {"E", "pi"}}
NAMESPACE.update({"E": sp.E, "pi": sp.pi, "I": sp.I, "x": sp.Symbol("x"),
                  "hyp2f1": lambda a, b, c, z: sp.hyper([a, b], [c], z),
                  "gamma": lambda *a: sp.gamma(*a) if len(a) == 1 else sp.uppergamma(*a),
                  **{v: getattr(sp, v) for v in SPECIAL.values() if v not in ("I", "hyp2f1")}})


def to_sympy_text(text: str, names: dict[str, str], var: str) -> str | None:
    """Mathematica input form -> SymPy syntax, or None if it holds anything outside ``names``
    (other symbols, floats, other functions, unusual syntax)."""
    out, stack, pos, prev_end = [], [], 0, False
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            return None
        pos = m.end()
        space, flt, num, name, op = m.groups()
        if flt:
            return None
        implicit = prev_end and (num or name or op == "(")
        out.append("*" if implicit else " " if space and out else "")
        if num or name:
            call = name is not None and text[pos:pos + 1] == "["
            if num or (name == var and not call):
                word = num or "x"
            elif name in names:
                word = names[name] + ("(" if call else "")
            else:
                return None
            out.append(word)  # after "*" where the product is implicit: "2 x", "x (1 + x)"
            if call:
                stack.append("[")
                pos += 1
            prev_end = not call
        elif op in "([":
            if op == "[":
                return None  # Part or Derivative[1][f] syntax
            out.append("(")
            stack.append("(")
            prev_end = False
        elif op in ")]":
            if not stack or stack.pop() != {")": "(", "]": "["}[op]:
                return None
            out.append(")")
            prev_end = True
        else:
            out.append("**" if op == "^" else op)
            prev_end = False
    return "".join(out) if not stack else None


def split_top(body: str) -> list[str]:
    """Split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    return parts + [body[start:]]


def problems(path: Path):
    """(index, [integrand, var, steps, antiderivative, ...]) of a test file; comments skipped."""
    text, out, depth, i = path.read_text(), [], 0, 0
    while i < len(text):  # drop (* nested comments *)
        if text.startswith("(*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*)", i) and depth:
            depth, i = depth - 1, i + 2
        else:
            if not depth:
                out.append(text[i])
            i += 1
    text, n, level, start = "".join(out), 0, 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            level += 1
            start = i if level == 1 else start
        elif ch == "}":
            level -= 1
            if level == 0:
                n += 1
                yield n, [p.strip() for p in split_top(text[start + 1:i])]


def convert(fields: list[str]) -> tuple[str | None, str, str | None]:
    """(question or None, why dropped, integral text or None)."""
    if len(fields) < 4:
        return None, "malformed", None
    var = fields[1]
    if not re.fullmatch(r"[A-Za-z]\w*", var):
        return None, "variable", None
    q = to_sympy_text(fields[0], ELEMENTARY, var)
    if q is None:
        return None, "symbols or functions", None
    try:
        f = parse_expr(q, local_dict=dict(NAMESPACE))
        if f.free_symbols != {sp.Symbol("x")} or f.atoms(sp.Float) or f.has(sp.I, sp.zoo, sp.nan):
            return None, "symbols or functions", None
    except Exception:
        return None, "symbols or functions", None
    try:
        parse_integrand(q, "x")
    except InputError:
        return None, "rejected by parse_integrand", None
    F = to_sympy_text(fields[3], {**ELEMENTARY, **SPECIAL}, var)
    try:
        Fx = parse_expr(F, local_dict=dict(NAMESPACE)) if F else None
    except Exception:
        Fx = None
    ok = Fx is not None and Fx.free_symbols <= {sp.Symbol("x")} and not Fx.atoms(AppliedUndef)
    return q, "", sp.sstr(Fx) if ok else None


def derivative_matches(question: str, integral: str) -> bool:
    """d/dx integral == question at three points (checks the conversion, not Rubi)."""
    x = sp.Symbol("x")
    f, F = (parse_expr(t, local_dict=dict(NAMESPACE)) for t in (question, integral))
    dF, good = sp.diff(F, x), 0
    for p in (sp.Rational(3, 7), sp.Rational(6, 5), sp.Rational(23, 10)):
        try:
            a, b = complex(f.subs(x, p).evalf(30)), complex(dF.subs(x, p).evalf(30))
            good += abs(a - b) <= 1e-8 * (1 + abs(a))
        except (TypeError, ValueError, ZeroDivisionError):
            pass
    return good >= 2


def steps(fields: list[str]) -> int:
    return int(fields[2]) if re.fullmatch(r"-?\d+", fields[2]) else 0


def plain(fields: list[str], question: str) -> bool:
    """Textbook-like: 1-3 Rubi steps, short integrand, short elementary antiderivative."""
    names = set(re.findall(r"[A-Za-z][A-Za-z0-9]*(?=\[)", fields[3]))
    return 0 < steps(fields) <= 3 and len(question) <= 40 and len(fields[3]) <= 90 \
        and names <= set(ELEMENTARY)


def hard_enough(fields: list[str]) -> bool:
    """Not a one- or two-step problem, with a closed-form antiderivative (0 steps and
    Unintegrable/CannotIntegrate: none known).  Negative step counts are kept."""
    return steps(fields) < 0 or steps(fields) >= 3 and "Unintegrable" not in fields[3] \
        and "CannotIntegrate" not in fields[3]


def real_somewhere(question: str) -> bool:
    """Real and finite at >= 5 of 40 points in [-5, 5] (otherwise nothing can be verified)."""
    question = _with_positive_values(question)  # parameters (public-params) at positive values
    f = sp.lambdify(sp.Symbol("x"), parse_expr(question, local_dict=dict(NAMESPACE)), "mpmath")
    good = 0
    for k in range(40):
        try:
            v = complex(f(-5 + 0.25 * k + 0.0137))
            good += abs(v.imag) <= 1e-12 * (1 + abs(v.real)) and abs(v.real) < 1e100
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            pass
    return good >= 5


def sample(pool: dict[tuple[str, str], list], n: int, rng: random.Random, taken: set,
           skipped: dict) -> list:
    """Round-robin over the groups (chapters), within a group over its files (shuffled order), one
    random problem per turn; repeated questions and integrands real nowhere are skipped."""
    groups: dict[str, list] = {}
    for group, file in sorted(pool):
        groups.setdefault(group, []).append(file)
        rng.shuffle(pool[group, file])
    for files in groups.values():
        rng.shuffle(files)

    def draw(group: str):
        files = groups[group]
        while files:
            file = files.pop(0)
            while pool[group, file]:
                item = pool[group, file].pop()
                why = "repeated" if item["question"] in taken else \
                    "" if real_somewhere(item["question"]) else "real nowhere"
                skipped[why] = skipped.get(why, 0) + 1
                if not why:
                    files.append(file)
                    taken.add(item["question"])
                    return item
        return None

    chosen = []
    while len(chosen) < n and any(groups.values()):
        for group in sorted(groups):
            if len(chosen) < n and (item := draw(group)):
                chosen.append(item)
    return chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="checkout of RuleBasedIntegration/MathematicaSyntaxTestSuite")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "suites")
    ap.add_argument("--textbook", type=int, default=150)
    ap.add_argument("--hard", type=int, default=100)
    ap.add_argument("--special", type=int, default=0,
                    help="build only public-special, of this many problems (the others stay)")
    ap.add_argument("--params", type=int, default=0,
                    help="build only public-params, of this many problems (the others stay)")
    args = ap.parse_args()
    if args.special:
        special_suite(args)
        return
    if args.params:
        params_suite(args)
        return
    textbook, hard, dropped, total = {}, {}, {}, 0
    for path in sorted(args.source.rglob("*.m")):
        rel = path.relative_to(args.source).as_posix()
        chapter = rel.split(" ", 1)[0]
        if chapter not in {"0", "1", "2", "3", "4", "5"}:
            continue
        is_hard = chapter == "0" and "Stewart" not in rel
        for i, fields in problems(path):
            total += 1
            q, why, F = convert(fields)
            if q is None:
                dropped[why] = dropped.get(why, 0) + 1
                continue
            if not (hard_enough(fields) if is_hard else plain(fields, q)):
                why = "too easy or no antiderivative" if is_hard else "not plain"
                dropped[why] = dropped.get(why, 0) + 1
                continue
            item = {"id": f"{path.stem.replace(' ', '_')}-{i}", "task": "integrate", "question": q,
                    **({"integral": F} if F else {}), "source": f"{SOURCE}/{rel}"}
            group = rel if is_hard else "Stewart" if chapter == "0" else chapter
            (hard if is_hard else textbook).setdefault((group, rel), []).append(item)
    rng, taken = random.Random(SEED), set()
    print(f"{total} problems read; candidates: textbook {sum(map(len, textbook.values()))} "
          f"in {len(textbook)} files, hard {sum(map(len, hard.values()))} in {len(hard)} files; "
          f"dropped {dropped}", file=sys.stderr)
    for name, pool, n in (("public-hard", hard, args.hard), ("public-textbook", textbook, args.textbook)):
        skipped = {}
        chosen, bad = sample(pool, n, rng, taken, skipped), 0
        for item in chosen:
            if "integral" in item and not derivative_matches(item["question"], item["integral"]):
                del item["integral"]
                bad += 1
        chosen.sort(key=lambda it: (it["source"], int(it["id"].rsplit("-", 1)[1])))
        (args.out / f"{name}.jsonl").write_text("".join(json.dumps(it) + "\n" for it in chosen))
        print(f"{name}: {len(chosen)} problems from {len({it['source'] for it in chosen})} files, "
              f"{sum('integral' in it for it in chosen)} with their antiderivative "
              f"({bad} dropped by the derivative check); draws skipped: "
              f"{ {k: v for k, v in skipped.items() if k} }", file=sys.stderr)


SPECIAL_NAMES = {"erf", "erfc", "erfi", "Ei", "li", "Si", "Ci", "Shi", "Chi", "fresnels", "fresnelc",
                 "polylog", "uppergamma", "LambertW", "elliptic_f", "elliptic_e", "elliptic_pi", "elliptic_k"}


def _taken(out: Path, names: tuple[str, ...]) -> set[str]:
    """The questions of the suites ``names`` already written in ``out``."""
    return {json.loads(line)["question"] for name in names for line in (out / f"{name}.jsonl").read_text().splitlines()}


def _chapter_pool(source: Path, read) -> tuple[dict, int]:
    """Problems of chapters 0-5 as suite items, grouped by (chapter, file), and how many were
    read: ``read(fields)`` gives (question, integral) or None to leave the problem out."""
    pool, total = {}, 0
    for path in sorted(source.rglob("*.m")):
        rel = path.relative_to(source).as_posix()
        chapter = rel.split(" ", 1)[0]
        if chapter not in {"0", "1", "2", "3", "4", "5"}:
            continue
        for i, fields in problems(path):
            total += 1
            found = read(fields)
            if found is not None:
                item = {"id": f"{path.stem.replace(' ', '_')}-{i}", "task": "integrate", "question": found[0],
                        "integral": found[1], "source": f"{SOURCE}/{rel}"}
                pool.setdefault((chapter, rel), []).append(item)
    return pool, total


def _write_suite(out: Path, name: str, chosen: list, pool: dict, total: int, kind: str) -> None:
    chosen.sort(key=lambda it: (it["source"], int(it["id"].rsplit("-", 1)[1])))
    (out / f"{name}.jsonl").write_text("".join(json.dumps(it) + "\n" for it in chosen))
    print(f"{total} problems read; {sum(map(len, pool.values()))} {kind}; "
          f"{name}: {len(chosen)} from {len({it['source'] for it in chosen})} files", file=sys.stderr)


def _special_problem(fields: list[str]) -> tuple[str, str] | None:
    q, _, F = convert(fields)
    if q is None or F is None or "hyper" in F or "Unintegrable" in fields[3]:
        return None
    return (q, F) if set(re.findall(r"[A-Za-z_]+(?=\()", F)) & SPECIAL_NAMES else None


def special_suite(args: argparse.Namespace) -> None:
    """public-special: see the module docstring."""
    pool, total = _chapter_pool(args.source, _special_problem)
    chosen = [it for it in sample(pool, 3 * args.special, random.Random(SEED + 1),
                                  _taken(args.out, ("public-hard", "public-textbook")), {})
              if derivative_matches(it["question"], it["integral"])][:args.special]
    _write_suite(args.out, "public-special", chosen, pool, total, "with a special-function antiderivative")


# Rubi's parameter names; e is renamed k (symseq, like most users, reads e as Euler's number)
PARAMETERS = {**{name: name for name in "abcdfghmnpq"}, "e": "k"}


def _with_positive_values(text: str) -> str:
    """The expression with each parameter replaced by a positive rational (for the checks)."""
    values = {name: f"({k + 3}/{k + 2})" for k, name in enumerate(sorted(PARAMETERS.values()))}
    return re.sub(r"\b[a-dfghkmnpq]\b", lambda m: values[m.group(0)], text)


def _params_problem(fields: list[str]) -> tuple[str, str] | None:
    if len(fields) < 4 or fields[1] != "x" or "Unintegrable" in fields[3] or "CannotIntegrate" in fields[3]:
        return None
    q = to_sympy_text(fields[0], {**ELEMENTARY, **PARAMETERS}, "x")
    F = to_sympy_text(fields[3], {**ELEMENTARY, **PARAMETERS}, "x")
    if q is None or F is None or not re.search(r"\b[a-dfghkmnpq]\b", q):
        return None
    try:
        f = parse_expr(q, local_dict=dict(NAMESPACE))
        if f.atoms(sp.Float) or f.has(sp.I, sp.zoo, sp.nan) or sp.Symbol("x") not in f.free_symbols:
            return None
        parse_integrand(q, "x")
    except Exception:
        return None
    return q, F


def params_suite(args: argparse.Namespace) -> None:
    """public-params: see the module docstring."""
    pool, total = _chapter_pool(args.source, _params_problem)
    taken = _taken(args.out, ("public-hard", "public-textbook", "public-special"))
    chosen = []
    for it in sample(pool, 3 * args.params, random.Random(SEED + 2), taken, {}):
        q, F = _with_positive_values(it["question"]), _with_positive_values(it["integral"])
        try:
            if derivative_matches(q, F):
                chosen.append(it)
        except Exception:
            pass
        if len(chosen) == args.params:
            break
    _write_suite(args.out, "public-params", chosen, pool, total, "with parameters and an elementary antiderivative")


if __name__ == "__main__":
    main()
