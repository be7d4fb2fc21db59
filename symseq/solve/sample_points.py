"""The verifier's sample points: x (and the ODE constants c1, c2) where a residual is judged.

``sample_sets(rng)``: the fixed default points with ``RANDOM_POINTS`` drawn afresh (no answer can
be fitted to them), then, used only when too few of those are usable, the same spread 20 times
wider and a dense grid over [-10, 10] (answers real only on a short interval).
"""

from __future__ import annotations

import numpy as np

from generators.symbols import C1, C2, X
from symseq.numerics.numeric import default_env

def _wide_env() -> dict:
    """The default points with x spread 20 times wider (|x| from 1 to 100)."""
    return {**default_env(), X: default_env()[X] * 20}


def _dense_env(n: int = 4001, half_width: float = 10.0) -> dict:
    """x on a fine grid over [-10, 10] (offset so that no point is a simple number), for answers
    real only on a short interval (atanh(4x - 5): 1 < x < 1.5)."""
    env = default_env()
    xs = -half_width + 2 * half_width * (np.arange(n) + 0.5 + 0.1234567) / n
    reps = -(-n // len(env[X]))
    return {X: xs.astype(np.complex128), C1: np.tile(env[C1], reps)[:n], C2: np.tile(env[C2], reps)[:n]}


_ENVS = (default_env(), _wide_env(), _dense_env())
RANDOM_POINTS = 8


def sample_sets(rng: np.random.Generator) -> tuple[dict, ...]:
    """The point sets in the order the verifier tries them (the module docstring)."""
    return (_with_random_points(_ENVS[0], rng), *_ENVS[1:])


def _with_random_points(env: dict, rng: np.random.Generator) -> dict:
    """``env`` plus ``RANDOM_POINTS`` points drawn afresh (|x| from 0.05 to 30, constants in
    [-3, 3]): the fixed points alone could be fitted (an answer plus exp(x)*Q(x)**2, Q vanishing
    at each of them, passes every fixed-point check)."""
    k = RANDOM_POINTS
    xs = rng.choice([-1.0, 1.0], k) * np.exp(rng.uniform(np.log(0.05), np.log(30.0), k))
    extra = {X: xs, C1: rng.uniform(-3, 3, k), C2: rng.uniform(-3, 3, k)}
    return {s: np.concatenate([env[s], extra[s].astype(np.complex128)]) for s in (X, C1, C2)}
