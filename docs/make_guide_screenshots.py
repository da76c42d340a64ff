"""Take the editors' guide screenshots (docs/huong-dan/*.jpg) from the browser walks.

    .venv/bin/python docs/make_guide_screenshots.py            # only if the screens are fine
    .venv/bin/python docs/make_guide_screenshots.py --anyway   # copy them even so

Runs the reporter's, the section editor's and the editor-in-chief's walks of
tests/e2e/test_walks.py (their own fresh demo server, Debian's Chromium): each screen the guide
shows is saved as the walk passes it. The pictures replace those in docs/huong-dan/ only when
the walks found nothing wrong on the way (the person's checks and axe), so the guide shows the
screens people really get; --anyway copies them after a failed walk, for a look.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "huong-dan"
WALKS = "reporter_writes or section_editor or editor_in_chief"
PICTURES = [
    "01-dang-nhap",
    "02-bang-dieu-khien-phong-vien",
    "03-viet-bai-va-gui-duyet",
    "04-cho-ban-duyet",
    "05-tra-lai-kem-ghi-chu",
    "06-dat-lich-xuat-ban",
    "07-go-bai-kem-ly-do",
    "08-lich-su-phien-ban",
    "09-nhat-ky-hoat-dong",
]


def main(anyway: bool) -> int:
    with tempfile.TemporaryDirectory() as folder:
        walked = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "e2e"]
            + ["tests/e2e/test_walks.py", "-k", WALKS],
            cwd=ROOT,
            env={**os.environ, "GUIDE_SCREENSHOTS": folder},
        )
        taken = [name for name in PICTURES if (Path(folder) / f"{name}.jpg").exists()]
        missing = sorted(set(PICTURES) - set(taken))
        if walked.returncode and not anyway:
            print("The walks found problems (above): docs/huong-dan/ is left as it was.")
            return 1
        for name in taken:
            shutil.copy(Path(folder) / f"{name}.jpg", OUT / f"{name}.jpg")
        print(f"{len(taken)} pictures written to {OUT.relative_to(ROOT)}/")
        if missing:
            print("Not taken (the walk stopped before them): " + ", ".join(missing))
        return 1 if walked.returncode or missing else 0


if __name__ == "__main__":
    sys.exit(main("--anyway" in sys.argv[1:]))
