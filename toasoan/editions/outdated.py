"""Out-of-date translations: the Vietnamese story changed after it was sent for translation.

wagtail-localize keeps a frozen copy of the source (`TranslationSource`) and syncs it only on
request ("Đồng bộ bản dịch"). Until then the translation is flagged here, with what changed,
segment by segment; after the sync, changed segments show as untranslated in the editor.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OuterRef, Subquery
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from .termbase import plain


@dataclass
class Change:
    field: str  # e.g. "Sapo", "Nội dung"
    removed: list[str]  # segments no longer in the source (plain text)
    added: list[str]  # new or rewritten segments


def _label(model, path: str) -> str:
    name = path.split(".", 1)[0]
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


def source_changes(source: TranslationSource) -> list[Change]:
    """What the current source says that the frozen copy does not (and the reverse)."""
    try:
        current_instance = source.get_source_instance()
    except Page.DoesNotExist:
        return []
    current: dict[str, Counter] = {}
    order: list[str] = []
    for segment in extract_segments(current_instance):
        if isinstance(segment, StringSegmentValue):
            if segment.path not in current:
                current[segment.path] = Counter()
                order.append(segment.path)
            current[segment.path][segment.string.data] += 1
    frozen: dict[str, Counter] = {}
    for path, data in StringSegment.objects.filter(source=source).values_list(
        "context__path", "string__data"
    ):
        frozen.setdefault(path, Counter())[data] += 1
        if path not in order:
            order.append(path)
    changes = []
    for path in order:
        now, then = current.get(path, Counter()), frozen.get(path, Counter())
        if now == then:
            continue
        changes.append(
            Change(
                _label(type(current_instance), path),
                [plain(s) for s in (then - now).elements()],
                [plain(s) for s in (now - then).elements()],
            )
        )
    return changes


def possibly_out_of_date():
    """Enabled translations whose source page was published after the frozen copy was taken
    (cheap: the candidates the report then checks segment by segment)."""
    published = Page.objects.filter(
        translation_key=OuterRef("source__object_id"), locale_id=OuterRef("source__locale_id")
    ).values("last_published_at")[:1]
    return (
        Translation.objects.filter(enabled=True)
        .annotate(source_published_at=Subquery(published))
        .filter(source_published_at__gt=F("source__last_updated_at"))
        .select_related("source", "target_locale")
    )
