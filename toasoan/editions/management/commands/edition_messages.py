"""`manage.py edition_messages`: makemessages for the public site only, into toasoan/editions/
locale, then msgfmt. `--check`: extract into a scratch copy and fail if any msgid of the public
interface lacks a translation in any edition's language (the test suite runs this)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import polib
from django.core.management.base import CommandError
from django.core.management.commands import makemessages

from toasoan.editions import catalogue


class Command(makemessages.Command):
    help = "Cập nhật (hoặc --check: kiểm tra) bản dịch giao diện công khai của các ấn bản."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, **options):
        check = options.pop("check")
        languages = catalogue.target_languages()
        options.update(
            locale=languages,
            domain="django",
            extensions=["html", "txt", "py"],
            add_location="file",
            no_obsolete=True,
            verbosity=min(options.get("verbosity", 1), 1) if not check else 0,
        )
        if not check:
            self.target = catalogue.LOCALE_DIR
            super().handle(*args, **options)
            for code in languages:
                po = self.target / code / "LC_MESSAGES" / "django.po"
                subprocess.run(
                    ["msgfmt", "--check-format", "-o", po.with_suffix(".mo"), po], check=True
                )
            return
        with tempfile.TemporaryDirectory() as scratch:
            self.target = Path(scratch)
            for code in languages:
                existing = catalogue.LOCALE_DIR / code
                if existing.exists():
                    shutil.copytree(existing, self.target / code)
            super().handle(*args, **options)
            problems = []
            for code in languages:
                po = polib.pofile(str(self.target / code / "LC_MESSAGES" / "django.po"))
                for entry in po.untranslated_entries() + po.fuzzy_entries():
                    problems.append(f"{code}: {entry.msgid!r} ({entry.occurrences[:1]})")
            if problems:
                raise CommandError("Chưa dịch:\n" + "\n".join(problems))

    def build_potfiles(self):
        self.locale_paths = [str(self.target)]
        self.default_locale_path = str(self.target)
        return super().build_potfiles()

    def find_files(self, root):
        return [
            self.translatable_file_class(
                os.path.relpath(path.parent, catalogue.ROOT), path.name, str(self.target)
            )
            for path in catalogue.public_files()
        ]
