"""Runs registered measurements inside Django on the configured database; prints JSON.

DATABASE_URL=… python -m bench.worker --measures search --rounds 5
"""

import argparse
import json

from bench.generate import setup_django


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", default="search")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection

    from bench.measures import MEASUREMENTS, Context, load_all
    from toasoan.newsroom.models import ArticlePage

    load_all()
    ctx = Context(
        target=connection.vendor, stories=ArticlePage.objects.live().count(), rounds=args.rounds
    )
    results = {"target": ctx.target, "stories": ctx.stories, "measures": {}}
    for name in args.measures.split(","):
        results["measures"][name] = MEASUREMENTS[name](ctx)
    results["notes"] = ctx.notes
    print("BENCH-RESULT " + json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
