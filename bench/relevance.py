"""How well search ranks: a judged set of readers' queries over the demo paper, scored.

    python -m bench.relevance                       # SQLite and PostgreSQL (what `make bench` runs)
    python -m bench.relevance --targets sqlite      # one database
    python -m bench.relevance --record-before       # keep these figures as "before" (rarely)

`relevance_judgments.json` holds the queries and, for each, the stories a reader wanted,
graded 0–3 with the reason. Each database gets the demo paper (`load_demo`, once; then kept
in bench/data/) and a freshly rebuilt search index; the first ten results of every query, as
/search/ ranks them ("Liên quan nhất"), are scored by nDCG@10 and MRR (first result graded 2
or more; 1 if a query has no such story). Writes bench/relevance.json and
bench/relevance.md beside the figures of `relevance_before.json` (the ranking before #20),
query by query, so any change to ranking shows what it gained and what it lost.

PostgreSQL: RELEVANCE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
toasoan_relevance); created if missing.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
JUDGMENTS = HERE / "relevance_judgments.json"
BEFORE = HERE / "relevance_before.json"
RESULT = HERE / "relevance.json"
REPORT = HERE / "relevance.md"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/toasoan_relevance"
TARGET_NDCG = 0.90
DEPTH = 10


def load_judgments() -> dict:
    return json.loads(JUDGMENTS.read_text(encoding="utf-8"))


# --- scoring (plain functions, tested in tests/search/test_relevance_bench.py) -------------


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth of a ranked list of story keys against graded judgments (unlisted = 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:depth])
    if not ideal:
        return 1.0
    return dcg([grades.get(key, 0) for key in ranked[:depth]]) / ideal


def reciprocal_rank(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """1/rank of the first result graded 2 or more (1 or more when none is graded 2)."""
    floor = 2 if any(g >= 2 for g in grades.values()) else 1
    for rank, key in enumerate(ranked[:depth], start=1):
        if grades.get(key, 0) >= floor:
            return 1 / rank
    return 0.0


def score(runs: dict[str, list[str]], judgments: dict) -> dict:
    """Per query and overall nDCG@10 and MRR for {query: [story keys, best first]}."""
    per_query = {}
    for item in judgments["queries"]:
        grades = {key: grade for key, (grade, _why) in item["grades"].items()}
        ranked = runs.get(item["q"], [])
        per_query[item["q"]] = {
            "ndcg": round(ndcg(ranked, grades), 4),
            "rr": round(reciprocal_rank(ranked, grades), 4),
            "top": ranked[:3],
        }
    count = len(per_query) or 1
    return {
        "ndcg10": round(sum(q["ndcg"] for q in per_query.values()) / count, 4),
        "mrr": round(sum(q["rr"] for q in per_query.values()) / count, 4),
        "queries": per_query,
    }


# --- inside Django, on one database -----------------------------------------------------


def run_inside() -> None:
    """Demo paper loaded (once), index rebuilt, every judged query searched: one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Site

    from toasoan.newsroom.models import ArticlePage
    from toasoan.search import engine
    from toasoan.search.indexing import rebuild
    from toasoan.search.query import parse

    call_command("migrate", "--noinput", verbosity=0)
    if not ArticlePage.objects.exists():
        call_command("load_demo", "--no-renditions", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rebuild()
    judgments = load_judgments()
    key_of = {title: key for key, title in judgments["stories"].items()}
    root = Site.objects.get(is_default_site=True).root_page
    titles = dict(ArticlePage.objects.values_list("pk", "title"))
    runs, took = {}, []
    for item in judgments["queries"]:
        started = time.perf_counter()
        hits = engine.search(parse(item["q"]), engine.Filters(section_path=root.path), limit=DEPTH)
        took.append((time.perf_counter() - started) * 1000)
        runs[item["q"]] = [
            key_of.get(titles.get(pk, ""), f"?{titles.get(pk, pk)}") for pk in hits.ids
        ]
    stories = ArticlePage.objects.live().descendant_of(root).count()
    print("RELEVANCE-RESULT " + json.dumps({"runs": runs, "stories": stories, "ms": took}))


# --- the driver ---------------------------------------------------------------------------


def target_env(target: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toasoan.settings", "PYTHONPATH": str(ROOT)}
    env.update(
        MEDIA_ROOT=str(DATA / f"relevance-media-{target}"),
        TOASOAN_SCHEDULER="off",
        CACHE_KEY_PREFIX=f"relevance-{target}",
    )
    env.pop("REDIS_URL", None)
    if target == "postgresql":
        env["DATABASE_URL"] = os.environ.get("RELEVANCE_DATABASE_URL") or DEFAULT_PG
    else:
        env["DATABASE_URL"] = f"sqlite:///{DATA / 'relevance.sqlite3'}"
    return env


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run_target(target: str) -> dict:
    env = target_env(target)
    DATA.mkdir(exist_ok=True)
    if target == "postgresql":
        ensure_postgres_database(env["DATABASE_URL"])
    done = subprocess.run(
        [sys.executable, "-m", "bench.relevance", "--inside"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RELEVANCE-RESULT "))
    found = json.loads(line.removeprefix("RELEVANCE-RESULT "))
    result = score(found["runs"], load_judgments())
    ms = sorted(found["ms"])
    result.update(stories=found["stories"], p95_ms=round(ms[int(0.95 * (len(ms) - 1))], 1))
    return result


def write_report(report: dict, before: dict) -> None:
    RESULT.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# Search relevance (judged queries over the demo paper)",
        "",
        f"- {report['queries']} queries, judged in `bench/relevance_judgments.json` "
        "(0–3 with the reason); scored on the first 10 results of /search/'s default order.",
        f"- when: {report['when']}; commit `{report['commit']}`",
        f"- goal: nDCG@10 ≥ {TARGET_NDCG} on each database; before = `relevance_before.json` "
        f"({before.get('commit', '—')}, {before.get('label', '')})",
        "",
        "| database | stories | nDCG@10 before | nDCG@10 | MRR before | MRR | goal met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for target, result in report["targets"].items():
        old = before.get("targets", {}).get(target, {})
        met = "yes" if result["ndcg10"] >= TARGET_NDCG else "**NO**"
        lines.append(
            f"| {target} | {result['stories']} | {old.get('ndcg10', '—')} | {result['ndcg10']} "
            f"| {old.get('mrr', '—')} | {result['mrr']} | {met} |"
        )
    lines += ["", "## Query by query (nDCG@10 before → after; worse ones in bold)", ""]
    targets = list(report["targets"])
    lines.append("| query | " + " | ".join(targets) + " | first result now |")
    lines.append("|---|" + "---:|" * len(targets) + "---|")
    first = report["targets"][targets[0]]["queries"]
    for q in first:
        cells = []
        for target in targets:
            now = report["targets"][target]["queries"][q]["ndcg"]
            old = before.get("targets", {}).get(target, {}).get("queries", {}).get(q, {})
            was = old.get("ndcg")
            cell = f"{was} → {now}" if was is not None else f"{now}"
            cells.append(f"**{cell}**" if was is not None and now < was - 1e-9 else cell)
        top = (first[q]["top"] or ["—"])[0]
        lines.append(f"| {q} | " + " | ".join(cells) + f" | {top} |")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True)
    return done.stdout.decode().strip() or "unknown"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", default="sqlite,postgresql")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--record-before", metavar="LABEL", default="")
    args = parser.parse_args(argv)
    if args.inside:
        run_inside()
        return
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "commit": _commit(),
        "queries": len(load_judgments()["queries"]),
        "targets": {},
    }
    for target in args.targets.split(","):
        print(f"== relevance: {target} ==", file=sys.stderr, flush=True)
        report["targets"][target] = run_target(target)
    if args.record_before:
        report["label"] = args.record_before
        BEFORE.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    before = json.loads(BEFORE.read_text("utf-8")) if BEFORE.exists() else {}
    write_report(report, before)
    print(REPORT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
