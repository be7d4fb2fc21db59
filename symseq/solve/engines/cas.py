"""FriCAS and Maxima as engines: the question printed in their language, asked of a warm
session (``Session``), the answer read back as SymPy-syntax text (never evaluated here: the
verifier's safe parser reads it, and an answer it cannot read is recorded as such).

Each program runs as a ``Session``: started once per process and asked one question at a time
(a call then costs milliseconds instead of a process start, ``experiments/RESULTS.md``), in its own
process group under the sandbox child's memory limit, killed with its group when a call overruns,
and dying with the process that started it (``PR_SET_PDEATHSIG``).

Integration: FriCAS ``integrate`` (a ``rootOf`` in its answer written by radicals, read by the safe
parser in this sandboxed job: ``fricas_roots``), Maxima ``integrate`` (and each one's definite
integral, ``fricas_definite`` / ``maxima_definite``, a value for ``symseq.solve.definite`` to
check).  ODEs: FriCAS ``solve`` (linear equations: a particular solution and a basis, assembled
here as ``p + c1*b1 + c2*b2``), Maxima ``ode2`` (``y = ...``, or an implicit answer solved for y
by ``solve``, each branch an answer; ``%c``, ``%k1``, ``%k2`` become c1, c2).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import sympy as sp

from generators.symbols import C1, X
from symseq.solve.cases import case_list_text, split_list
from symseq.solve.engines.cas_syntax import (FRICAS_NAMES, MAX_ANSWER_CHARS, MAXIMA_NAMES, NAME,  # noqa: F401
                                             maxima_facts, to_fricas, to_maxima, to_sympy_text)


def installed(program: str) -> bool:
    return shutil.which(program) is not None


def version(program: str) -> str:
    """The program's version as it prints it ("FriCAS 1.3.8", "Maxima 5.46.0"), or ""."""
    argv, pattern = ({"fricas": (["fricas", "-nosman"], r"Version: (FriCAS [\w.]+)"),
                      "maxima": (["maxima", "--version"], r"(Maxima [\w.]+)")}[program])
    try:
        out = run_program(argv, ")quit\n" if program == "fricas" else "", 30.0)
    except (TimeoutError, OSError):
        return ""
    found = re.search(pattern, out)
    return found.group(1) if found else ""


# --- running the programs -------------------------------------------------------------------------

def _die_with_parent() -> None:  # in the CAS child, before exec
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def run_program(argv: list[str], stdin_text: str, seconds: float) -> str:
    """Run ``argv`` once with ``stdin_text``; its output.  Killed with its process group after
    ``seconds`` (raises ``TimeoutError``).  Used to read a program's version; the engines
    ask their questions through a ``Session``."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            preexec_fn=_die_with_parent)
    try:
        out, _ = proc.communicate(stdin_text, timeout=max(0.1, seconds))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise TimeoutError(f"{argv[0]} gave no answer within {seconds:g} s") from None
    return out


class Session:
    """One running FriCAS or Maxima, asked one question at a time.

    A call writes its commands and reads the program's output until an end marker; a call
    that overruns its seconds (or that the program answers with a question of its own) kills
    the program's process group, and the next call starts a fresh one.  The program dies with
    the process that started it (``PR_SET_PDEATHSIG``), so the sandbox's hard limit still holds:
    a sandboxed job killed at its deadline takes its session with it.  Sessions live as long
    as their process: in a warm sandbox worker (``symseq serve``) they are reused across calls.
    """

    END = "SYMSEQ-END"

    def __init__(self, argv: list[str], setup: list[str], end_command: str) -> None:
        self.argv, self.setup, self.end_command = argv, setup, end_command
        self.calls = 0  # numbers each call's end marker
        self.owner = os.getpid()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        self.pending = b""  # output read but not yet split into lines
        self.ask(setup, 60.0)

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()

    def ask(self, commands: list[str], seconds: float) -> list[str]:
        """The output lines of ``commands`` (up to the end marker)."""
        import selectors

        deadline = time.monotonic() + max(0.1, seconds)
        # a marker of this call only, matched as a whole line: neither the program's echo of the
        # command that prints it nor a marker left unread by an earlier call can end this one
        self.calls += 1
        marker = f"{self.END}-{self.calls}"
        try:
            self.proc.stdin.write("\n".join([*commands, self.end_command.format(marker=marker), ""]).encode())
            self.proc.stdin.flush()
        except OSError:
            self.kill()
            raise TimeoutError(f"{self.argv[0]} stopped") from None
        lines: list[str] = []
        fd = self.proc.stdout.fileno()  # read raw: a buffered reader would hide ready lines from select
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while True:
                while b"\n" in self.pending:
                    raw, self.pending = self.pending.split(b"\n", 1)
                    line = raw.decode(errors="replace")
                    if _PROMPTS.sub("", line).strip() == marker:  # FriCAS: "(1) -> (1) ->    MARKER"
                        return lines
                    if self.END in line:  # an echo, or an earlier call's marker
                        continue
                    if _ASKS.search(line):  # Maxima asks about a sign: it would wait for an answer
                        self.kill()
                        return []
                    lines.append(line)
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    self.kill()
                    raise TimeoutError(f"{self.argv[0]} gave no answer within {seconds:g} s")
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.kill()
                    raise TimeoutError(f"{self.argv[0]} stopped")
                self.pending += chunk


_PROMPTS = re.compile(r"^(\s*\(\d+\) ->)+")
_ASKS = re.compile(r"^Is .* (positive|negative|zero|integer|nonzero)\b.*\?\s*$")
_SESSIONS: dict[str, Session] = {}


def _session(name: str) -> Session:
    session = _SESSIONS.get(name)
    if session is None or not session.alive():
        if name == "fricas":
            session = Session(["fricas", "-nosman"], [")set messages autoload off",
                                                      ")set output algebra off"],
                              'output("{marker}")')
        else:
            session = Session(["maxima", "--very-quiet"], ["display2d:false$", "linel:1000000$"],
                              'printf(true, "~%{marker}~%")$')
        _SESSIONS[name] = session
    return session


def fricas_string(text: str) -> str:
    """``text`` as a FriCAS string literal: ``_`` is FriCAS's escape character, so a path such as
    ``/tmp/symseq-fricas-ab_c/answer.txt`` written as is names ``/tmp/symseq-fricas-abc/...``, a
    folder that does not exist (the cause of answers lost as "no closed form" in one call in five:
    a temporary folder's random name holds ``_`` that often)."""
    return '"' + text.replace("_", "__").replace('"', '_"') + '"'


class SessionFault(RuntimeError):
    """A CAS session gave a reply that cannot be trusted (it wrote no answer and reported no error
    of its own): the session is replaced, and the call reports this instead of "no closed form"."""


def _fricas_lines(work: str, seconds: float) -> list[str]:
    """What FriCAS command line ``work`` wrote to the output file ``o`` (opened for it first)."""
    with tempfile.TemporaryDirectory(prefix="symseq-fricas-") as tmp:
        out = Path(tmp) / "answer.txt"
        # One input line: an error in FriCAS aborts the rest of its line only, so neither a failed
        # open nor a failed integrate reaches the write (``o`` and ``r`` may still hold the
        # previous call's file and answer).
        command = f'(o := open({fricas_string(str(out))}, "output")$TextFile; {work})'
        # the file gets the answer whole (the terminal would break long lines).  A session that
        # did not even create it, or that reports a system error, is in an unknown state: it is
        # replaced and asked once more, and never believed.
        deadline = time.monotonic() + seconds
        for _ in range(2):
            session = _session("fricas")
            reply = session.ask([command, "close! o"], deadline - time.monotonic())
            faulty = not out.exists() or any("System error" in line for line in reply)
            if not faulty:
                break
            session.kill()
            if out.exists():
                out.unlink()
        else:
            raise SessionFault("FriCAS wrote no answer in two fresh tries: "
                               + " ".join(" ".join(reply).split())[:200])
        return out.read_text().splitlines()


def fricas(kind: str, question: sp.Expr, seconds: float) -> str | None:
    if kind == "integrate":
        lines = _fricas_lines(f"r := integrate({to_fricas(question)}, x); writeLine!(o, unparse(r::InputForm))",
                              seconds)
        if not lines:
            return None
        text = to_sympy_text(lines[0], FRICAS_NAMES)
        if text is not None and "rootOf(" in text and not text.startswith("["):
            from symseq.solve.engines.fricas_roots import named_roots

            return named_roots(text, question) or None  # the rootOf written by radicals
        if text is None or not text.startswith("["):
            return text
        # a list of answers by case of the parameters: all of them as one answer by cases, then
        # each one alone (one may hold for every value assumed: sqrt(a) beside sqrt(-a))
        return [case_list_text(text), *split_list(text)]
    lines = _fricas_lines(f"y := operator 'y; r := solve({to_fricas(question)} = 0, y, x); "
                          "writeLine!(o, unparse(r.particular::InputForm)); "
                          "for b in r.basis repeat writeLine!(o, unparse(b::InputForm))", seconds)
    if len(lines) != 1 + (2 if kind == "ode2" else 1):
        return None
    parts = [to_sympy_text(line.replace("y(x)", "y"), FRICAS_NAMES) for line in lines]
    if any(p is None or "y" in NAME.findall(p) for p in parts):
        return None
    particular, *basis = parts
    return " + ".join([f"({particular})"] + [f"c{i}*({b})" for i, b in enumerate(basis, 1)])


def fricas_definite(question: sp.Expr, a: sp.Expr, b: sp.Expr, seconds: float) -> str | None:
    """FriCAS's definite integral over [a, b] (``"noPole"``: it is told the integrand has no pole
    there, so its value is only ever a proposal: the caller checks it against quadrature)."""
    lo, hi = (_bound(e, "%minusInfinity", "%plusInfinity", to_fricas) for e in (a, b))
    lines = _fricas_lines(f'r := integrate({to_fricas(question)}, x = {lo}..{hi}, "noPole"); '
                          "writeLine!(o, unparse((retract(r.f1)@Expression(Integer))::InputForm))", seconds)
    return to_sympy_text(lines[0], FRICAS_NAMES) if len(lines) == 1 else None


def maxima_definite(question: sp.Expr, a: sp.Expr, b: sp.Expr, seconds: float) -> str | None:
    """Maxima's definite integral over [a, b] (a proposal: the caller checks it)."""
    lo, hi = (_bound(e, "minf", "inf", to_maxima) for e in (a, b))
    call = f"integrate({to_maxima(question)}, x, {lo}, {hi})"
    found = _printed(_session("maxima").ask([f'printf(true, "~%SYMSEQ ~a~%", string({call}))$'], seconds))
    return to_sympy_text(found[0], MAXIMA_NAMES) if len(found) == 1 else None


def _bound(e: sp.Expr, minus_infinity: str, plus_infinity: str, printer) -> str:
    return minus_infinity if e == -sp.oo else plus_infinity if e == sp.oo else printer(e)


def maxima(kind: str, question: sp.Expr, seconds: float) -> str | list[str] | None:
    if kind == "integrate":
        call = f"integrate({to_maxima(question)}, x)"
        facts = maxima_facts(question)  # the parameters' assumptions, in a context of this call
        out = _session("maxima").ask([*(["supcontext(symseq)$", *facts] if facts else []),
                                      f'printf(true, "~%SYMSEQ ~a~%", string({call}))$',
                                      *(["killcontext(symseq)$"] if facts else [])], seconds)
        found = _printed(out)
        return to_sympy_text(found[0], MAXIMA_NAMES) if len(found) == 1 else None
    # ode2's answer y = ..., or an implicit one (asin(y) = x + %c) solved for y: each explicit
    # branch on its own line (errcatch: a parametric answer or a failed solve gives none); an
    # implicit one that solve cannot turn into any branch is printed as it is (lhs - rhs)
    out = _session("maxima").ask([
        f"block([s: errcatch(ode2({to_maxima(question)} = 0, y, x)), L: [], n: 0], "
        "if s # [] and first(s) # false then (s: first(s), "
        "L: if lhs(s) = y then [s] else first(append(errcatch(solve(s, y)), [[]])), "
        "for e in L do if lhs(e) = y and freeof(y, rhs(e)) then "
        '(n: n + 1, printf(true, "~%SYMSEQ ~a~%", string(rhs(e)))), '
        'if n = 0 and lhs(s) # y then printf(true, "~%SYMSEQIMPLICIT ~a~%", string(lhs(s) - rhs(s)))))$'],
        seconds)
    found = _printed(out)
    found.sort(key=lambda text: "%i" in text)  # real branches first: one of them is shown if proved
    answers = [a for a in (to_sympy_text(f, MAXIMA_NAMES) for f in found) if a is not None]
    if not answers and kind == "ode1":
        answers = _maxima_implicit(out)
    return answers or None


def _maxima_implicit(lines: list[str]) -> list[str]:
    """ode2's implicit answer (``SYMSEQIMPLICIT lhs - rhs``, in x, y and %c) as ``implicit: H``."""
    from symseq.lang.parse import InputError, parse_answer
    from symseq.solve.implicit import Y, implicit_text

    out = []
    for line in lines:
        if line.startswith("SYMSEQIMPLICIT "):
            text = to_sympy_text(line[len("SYMSEQIMPLICIT "):].strip(), MAXIMA_NAMES)
            try:
                relation = parse_answer(text, {"x": X, "y": Y, "c1": C1}) if text else None
            except InputError:
                relation = None
            found = implicit_text(relation, C1) if relation is not None else None
            out += [found] if found else []
    return out


def _printed(lines: list[str]) -> list[str]:
    """What Maxima printed after our ``SYMSEQ`` tags, one item per tagged line."""
    return [line[len("SYMSEQ "):].strip() for line in lines if line.startswith("SYMSEQ ")]
