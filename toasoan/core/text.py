"""Vietnamese text: NFC on the way in, folding for slugs and search, datelines.

`fold()` must remove đ/Đ explicitly: Unicode gives đ no decomposition, so NFD-stripping
alone leaves it (and "Đà Nẵng" would never match "da nang").
"""

import re
import unicodedata
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from wagtail.fields import StreamField

_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

SLUG_MAX_LENGTH = 120

# XML 1.0 and PostgreSQL text both refuse these (NUL, the C0 controls but tab and line
# breaks, DEL, non-characters, lone surrogates): a query, a feed or a comment must not carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def nfc(text: str) -> str:
    """Normalise to NFC (composed); decomposed text breaks web fonts and substring search."""
    return unicodedata.normalize("NFC", text) if text else text


def without_controls(text: str) -> str:
    """The text with each control character XML or PostgreSQL refuses turned into a space."""
    return CONTROL_CHARACTERS.sub(" ", text or "")


def fold(text: str) -> str:
    """Lower-case ASCII-ish form for matching: đ→d, marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def vi_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """`hoat-dong-thong-tin-doi-ngoai-…`: folded, hyphenated, cut at a word boundary."""
    slug = slugify(fold(text))
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


def short_datetime(moment: datetime | None) -> str:
    """`22/12/2021 10:01` in the paper's time zone."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def dateline(moment: datetime | None) -> str:
    """`Thứ Tư, 22/12/2021, 10:01 (GMT+7)` — Django's vi locale would say "Thứ 4"."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y}, {local:%H:%M} (GMT{hours:+d})"


def _gmt(local: datetime) -> str:
    offset = local.utcoffset()
    return f"GMT{int(offset.total_seconds() // 3600) if offset else 0:+d}"


def dateline_en(moment: datetime | None) -> str:
    """`December 22, 2021, 10:01 (GMT+7)` — the English edition's dateline."""
    return dateline_for(moment, "en")


def dateline_for(moment: datetime | None, language: str | None = None) -> str:
    """The dateline in an edition's language (the active one by default): Vietnamese as
    `dateline()`, any other from its DATETIME_FORMAT (core/formats/en for English)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if moment is None or language == settings.LANGUAGE_CODE:
        return dateline(moment)
    local = timezone.localtime(moment)
    with translation.override(language):
        return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({_gmt(local)})"


def short_datetime_for(moment: datetime | None, language: str | None = None) -> str:
    """`22/12/2021 10:01` in Vietnamese; `December 22, 2021, 10:01` in English."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if moment is None or language == settings.LANGUAGE_CODE:
        return short_datetime(moment)
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def tidy_text_fields(instance) -> None:
    """NFC every text a model instance holds (char and text fields, the strings inside its
    StreamFields) and trim single-line (char) fields, as forms do. Run on the way in for
    every model of ours (core.signals, `pre_save`), so models need no save() of their own."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                tidy = nfc(value)
                if isinstance(field, models.CharField):
                    tidy = tidy.strip()
                if tidy != value:
                    setattr(instance, field.attname, tidy)
        elif isinstance(field, StreamField):
            # get_prep_value, not raw_data: blocks changed in place (a translation) must count.
            raw = getattr(instance, field.attname).get_prep_value()
            normalised = nfc_deep(raw)
            if normalised != raw:
                setattr(instance, field.attname, normalised)


def nfc_deep(value):
    """NFC every string inside nested lists/dicts (a StreamField's raw data)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_deep(item) for item in value]
    if isinstance(value, dict):
        return {key: nfc_deep(item) for key, item in value.items()}
    return value


# Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …; f j w z where Latin has them),
# tones only breaking ties, in the dictionaries' order: none, huyền, hỏi, ngã, sắc, nặng.
_VI_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VI_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def vi_sort_key(text: str) -> str:
    """A key that sorts names as a Vietnamese reader expects ("DŨNG" < "ĐÔNG HÀ" < "EM").

    Digits only, so any database collation orders it the same: two digits per letter
    (10 for a space or punctuation, 11–20 for digits, 21– for letters), then "0" and one
    digit per letter for its tone, which only counts between otherwise equal names."""
    letters, tones = [], []
    for cluster in _letter_clusters(unicodedata.normalize("NFD", (text or "").casefold())):
        base = unicodedata.normalize("NFC", "".join(c for c in cluster if c not in _VI_TONES))
        tone = next((_VI_TONES[c] for c in cluster if c in _VI_TONES), "0")
        if base in _VI_ALPHABET:
            letters.append(f"{21 + _VI_ALPHABET.index(base)}")
            tones.append(tone)
        elif base.isdigit() and len(base) == 1:
            letters.append(f"{11 + int(base)}")
        elif letters and letters[-1] != "10":
            letters.append("10")  # spaces, punctuation and other letters all separate words
    return "".join(letters).removesuffix("10") + "0" + "".join(tones)


def _letter_clusters(decomposed: str) -> list[str]:
    clusters: list[str] = []
    for char in decomposed:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters
