"""``SolveConfig``: how problems are solved, the one place the solver's defaults live."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from symseq.domain import DEFAULT_BEAM, DEFAULT_TIMEOUT, ENGINE_GROUPS, ENGINE_NAMES, HELPER_JOBS, MODES, \
    expand_engines


@dataclass(frozen=True)
class SolveConfig:
    """How problems are solved: the one place the defaults live (the CLI maps its options here)."""

    mode: str = "hybrid"  # see symseq.domain.MODES
    beam: int = DEFAULT_BEAM
    timeout: float = DEFAULT_TIMEOUT  # seconds per problem, every stage included
    checkpoint: str | Path | None = None  # model folder; None = the shipped one
    batch_size: int = 16  # problems decoded together by integrate_many / solve_ode_many
    without: tuple[str, ...] = ()  # engines (or groups: strategies, cas) left out of the race
    cores: int | None = None  # engine jobs at once; None = the cores this process may use

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES} (got {self.mode!r})")
        if self.beam < 1 or self.batch_size < 1:
            raise ValueError("beam and batch_size must be >= 1")
        if not self.timeout > 0:
            raise ValueError("timeout must be > 0")
        unknown = expand_engines(self.without) - set(ENGINE_NAMES) - set(HELPER_JOBS)
        if unknown:
            raise ValueError(f"unknown engine {sorted(unknown)[0]!r} (engines: {', '.join(ENGINE_NAMES)}; "
                             f"groups: {', '.join(ENGINE_GROUPS)})")

    @property
    def uses_model(self) -> bool:
        return self.mode in ("hybrid", "model")


def configured(config: SolveConfig | None, changes: dict) -> SolveConfig:
    """``config`` (or the defaults) with ``changes`` applied; an unknown field is a TypeError."""
    try:
        return dataclasses.replace(config or SolveConfig(), **changes)
    except TypeError as err:
        raise TypeError(f"unknown solver option: {err}") from None
