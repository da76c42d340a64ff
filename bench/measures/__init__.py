"""The registry of measurements. Each is a function `(ctx: Context) -> dict`, registered with
`@measurement("name")`, that runs inside Django on the database being benchmarked and
returns JSON-able numbers. A measure with speed goals lists them under "targets" (see
`goal()`), each unmet one with the profile that shows why; run.py gathers them in the report.
"""

import io
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MEASUREMENTS: dict[str, Callable[["Context"], dict]] = {}


@dataclass
class Context:
    target: str  # "postgresql" or "sqlite"
    stories: int
    rounds: int = 5
    notes: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)  # wrk seconds, app server workers…


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


def summary(samples: list[float]) -> dict:
    return {
        "median": round(percentile(samples, 50), 1),
        "p95": round(percentile(samples, 95), 1),
        "max": round(max(samples), 1),
        "n": len(samples),
    }


def goal(name: str, value, limit, unit: str, *, at_least: bool = False, why=None) -> dict:
    """One speed target: met when value ≤ limit (≥ with at_least). `why` is called only when
    the target is missed and returns the evidence (a profile) shown beside it in the report."""
    met = value is not None and (value >= limit if at_least else value <= limit)
    entry = {
        "target": name,
        "value": value,
        "goal": f"{'≥' if at_least else '≤'} {limit} {unit}".strip(),
        "met": met,
    }
    if not met and why is not None:
        try:
            entry["profile"] = why()
        except Exception as error:  # noqa: BLE001 - the number stands even if profiling fails
            entry["profile"] = f"(profiling failed: {error!r})"
    return entry


def profile(call: Callable[[], object], label: str = "") -> str:
    """The call-tree profile of one call: pyinstrument when installed, else cProfile top-15."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(call)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
        return f"{label}\n{out.getvalue()}".strip()
    profiler = Profiler(interval=0.0005)
    start = time.perf_counter()
    profiler.start()
    try:
        call()
    finally:
        profiler.stop()
    elapsed = (time.perf_counter() - start) * 1000
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((n for n, line in enumerate(lines) if re.match(r"\s*[\d.]+ ", line)), 0)
    lines = lines[start : start + 70]  # from the first timed frame, without the banner
    return f"{label} ({elapsed:.0f} ms, pyinstrument)\n" + "\n".join(lines)


def progress(message: str) -> None:
    print(f"[measure {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_all() -> None:
    # each registers itself: api = the content API, serving = app servers/nginx/wrk
    # peer = Debian's WordPress beside us (uncached, per request and throughput)
    # readers = what real readers bring: shared links, cold renders over HTTP, memory, logging
    from . import (  # noqa: F401
        api,
        epaper,
        live,
        pages,
        peer,
        photos,
        reach,
        readers,
        search,
        serving,
        syndication,
    )
