"""Print versions: a story's print title, sapo and cut body, saved with revisions.

The web story is read (to start the print copy from it) and never written: a print version
lives in its own rows, so editing one cannot change the other.
"""

import html
import re

from django.db import IntegrityError, transaction
from django.utils.html import strip_tags

from toasoan.core.text import nfc, without_controls
from toasoan.newsroom.models import ArticlePage

from .models import PrintRevision, PrintVersion

_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def tidy(text: str) -> str:
    """NFC, no control characters, single spaces, no trailing spaces on lines."""
    text = nfc(without_controls((text or "").replace("\r\n", "\n").replace("\r", "\n")))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs: blank lines separate them, a single line break joins lines."""
    return [" ".join(p.split("\n")) for p in _BLANK_LINES.split(tidy(body)) if p.strip()]


def web_paragraphs(story: ArticlePage) -> list[str]:
    """The text paragraphs of the web body (photos, tables and videos left out)."""
    out = []
    for block in story.body:
        if block.block_type == "paragraph":
            raw = re.sub(r"</p>|<br\s*/?>", "\n\n", block.value.source)
            out.extend(paragraphs(html.unescape(strip_tags(raw))))
        elif block.block_type == "quote":
            out.extend(paragraphs(block.value["text"]))
    return out


def unsaved_version(story: ArticlePage) -> PrintVersion:
    """The print copy as it would start from the web copy, not saved (exports read it)."""
    return PrintVersion(
        story=story,
        title=tidy(story.title),
        sapo=tidy(story.sapo),
        body="\n\n".join(web_paragraphs(story)),
    )


def current_version(story: ArticlePage) -> PrintVersion:
    """The story's print version, or the one it would start as (unsaved): reading never writes."""
    return PrintVersion.objects.filter(story=story).first() or unsaved_version(story)


class StaleVersion(Exception):
    """Someone saved the print version after this editor opened it."""

    def __init__(self, latest: int):
        super().__init__(latest)
        self.latest = latest


def _locked(story: ArticlePage) -> tuple[PrintVersion, bool]:
    """The story's print version, its row locked until the transaction ends; created from the
    web copy if there is none. Two editors at once get the same row: the second waits for the
    first, or finds the row the first one created (the story has one version, a unique key)."""
    existing = PrintVersion.objects.select_for_update().filter(story=story).first()
    if existing is not None:
        return existing, False
    fresh = unsaved_version(story)
    try:
        with transaction.atomic():  # a savepoint: the losing insert leaves the rest usable
            fresh.save()
    except IntegrityError:
        return PrintVersion.objects.select_for_update().get(story=story), False
    return fresh, True


def _last_number(version: PrintVersion) -> int:
    return version.revisions.order_by("-number").values_list("number", flat=True).first() or 0


def print_version_for(story: ArticlePage, user=None) -> PrintVersion:
    """The story's print version, saved from the web copy (revision 1) if it has none yet."""
    with transaction.atomic():
        version, created = _locked(story)
        if created:
            _add_revision(version, 1, user)
    return version


def _add_revision(version: PrintVersion, number: int, user) -> None:
    PrintRevision.objects.create(
        version=version,
        number=number,
        title=version.title,
        sapo=version.sapo,
        body=version.body,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def save_version(
    version: PrintVersion, *, title: str, sapo: str, body: str, user, base: int | None = None
) -> PrintVersion:
    """Save the print copy and a new revision of it (nothing when nothing changed), the version
    row locked meanwhile. `base`: the revision the editor started from; if another was saved
    since, StaleVersion and nothing is written (never one editor's cut over another's)."""
    title, sapo = tidy(title).replace("\n", " "), tidy(sapo)
    body = "\n\n".join(paragraphs(body))
    with transaction.atomic():
        version, created = _locked(version.story)
        last = 0 if created else _last_number(version)
        if base is not None and base != last:
            raise StaleVersion(last)
        if created:  # the first revision keeps where the cut started from: the web copy
            _add_revision(version, 1, user)
            last = 1
        if last and (version.title, version.sapo, version.body) == (title, sapo, body):
            return version
        version.title, version.sapo, version.body = title, sapo, body
        version.save()
        _add_revision(version, last + 1, user)
    return version


def restore_revision(revision: PrintRevision, user) -> PrintVersion:
    return save_version(
        revision.version, title=revision.title, sapo=revision.sapo, body=revision.body, user=user
    )


def print_text_length(story: ArticlePage) -> int:
    """Characters of the print copy (title, sapo, body), or of the web copy before one exists."""
    try:
        version = story.print_version
    except PrintVersion.DoesNotExist:
        version = None
    if version is not None:
        return len(version.title) + len(version.sapo) + len(version.body)
    return len(story.title) + len(story.sapo) + len("\n\n".join(web_paragraphs(story)))
