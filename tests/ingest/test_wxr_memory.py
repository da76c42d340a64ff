"""A 100,000-item export is read in bounded memory (the import's first, checking pass).

The full import of such a file (writing 100,000 stories) is measured by
`manage.py ingest_bench` and reported in docs/nhap-lieu.md; here the streaming read is
measured on the real file size, in a fresh process, so the number is the reader's alone.
"""

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from toasoan.ingest.sample import Shape, write_wxr
from toasoan.ingest.wxr import Reader

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 300

SCAN = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")
django.setup()
from toasoan.ingest.wordpress import scan


def peak_mb():
    # VmHWM: this process's own peak. (ru_maxrss would include the pytest process that
    # forked it: Linux carries the parent's high-water mark across fork and exec.)
    with open("/proc/self/status") as status:
        line = next(row for row in status if row.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


before = peak_mb()
plan = scan(sys.argv[1])
result = {"items": plan.total, "posts": plan.types["post"], "before": before, "peak": peak_mb()}
print(json.dumps(result))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_100000_item_export_is_checked_in_bounded_memory(tmp_path):
    path = write_wxr(tmp_path / "lon.xml", posts=100_000, shape=Shape(attachment_every=20))
    assert path.stat().st_size > 100 * 1024 * 1024  # a real-sized export (≈137 MB)

    done = subprocess.run(
        [sys.executable, "-c", SCAN, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])

    assert measured["posts"] == 100_000 and measured["items"] == 105_000
    assert measured["peak"] <= LIMIT_MB
    # Reading 137 MB of XML grows the process by a few MB (Django itself is most of `before`).
    assert measured["peak"] - measured["before"] < 64


def _peak_while_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        for _ in Reader(path).items():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_items(tmp_path):
    small = write_wxr(tmp_path / "nho.xml", posts=1_000)
    large = write_wxr(tmp_path / "lon.xml", posts=8_000)

    assert _peak_while_reading(large) < 2 * _peak_while_reading(small) + 256 * 1024
