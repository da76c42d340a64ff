"""Generate the bench archive (if needed) and measure it on PostgreSQL + Redis and SQLite.

    python -m bench.run --stories 200000            # what `make bench` runs
    python -m bench.run --stories 5000 --targets postgresql --rounds 2
    python -m bench.run --stories 20000 --targets sqlite --rounds 3

PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
toasoan_bench) and BENCH_REDIS_URL or REDIS_URL (default redis://127.0.0.1:6379/14); the
database is created if missing. Every
measure runs there; SQLite (bench/data/bench.sqlite3) gets search and api only. The app runs
as in production (DEBUG=0, collected static files). Writes bench/report.json and
bench/report.md (at another size than 200,000 stories bench/report-1m.md…, see
`report_name`): the commit measured, the machine, every target met or not and, for each
one missed, the profile that shows why.
"""

import argparse
import json
import os
import platform
import re
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
MEASURES = {  # what runs on each database unless --measures says otherwise
    "postgresql": "search,api,render,syndication,throughput,publish,photos,reach,epaper,live,"
    "render_http,links,memory,access_log,spike",  # the last: what readers bring (readers.py)
    "sqlite": "search,api",
}


def target_env(target: str) -> dict:
    """Production settings (DEBUG off) on the bench's own database, cache and files."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toasoan.settings", "DEBUG": "0"}
    env.update(
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on 127.0.0.1
        TOASOAN_SCHEDULER="off",
        STATIC_ROOT=str(DATA / "static"),
        MEDIA_ROOT=str(DATA / f"media-{target}"),
        CACHE_KEY_PREFIX=f"bench-{target}",
        GUNICORN_ACCESS_LOG="",  # nginx logs nothing either: both measured alike
        FRONTEND_CACHE_URLS="off",  # measures that run nginx in front say where it is
        PYTHONPATH=str(ROOT),
    )
    if target == "postgresql":
        env["DATABASE_URL"] = postgres_url()
        name = env["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]
        if env["DATABASE_URL"] != DEFAULT_PG:  # another archive: its own photo files
            env["MEDIA_ROOT"] = str(DATA / f"media-{name}")
        env["REDIS_URL"] = (
            os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or DEFAULT_REDIS
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{DATA / 'bench.sqlite3'}"
        env.pop("REDIS_URL", None)
    return env


def postgres_url() -> str:
    """BENCH_DATABASE_URL, else a PostgreSQL DATABASE_URL, else the bench's own database."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_PG


def report_name(stories: int) -> str:
    """`report` for the archive the targets are set at (200,000 stories), else a report of
    its own (`report-1m`, `report-20k`): a run at another size never overwrites it."""
    if stories == 200_000:
        return "report"
    if stories % 1_000_000 == 0:
        return f"report-{stories // 1_000_000}m"
    return f"report-{stories // 1000}k" if stories % 1000 == 0 else f"report-{stories}"


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
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.worker",
            "--measures",
            args.measures or MEASURES[target],
            "--rounds",
            str(args.rounds),
            "--wrk-seconds",
            str(args.wrk_seconds),
            "--workers",
            str(args.workers),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,  # progress goes to stderr, to the terminal
        text=True,
    )
    line = next(x for x in reversed(out.stdout.splitlines()) if x.startswith("BENCH-RESULT "))
    result = json.loads(line.removeprefix("BENCH-RESULT "))
    result["generate_s"] = round(generated, 1)
    return result


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gb": _ram_gb(),
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
    for name, command in (("redis", ["redis-server", "--version"]), ("nginx", ["nginx", "-v"])):
        try:
            done = subprocess.run(command, capture_output=True, text=True)
            version = re.search(r"v=(\S+)|nginx/(\S+)", done.stdout + done.stderr)
            info[name] = next(v for v in version.groups() if v) if version else "?"
        except OSError as error:
            info[name] = f"unavailable: {error}"
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _ram_gb() -> float | None:
    try:
        total = Path("/proc/meminfo").read_text().split("\n", 1)[0]
        return round(int(total.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        return None


def commit() -> dict:
    """The commit measured, and whether the working tree differed from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    return {
        "sha": git("rev-parse", "HEAD") or "unknown",
        "subject": git("log", "-1", "--format=%s"),
        "dirty": bool(changed),
        "changed_files": len(changed),
    }


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    return "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def _targets(report: dict) -> list[str]:
    lines = [
        "| database | target | measured | goal | met |",
        "|---|---|---:|---:|---|",
    ]
    missed = []
    for target, result in report["targets"].items():
        for name, measure in result["measures"].items():
            for entry in measure.get("targets", []):
                met = "yes" if entry["met"] else "**NO**"
                lines.append(
                    f"| {target} | {entry['target']} | {_fmt(entry['value'])} "
                    f"| {entry['goal']} | {met} |"
                )
                if not entry["met"]:
                    missed.append((target, name, entry))
    lines.append("")
    if missed:
        lines += ["### Why the missed targets are missed", ""]
    for target, name, entry in missed:
        lines += [f"**{target}, {entry['target']}** ({name}):", ""]
        lines += ["```", entry.get("profile", "(no profile)"), "```", ""]
    return lines


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|---|" + "---:|" * (len(headers) - 1)]
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _search_section(report: dict) -> list[str]:
    lines = [
        "| database | stories | requests | request p50 | request p95 | engine p50 | engine p95 "
        "| p95 goal | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for target, result in report["targets"].items():
        m = result["measures"]["search"]
        goal = m["targets"][0]
        cells = [
            target,
            result["stories"],
            m["requests"],
            m["request_ms"]["p50"],
            m["request_ms"]["p95"],
            m["engine_ms"]["p50"],
            m["engine_ms"]["p95"],
            goal["goal"],
            "yes" if goal["met"] else "NO",
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


def _render_section(report: dict) -> list[str]:
    lines = []
    for target, result in report["targets"].items():
        m = result["measures"]["render"]
        lines += [
            f"{target}: every request rendered (page cache middleware off); *cold* = the "
            "whole cache emptied before the request as well.",
            "",
        ]
        rows = [
            [
                kind,
                m[kind]["median"],
                m[kind]["p95"],
                m[kind]["queries_max"],
                m[kind]["cold_median"],
                m[kind]["cold_queries_max"],
            ]
            for kind in ("article", "section", "home")
        ]
        lines += _table(
            ["page", "median ms", "p95 ms", "SQL queries (max)", "cold median ms", "cold queries"],
            rows,
        )
        rows = [
            [
                f"{label} `{p['path']}`",
                p["median"],
                p["p95"],
                p["queries"],
                p["cold_median"],
                p["cold_queries"],
                p["kB"],
            ]
            for label, p in m["per_page"].items()
        ]
        lines += _table(
            ["page", "median ms", "p95 ms", "queries", "cold median ms", "cold queries", "kB"],
            rows,
        )
    return lines


def _syndication_section(report: dict) -> list[str]:
    lines = []
    for target, result in report["targets"].items():
        m = result["measures"]["syndication"]
        lines += [
            f"Generated uncached, {target} ({m['urls_per_sitemap_file']:,} URLs per sitemap "
            "file at most):",
            "",
        ]
        rows = [
            [f"{label} `{d['path']}`", d["median"], d["max"], d["kB"]]
            for label, d in m["per_document"].items()
        ]
        lines += _table(["document", "median ms", "max ms", "kB"], rows)
    return lines


def _throughput_section(report: dict) -> list[str]:
    lines = []
    for target, result in report["targets"].items():
        m = result["measures"]["throughput"]
        lines += [
            f"`{m['page']}` on {target}: app = {m['app_server']}, gunicorn = "
            f"{m['gunicorn_config']}, {m['workers']} workers each; micro-cache (in front of "
            f"the app): {m['nginx_microcache_config']}; "
            f"X-Micro-Cache before the runs: {m['microcache_status_before']}; the app's "
            f"Cache-Control: `{m['app_response_headers'].get('Cache-Control')}`.",
            "",
        ]
        rows = []
        for key, run in m["runs"].items():
            name, connections = key.split("@")
            ratio = m["ratio_to_static_percent"].get(key, 100.0 if name == "static" else None)
            rows.append(
                [
                    name,
                    int(connections),
                    round(run["requests_per_s"]),
                    ratio,
                    run["p50_ms"],
                    run["p99_ms"],
                    run["non_2xx_3xx"],
                    run["socket_errors"],
                ]
            )
        lines += _table(
            [
                "served by",
                "connections",
                "requests/s",
                "% of static",
                "p50 ms",
                "p99 ms",
                "non-2xx/3xx",
                "socket errors",
            ],
            rows,
        )
        memory = ", ".join(f"{mb} MB" for mb in m["worker_memory_mb"].values())
        gunicorn = ", ".join(f"{mb} MB" for mb in m["gunicorn_worker_memory_mb"].values())
        lines += [
            f"Peak memory (VmHWM) of each app worker after the runs: {memory} "
            f"(gunicorn's: {gunicorn}).",
            "",
        ]
    return lines


def _publish_section(report: dict) -> list[str]:
    lines = []
    for target, result in report["targets"].items():
        m = result["measures"]["publish"]
        lines += [
            f"`{m['page']}` on {target}, {m['runs']} runs: seen on the other instance after "
            f"{m['visible_s']} s (median {m['median_s']} s, worst {m['max_s']} s); "
            f"revision.publish() itself took {m['publish_call_ms']} ms.",
            "",
        ]
    return lines


SECTIONS = {
    "search": _search_section,
    "render": _render_section,
    "syndication": _syndication_section,
    "throughput": _throughput_section,
    "publish": _publish_section,
}  # a measure without its own table is shown as JSON


def write_report(report: dict, stem: str = "report") -> None:
    (HERE / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    m, c = report["machine"], report["commit"]
    dirty = f", working tree **dirty** ({c['changed_files']} files changed)" if c["dirty"] else ""
    lines = [
        "# Toà Soạn bench report",
        "",
        f"- commit: `{c['sha']}` ({c['subject']}){dirty}",
        f"- when: {report['when']}; took {report.get('took_s', '…')} s in all",
        f"- machine: {m['cpus']} cores ({m['cpu_model']}), {m['ram_gb']} GB RAM; "
        f"load average at start {m['load_average']}",
        f"- software: Python {m['python']}, PostgreSQL {m.get('postgresql')}, "
        f"Redis {m.get('redis')}, nginx {m.get('nginx')}, SQLite {m['sqlite']}",
        f"- stories requested: {report['stories_requested']:,}; rounds: {report['rounds']}",
        "",
        "## Targets",
        "",
    ]
    lines += _targets(report)
    names = dict.fromkeys(n for r in report["targets"].values() for n in r["measures"])
    for name in names:
        lines += [f"## {name}", ""]
        having = {t: r for t, r in report["targets"].items() if name in r["measures"]}
        for target, result in list(having.items()):
            if "error" in result["measures"][name]:
                lines += [f"**{target}: failed**", "", "```", result["measures"][name]["error"]]
                lines += ["```", ""]
                del having[target]
        if not having:
            continue
        if name in SECTIONS:
            lines += SECTIONS[name]({**report, "targets": having})
            continue
        for target, result in having.items():
            shown = {k: v for k, v in result["measures"][name].items() if k != "targets"}
            body = json.dumps(shown, ensure_ascii=False, indent=2)
            lines += [f"### {target}", "", "```json", body, "```", ""]
    times = ", ".join(
        f"{t} {r['generate_s']} s ({r['stories']:,} stories)" for t, r in report["targets"].items()
    )
    lines += [f"Generation (or top-up) time: {times}", ""]
    (HERE / f"{stem}.md").write_text("\n".join(lines))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--targets", default="postgresql,sqlite")
    parser.add_argument("--measures", default="", help="comma-separated; default: per database")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--wrk-seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--workers", type=int, default=3, help="app server workers")
    parser.add_argument("--fresh", action="store_true", help="start from empty databases")
    parser.add_argument("--generate-only", action="store_true", help="fill, do not measure")
    parser.add_argument(
        "--report", default="", help="bench/NAME.md and .json (default: by --stories)"
    )
    args = parser.parse_args(argv)
    args.report = args.report or report_name(args.stories)
    started = time.monotonic()
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "commit": commit(),
        "machine": machine(),
        "stories_requested": args.stories,
        "rounds": args.rounds,
        "targets": {},
    }
    for target in args.targets.split(","):
        print(f"== {target} ==", flush=True)
        report["targets"][target] = run_target(target, args)
        report["took_s"] = round(time.monotonic() - started)
        if not args.generate_only:
            write_report(report, args.report)
    if args.generate_only:
        return
    print((HERE / f"{args.report}.md").read_text())


if __name__ == "__main__":
    main()
