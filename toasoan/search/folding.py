"""Vietnamese words as the search index sees them: folded for matching, coded for exactness.

`fold()` (core) makes "Đà Nẵng", "đã nâng" and "da nang" the same words, which is what a
reader typing without diacritics needs. To rank exact accented matches first, each word also
gets an *exact code*: its folded letters followed by one digit per mark, in the spirit of the
VNI typing method (đà → da92, đã → da94, nẵng → nang84, nâng → nang6). Codes are plain ASCII,
so SQLite's FTS5 tokenizer keeps them intact (it would keep đ and stacked marks such as ẵ, but
strip single marks, so it can neither fold nor keep Vietnamese exactly on its own).
"""

import re
import unicodedata
from functools import lru_cache

from toasoan.core.text import fold, nfc, without_controls

# One digit per mark. Tones: 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng; letters: 6 â ê ô,
# 7 ơ ư, 8 ă, 9 đ. Any other combining mark (é in a French name…) counts as 0.
_MARK_DIGITS = {
    "\u0301": "1",
    "\u0300": "2",
    "\u0309": "3",
    "\u0303": "4",
    "\u0323": "5",
    "\u0302": "6",
    "\u031b": "7",
    "\u0306": "8",
}
_WORD = re.compile(r"[^\W_]+")


def clean(text: str) -> str:
    """NFC, without control characters (NUL breaks PostgreSQL, others break XML)."""
    return without_controls(nfc(text or ""))


def words(text: str) -> list[str]:
    """The words of a text, as the index splits them (letters and digits)."""
    return _WORD.findall(nfc(text or ""))


@lru_cache(maxsize=100_000)  # Vietnamese has a few thousand syllables: indexing reuses them
def exact_code(word: str) -> str:
    """`đà` → `da92`: folded letters, then a digit for each mark, in reading order."""
    letters, digits = [], []
    for ch in unicodedata.normalize("NFD", word.casefold()):
        if ch in "đ":
            letters.append("d")
            digits.append("9")
        elif unicodedata.combining(ch):
            digits.append(_MARK_DIGITS.get(ch, "0"))
        else:
            letters.append(fold(ch))
    return "".join(letters) + "".join(digits)


def has_marks(text: str) -> bool:
    """True when the text carries Vietnamese (or other) diacritics or đ."""
    return fold(text) != text.casefold()


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    return fold(word)


def folded_text(text: str) -> str:
    """The shadow text the SQLite index matches against: words folded, one space apart."""
    return " ".join(fold_word(w) for w in words(text))


def exact_text(text: str) -> str:
    """The same words as exact codes (for boosting accented matches)."""
    return " ".join(exact_code(w) for w in words(text))


_TONES = "\u0301\u0300\u0309\u0303\u0323"
_VOWELS = "aeiouy"


@lru_cache(maxsize=20_000)
def tone_variants(word: str) -> frozenset[str]:
    """The spellings of one syllable with its tone mark on each of its vowels, casefolded NFC:
    `thủy` ↔ `thuỷ`, `hòa` ↔ `hoà` (old and new placement are the same accented word)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return frozenset({nfc(word.casefold())})
    bare = decomposed.replace(tones[0], "")
    vowels = [i for i, ch in enumerate(bare) if ch in _VOWELS]
    variants = set()
    for i in vowels:
        end = i + 1
        while end < len(bare) and unicodedata.combining(bare[end]):
            end += 1  # after the vowel's own marks (ư, ơ, â…)
        variants.add(nfc(bare[:end] + tones[0] + bare[end:]))
    return frozenset(variants or {nfc(word.casefold())})


_FOLD_WORDS = re.compile(r"[^\W_]+")
_D = str.maketrans({"đ": "d", "Đ": "D"})


def fast_fold(text: str) -> str:
    """`fold()` at C speed for the long texts ranking reads (a few hundred bodies a search):
    đ→d, NFKD, then everything outside ASCII dropped — the marks, and also letters of other
    scripts, which Vietnamese queries do not rank by."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_D))
    return decomposed.encode("ascii", "ignore").decode("ascii").casefold()


def folded_line(text: str) -> str:
    """` w1 w2 … `: the folded words of a text between single spaces (and one at each end),
    so that ` cua dai ` in it means the two words next to each other, in that order."""
    return " " + " ".join(_FOLD_WORDS.findall(fast_fold(text or ""))) + " "


def exact_line(text: str) -> str:
    """The same for the words as written (casefolded NFC), to find exact accented words."""
    return " " + " ".join(_FOLD_WORDS.findall(nfc(text or "").casefold())) + " "
