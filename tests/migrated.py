"""One migrated test database per `make test`, copied to every pytest process that needs one.

Migrating renders Django's model states for some 270 migrations (Wagtail's and ours): ~40 s
of CPU, paid by each xdist worker and again by the run of the flushing tests. `make test`
names a fresh folder in TOASOAN_TEST_TEMPLATES; the first process to take its lock migrates
as pytest-django does and leaves a copy there (a SQLite file, or a PostgreSQL database made
with CREATE DATABASE … TEMPLATE); the others start from the copy, on which `migrate` finds
nothing left to do. Without the variable (pytest run by hand) every process migrates.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections

FOLDER = "TOASOAN_TEST_TEMPLATES"


def setup(setup_databases: Callable[..., list], scratch: Path, **kwargs) -> list:
    """`setup_databases(**kwargs)` of django.test.utils, from the run's copy when there is one
    (`kwargs` without keepdb: the test database is made here and removed at the end)."""
    folder = os.environ.get(FOLDER)
    if not folder or set(kwargs.get("aliases") or {"default"}) != {"default"}:
        return setup_databases(**kwargs)
    folder = Path(folder)
    test = settings.DATABASES["default"].setdefault("TEST", {})
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held while the first process migrates
        if connections["default"].vendor == "sqlite":
            # A file, not Django's in-memory database, so that the copy can be handed over.
            test["NAME"] = str(scratch / "test.sqlite3")
            copy = folder / "migrated.sqlite3"
            if copy.exists():
                shutil.copyfile(copy, test["NAME"])
                return setup_databases(**kwargs, keepdb=True)
            made = setup_databases(**kwargs)
            with sqlite3.connect(copy) as target:
                connections["default"].ensure_connection()
                connections["default"].connection.backup(target)
            return made
        template = f"test_{settings.DATABASES['default']['NAME']}_migrated"
        marker = folder / "migrated.postgresql"
        if marker.exists():
            test["TEMPLATE"] = template
            try:
                return setup_databases(**kwargs)
            finally:
                del test["TEMPLATE"]
        made = setup_databases(**kwargs)
        connection = connections["default"]
        source = connection.settings_dict["NAME"]
        connection.close()  # a template database must have no one connected to it
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{source}"')
        marker.touch()
        return made
