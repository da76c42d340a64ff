"""Generate the bench archive (if needed) and measure it on PostgreSQL + Redis and SQLite.

    python -m bench.run --stories 200000            # what `make bench` runs
    python -m bench.run --stories 20000 --targets sqlite --rounds 3

PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/toasoan_bench) and
REDIS_URL (default redis://127.0.0.1:6379/14); the database is created if missing.
SQLite: bench/data/bench.sqlite3. Writes bench/report.json and bench/report.md.
"""

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/toasoan_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
TARGETS_MS = {"search": {"postgresql": 150, "sqlite": 300}}  # p95 goals, per measure


def target_env(target: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toasoan.settings", "DEBUG": "1"}
    env["MEDIA_ROOT"] = str(DATA / f"media-{target}")
    env["CACHE_KEY_PREFIX"] = f"bench-{target}"
    if target == "postgresql":
        env["DATABASE_URL"] = (
            os.environ.get("DATABASE_URL", "").startswith("postgres")
            and os.environ["DATABASE_URL"]
            or DEFAULT_PG
        )
        env["REDIS_URL"] = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    else:
        env["DATABASE_URL"] = f"sqlite:///{DATA / 'bench.sqlite3'}"
        env.pop("REDIS_URL", None)
    return env


def ensure_postgres_database(url: str, fresh: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def run_target(target: str, args) -> dict:
    env = target_env(target)
    DATA.mkdir(exist_ok=True)
    if target == "postgresql":
        ensure_postgres_database(env["DATABASE_URL"], args.fresh)
    elif args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--stories", str(args.stories)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    generated = time.monotonic() - started
    if args.generate_only:
        return {"stories": args.stories, "generate_s": round(generated, 1), "measures": {}}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.worker",
            "--measures",
            args.measures,
            "--rounds",
            str(args.rounds),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in reversed(out.stdout.splitlines()) if x.startswith("BENCH-RESULT "))
    result = json.loads(line.removeprefix("BENCH-RESULT "))
    result["generate_s"] = round(generated, 1)
    return result


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        import psycopg

        with psycopg.connect(DEFAULT_PG.rsplit("/", 1)[0] + "/postgres") as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # noqa: BLE001 - reported, not fatal
        info["postgresql"] = f"unavailable: {error}"
    return info


def _search_section(report: dict) -> list[str]:
    lines = [
        "| database | stories | requests | request p50 | request p95 | engine p50 | engine p95 "
        "| p95 goal | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for target, result in report["targets"].items():
        m = result["measures"]["search"]
        goal = TARGETS_MS["search"][target]
        met = "yes" if m["request_ms"]["p95"] <= goal else "NO"
        cells = [
            target,
            result["stories"],
            m["requests"],
            m["request_ms"]["p50"],
            m["request_ms"]["p95"],
            m["engine_ms"]["p50"],
            m["engine_ms"]["p95"],
            goal,
            met,
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += [
        "",
        "Times in milliseconds. Request = GET /search/ through Django (view, engine, template);",
        "engine = the ranked SQL queries alone.",
        "",
        "| query | " + " | ".join(f"{t} p50 ms (hits)" for t in report["targets"]) + " |",
        "|---|" + "---:|" * len(report["targets"]),
    ]
    first = next(iter(report["targets"].values()))["measures"]["search"]
    for label in first["per_query_p50_ms"]:
        cells = []
        for result in report["targets"].values():
            m = result["measures"]["search"]
            cells.append(f"{m['per_query_p50_ms'][label]} ({m['hits'][label]})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines + [""]


SECTIONS = {"search": _search_section}  # a measure without its own table is shown as JSON


def write_report(report: dict) -> None:
    (HERE / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    m = report["machine"]
    lines = [
        "# Toà Soạn bench report",
        "",
        f"- when: {report['when']}",
        f"- machine: {m['cpus']} CPUs, Python {m['python']}, PostgreSQL {m.get('postgresql')}, "
        f"SQLite {m['sqlite']}; load average at start {m['load_average']}",
        f"- stories requested: {report['stories_requested']}; rounds: {report['rounds']}",
        "",
    ]
    for name in report["measures"]:
        lines += [f"## {name}", ""]
        if name in SECTIONS:
            lines += SECTIONS[name](report)
            continue
        for target, result in report["targets"].items():
            body = json.dumps(result["measures"][name], ensure_ascii=False, indent=2)
            lines += [f"### {target}", "", "```json", body, "```", ""]
    times = ", ".join(f"{t} {r['generate_s']} s" for t, r in report["targets"].items())
    lines += [f"Generation (or top-up) time: {times}", ""]
    (HERE / "report.md").write_text("\n".join(lines))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--targets", default="postgresql,sqlite")
    parser.add_argument("--measures", default="search,api")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="start from empty databases")
    parser.add_argument("--generate-only", action="store_true", help="fill, do not measure")
    args = parser.parse_args(argv)
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": machine(),
        "stories_requested": args.stories,
        "rounds": args.rounds,
        "measures": args.measures.split(","),
        "targets": {},
    }
    for target in args.targets.split(","):
        print(f"== {target} ==", flush=True)
        report["targets"][target] = run_target(target, args)
        if not args.generate_only:
            write_report(report)
    if args.generate_only:
        return
    print((HERE / "report.md").read_text())


if __name__ == "__main__":
    main()
