"""Translation memory: a segment already translated in another story is filled in for the
translator, who may keep or change it.

wagtail-localize stores each translation per place (story and field); the same Vietnamese
sentence elsewhere is the same `String`, so its newest human translation is reused here.
"""

from wagtail_localize.models import StringSegment, StringTranslation, Translation

MEMORY_TOOL = "Bộ nhớ dịch"


def fill_from_memory(translation: Translation) -> int:
    """Copy earlier translations of identical segments into this translation; returns how many."""
    locale_id = translation.target_locale_id
    missing = list(
        StringSegment.objects.filter(source_id=translation.source_id)
        .annotate_translation(locale_id, include_errors=True)
        .filter(translation__isnull=True)
        .values_list("string_id", "context_id")
    )
    if not missing:
        return 0
    earlier: dict[int, StringTranslation] = {}
    for found in (
        StringTranslation.objects.filter(
            translation_of_id__in={string_id for string_id, _ in missing},
            locale_id=locale_id,
            has_error=False,
        )
        .exclude(data="")
        .order_by("updated_at")
    ):
        earlier[found.translation_of_id] = found  # the newest wins
    made = 0
    for string_id, context_id in missing:
        previous = earlier.get(string_id)
        if previous is None:
            continue
        _, created = StringTranslation.objects.get_or_create(
            translation_of_id=string_id,
            locale_id=locale_id,
            context_id=context_id,
            defaults={
                "data": previous.data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": MEMORY_TOOL,
                "last_translated_by": previous.last_translated_by,
            },
        )
        made += created
    return made
