"""What `import_wxr` and `import_ninjs` share: the options every archive import takes on the
command line, the run, and its summary."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toasoan.ingest.archive import (
    ImportRefused,
    Options,
    Summary,
    parse_section_map,
    resolve_target,
)


def run_archive_import(
    command: BaseCommand,
    options: dict,
    run: Callable[[Options], Summary],
    refusal: type[Exception],
    **more,
) -> None:
    """`run` the import with the common options (`--into`, `--media-dir`, `--section-map`,
    `--old-domain`, `--origin`, `--batch`) and `more`; the file's own `refusal` or an
    `ImportRefused` stops the command with its message; then the summary, line by line."""
    media_dir = options["media_dir"]
    if media_dir and not Path(media_dir).is_dir():
        raise CommandError(f"--media-dir: không thấy thư mục {media_dir}.")
    try:
        summary = run(
            Options(
                target=resolve_target(options["into"]),
                media_dir=Path(media_dir) if media_dir else None,
                section_map=parse_section_map(options["section_map"]),
                old_domain=options["old_domain"],
                origin=options["origin"],
                batch=max(1, options["batch"]),
                **more,
            )
        )
    except (refusal, ImportRefused) as error:
        raise CommandError(str(error)) from None
    for line in summary.lines():
        command.stdout.write(line)
    command.stdout.write(command.style.SUCCESS(f"Xong trong {summary.seconds:.1f} giây."))
