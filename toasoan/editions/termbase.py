"""The termbase at work: which official terms a segment contains, and whether its translation
uses the approved wording.

Matching ignores case and HTML, never accents ("Sở" is not "số"); a term must stand as whole
words ("UBND tỉnh" matches "UBND tỉnh Quảng Nam", not "UBND tỉnhx").
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from wagtail_localize.models import StringSegment, Translation

from toasoan.core.text import nfc

from .models import Term

_TAGS = re.compile(r"<[^>]+>")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def plain(text: str) -> str:
    """Segment text without HTML, NFC, one space between words, straight apostrophes."""
    text = html.unescape(_TAGS.sub(" ", text or ""))
    return " ".join(nfc(text).translate(_APOSTROPHES).split())


@lru_cache(maxsize=4096)
def _pattern(words: str) -> re.Pattern:
    escaped = r"\s+".join(re.escape(w) for w in plain(words).split())
    return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)


def contains(text: str, words: str) -> bool:
    return bool(words.strip()) and bool(_pattern(words).search(plain(text)))


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The terms a source text contains, longest first ("Phó Chủ tịch UBND tỉnh" before
    "UBND tỉnh": a translation using the longer one's wording satisfies both)."""
    found = [term for term in terms if contains(text, term.source)]
    return sorted(found, key=lambda t: (-len(t.source), t.source))


def uses(translated: str, term: Term) -> bool:
    return any(contains(translated, wording) for wording in term.accepted)


def approved_terms(locale_id: int) -> list[Term]:
    return list(Term.objects.filter(locale_id=locale_id, approved=True))


@dataclass
class SegmentTerms:
    segment_id: int
    order: int
    source: str  # plain text
    translation: str | None  # plain text, None while untranslated
    terms: list[Term] = field(default_factory=list)
    missing: list[Term] = field(default_factory=list)  # approved terms the translation lacks

    def as_json(self) -> dict:
        return {
            "id": self.segment_id,
            "source": self.source,
            "translated": self.translation is not None,
            "terms": [
                {
                    "source": t.source,
                    "target": t.target,
                    "alternatives": t.accepted[1:],
                    "note": t.note,
                    "missing": t in self.missing,
                }
                for t in self.terms
            ],
        }


def segment_terms(translation: Translation) -> list[SegmentTerms]:
    """Every string segment of a translation that contains at least one approved term."""
    terms = approved_terms(translation.target_locale_id)
    if not terms:
        return []
    segments = (
        StringSegment.objects.filter(source_id=translation.source_id)
        .annotate_translation(translation.target_locale_id)
        .select_related("string")
        .order_by("order")
    )
    report = []
    for segment in segments:
        found = terms_in(segment.string.data, terms)
        if not found:
            continue
        translated = plain(segment.translation) if segment.translation is not None else None
        missing = [t for t in found if translated is not None and not uses(translated, t)]
        report.append(
            SegmentTerms(
                segment.id, segment.order, plain(segment.string.data), translated, found, missing
            )
        )
    return report


def warnings(translation: Translation) -> list[tuple[SegmentTerms, Term]]:
    """(segment, term) for every translated segment that does not use an approved term."""
    return [(seg, term) for seg in segment_terms(translation) for term in seg.missing]


def warning_messages(translation: Translation, limit: int = 5) -> list[str]:
    found = warnings(translation)
    messages = [
        f"Đoạn “{seg.source[:80]}…” chưa dùng thuật ngữ chuẩn: “{term.source}” → “{term.target}”."
        for seg, term in found[:limit]
    ]
    if len(found) > limit:
        messages.append(f"… và {len(found) - limit} chỗ khác (xem Báo cáo thuật ngữ).")
    return messages
