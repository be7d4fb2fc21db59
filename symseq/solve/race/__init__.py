"""The race: the model's beam and the engines under one time budget (``loop.Race``), the engine
jobs' order and caps (``schedule``), every time constant (``budget``), and the typed jobs and the
answer's provenance (``jobs``)."""
