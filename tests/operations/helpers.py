"""Helpers for the operations tests: settings read under a given environment, free ports."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Variables that would leak the developer's own setup into a settings check.
_CLEARED = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "REDIS_TIMEOUT",  # CI lengthens the suite's own; the fault tests keep production's
    "REDIS_CONNECT_TIMEOUT",
    "TASKS_BACKEND",
    "MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "DEBUG",
)


def clean_env(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    # This checkout's code, also for console scripts (toasoan-web) installed from another.
    return {**base, "PYTHONPATH": str(ROOT), **env}


def settings_for(names: list[str], **env: str) -> dict:
    """Import toasoan.settings in a fresh interpreter under `env`; return the named settings.

    A setting that cannot be read comes back as {"error": "<the exception's message>"}.
    """
    code = (
        "import json, sys\n"
        "try:\n"
        "    import toasoan.settings as s\n"
        "except Exception as e:\n"
        "    print(json.dumps({'error': str(e)})); sys.exit(0)\n"
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=clean_env(**env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
