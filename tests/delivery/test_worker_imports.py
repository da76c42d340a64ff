"""What a web worker loads at start: every library it imports stays in its memory for its
whole life, on each of its processes (issue #18: a reader's worker ≤ 150 MB).

The heavy libraries used only by rare staff screens, downloads, imports or the task worker
are imported where they are used (docs/architecture.md, "Heavy libraries"); this keeps a
top-of-module import of one of them from coming back unnoticed."""

import os
import subprocess
import sys

from django.conf import settings

# The named list of docs/architecture.md: library → what it is used for (MB it cost a worker).
HEAVY = {
    "openpyxl": "the royalties payment list and the readership report as .xlsx (4)",
    "icalendar": "the events calendar's .ics feeds, import and repeat rules (2)",
    "qrcode": "the two-factor set-up screen (1.5)",
    "feedparser": "the wire queue's RSS/Atom polling, in the task worker (0.4)",
    "weasyprint": "the readership report as PDF",
    "fpdf": "the print samples' PDF pages",
    "markdown_it": "the editors' guide inside the admin (1)",
}

LOADED = """
import sys
import toasoan.wsgi  # what Granian and gunicorn load in each worker; it walks the URLconf
print(" ".join(sorted(name for name in sys.modules if "." not in name)))
"""


def test_a_web_worker_starts_without_the_heavy_libraries_of_rare_screens():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toasoan.settings"}
    env["PYTHONPATH"] = os.pathsep.join([str(settings.BASE_DIR), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", LOADED],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = set(done.stdout.split())
    assert "django" in loaded and "wagtail" in loaded  # the app did load
    assert not loaded & HEAVY.keys(), sorted(loaded & HEAVY.keys())
