"""Small random and counting helpers of the generator (NumPy generators passed in; deterministic for a seed).

Hours are float hours; times are UTC epoch seconds.
"""
from __future__ import annotations

import numpy as np

from helpers.synth.state import SynthState

__all__ = [
    "norm", "exact_counts", "shuffled_labels", "weighted_choice_without_replacement", "lognormal_hours",
    "hex_ids", "hour_profile", "clip_time",
]


def norm(mix: dict[str, float]) -> dict[str, float]:
    """``mix`` scaled so its weights sum to 1 (shares 0–1); the weights must have a positive sum."""
    total = float(sum(mix.values()))
    return {k: float(v) / total for k, v in mix.items()}


def exact_counts(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integer counts proportional to ``weights`` (largest remainder)."""
    keys = list(weights)
    w = np.array([max(0.0, float(weights[k])) for k in keys])
    if total <= 0 or w.sum() <= 0:
        return {k: 0 for k in keys}
    raw = w / w.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return {k: int(c) for k, c in zip(keys, base)}


def shuffled_labels(rng: np.random.Generator, counts: dict[str, int]) -> list[str]:
    """Every label repeated its count times, in a random order drawn from ``rng``."""
    labels = [k for k, c in counts.items() for _ in range(c)]
    order = rng.permutation(len(labels))
    return [labels[i] for i in order]


def weighted_choice_without_replacement(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement with probability ∝ ``weights`` (Efraimidis–Spirakis)."""
    n = len(weights)
    k = int(min(max(k, 0), n))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    u = rng.random(n)
    w = np.maximum(np.asarray(weights, dtype=float), 1e-12)
    keys = np.log(u) / w
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def lognormal_hours(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    """``size`` lognormal durations in hours with the given ``median`` (hours) and log-scale ``sigma``."""
    return median * np.exp(sigma * rng.standard_normal(size))


def hex_ids(rng: np.random.Generator, n: int, prefix: str, taken: set[str]) -> list[str]:
    """``n`` new pseudonymous ids ``prefix`` + 12 hex digits, none in ``taken`` (which is extended with them)."""
    out: list[str] = []
    while len(out) < n:
        value = prefix + rng.bytes(6).hex()
        if value not in taken:
            taken.add(value)
            out.append(value)
    return out


def hour_profile() -> np.ndarray:
    """Relative member activity per local hour (0–23): quiet nights, peaks late morning and evening."""
    p = np.array([0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 2.0, 2.8, 3.2, 3.3, 3.2, 3.0, 2.9, 2.9, 3.0,
                  3.2, 3.5, 3.9, 4.1, 3.8, 2.8, 1.5])
    return p / p.sum()


def clip_time(state: SynthState, t: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Keep times before the period end: later ones are redrawn uniformly between ``lo`` and the end."""
    t = np.asarray(t, dtype=np.int64).copy()
    over = t >= state.t_end
    if over.any():
        low = np.asarray(lo, dtype=np.int64)[over] + 60
        span = np.maximum(state.t_end - 1 - low, 1)
        t[over] = low + (state.rng.random(over.sum()) * span).astype(np.int64)
    return np.minimum(t, state.t_end - 1)
