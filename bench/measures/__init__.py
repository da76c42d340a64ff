"""The registry of measurements. Each is a function `(ctx: Context) -> dict`, registered with
`@measurement("name")`, that runs inside Django on the database being benchmarked and
returns JSON-able numbers. Issue #7 adds render times and throughput as new modules here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

MEASUREMENTS: dict[str, Callable[["Context"], dict]] = {}


@dataclass
class Context:
    target: str  # "postgresql" or "sqlite"
    stories: int
    rounds: int = 5
    notes: list[str] = field(default_factory=list)


def measurement(name: str):
    def register(function):
        MEASUREMENTS[name] = function
        return function

    return register


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def load_all() -> None:
    from . import api, search  # noqa: F401 - each registers itself (api: the content API)
