"""The symbols every problem is written in.

``X`` is real (as in Lample & Charton): d|x|/dx = sign(x) and SymPy never introduces re()/im().
``C1``/``C2`` are the integration constants of ODE solutions; ``F`` is the unknown function of
an ODE, used as ``F(X)``.
"""

import sympy as sp

X = sp.Symbol("x", real=True)
C1 = sp.Symbol("c1", real=True)
C2 = sp.Symbol("c2", real=True)
F = sp.Function("f")
F0 = F(X)
F1 = sp.Derivative(F0, X)
F2 = sp.Derivative(F0, (X, 2))
