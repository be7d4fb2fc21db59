"""Solving: beam search (decode), the verifier (its contract), the engines, the race's schedule,
the solver and public API, and checking any answer (check).  The domain's words (modes, engine
groups, verdicts) are in ``symseq.domain``."""
