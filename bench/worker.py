"""Runs registered measurements inside Django on the configured database; prints JSON.

DATABASE_URL=… python -m bench.worker --measures search --rounds 5
"""

import argparse
import importlib
import json
import time
import traceback

from bench.generate import setup_django


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", default="search")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from bench.measures import MEASUREMENTS, Context, load_all, progress
    from toasoan.newsroom.models import ArticlePage

    load_all()
    # Loaded as a production web worker loads it (toasoan.wsgi: views imported, then frozen
    # for the garbage collector), so in-process timings meet the same collector.
    importlib.import_module("toasoan.wsgi")
    ctx = Context(
        target=connection.vendor,
        stories=ArticlePage.objects.live().count(),
        rounds=args.rounds,
        options={"wrk_seconds": args.wrk_seconds, "workers": args.workers},
    )
    results = {"target": ctx.target, "stories": ctx.stories, "measures": {}}
    for name in args.measures.split(","):
        progress(f"{name} on {ctx.target}, {ctx.stories:,} stories")
        started = time.monotonic()
        try:
            results["measures"][name] = MEASUREMENTS[name](ctx)
        except Exception:  # noqa: BLE001 - one broken measure must not lose the others
            traceback.print_exc()
            results["measures"][name] = {"error": traceback.format_exc(limit=4)}
        results["measures"][name]["took_s"] = round(time.monotonic() - started, 1)
    results["notes"] = ctx.notes
    print("BENCH-RESULT " + json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
