"""Solving: beam search (decode), the verifier (its contract), the engines, the race's schedule,
the solver and public API, and checking any answer (check)."""

# The solver's modes (kept here, import-free, for the CLI): hybrid = the model and every engine
# raced; model = the model alone; engines = every engine without the model; an engine's name =
# that engine alone (symseq.solve.engines.ENGINES).
MODES = ("hybrid", "model", "engines", "sympy", "fricas", "maxima", "manual", "risch", "heurisch",
         "meijerint")
ENGINE_GROUPS = ("strategies", "cas", "repair", "rewrite")  # --without takes these besides engines
# (schedule.GROUPS, the repair of model candidates: symseq.solve.repair, and the equivalent
# forms of the integrand: symseq.solve.rewrite)
