#!/bin/bash
# What a new user sees on ten typical inputs (used for the issue-5 closing note and the README).
# Run from the repository root after `make venv`:  bash experiments/speed/first_user.sh
S=${SYMSEQ:-.venv/bin/symseq}
run() { echo "\$ symseq $*"; "$S" "$@" 2>&1; echo "[exit $?]"; echo; }
run integrate "x*cos(x)"
run integrate "x^2 e^x"
run integrate '\frac{1}{1+x^2}'
run integrate "2x sin(x^2)" --candidates
run integrate "t^2 exp(t)" --var t --latex
run integrate "exp(x)/x"
run integrate "sin(x"
run integrate "x*y"
run integrate "foo(x) + 1"
run solve-ode "y' = y + x"
run solve-ode "y'' + y = 0" --json
