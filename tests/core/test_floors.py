"""The floors of docs/architecture.md hold: import-linter's contracts pass on the code, and
an import that climbs a floor or closes a circle makes them fail."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def scratch_tree(tmp_path) -> Path:
    shutil.copytree(
        ROOT / "toasoan", tmp_path / "toasoan", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_ground_floor_importing_a_room_above_breaks_the_floors(scratch_tree):
    with open(scratch_tree / "toasoan/core/text.py", "a") as module:
        module.write("\nfrom toasoan.frontpage import listing  # noqa\n")
    result = lint(scratch_tree)
    assert result.returncode != 0
    assert "toasoan.core is not allowed to import toasoan.frontpage" in result.stdout


def test_two_public_apps_importing_each_other_breaks_the_floors(scratch_tree):
    (scratch_tree / "toasoan/search/scratch.py").write_text("from toasoan.polls import voting\n")
    result = lint(scratch_tree)
    assert result.returncode != 0
    assert "toasoan.search is not allowed to import toasoan.polls" in result.stdout


def test_a_circle_inside_an_app_breaks_the_contract(scratch_tree):
    (scratch_tree / "toasoan/core/scratch.py").write_text("from toasoan.core import routing\n")
    with open(scratch_tree / "toasoan/core/routing.py", "a") as module:
        module.write("\nfrom toasoan.core import scratch  # noqa\n")
    result = lint(scratch_tree)
    assert result.returncode != 0
    assert "No cycles are allowed in toasoan.core" in result.stdout
