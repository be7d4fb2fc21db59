"""Solving: beam search (decode), the verifier (its contract), the solver race and public API,
and checking any answer (check)."""
