"""What a reader typed, made safe: NFC, no control characters, bounded, words and phrases.

Hostile input can only ever become a short list of words made of letters and digits; the
engines build their SQL from those words as parameters, never from the raw text.
"""

import re
from dataclasses import dataclass, field

from toasoan.core.text import fold

from .folding import clean, has_marks, words

MAX_LENGTH = 200  # characters kept from the query box
MAX_WORDS = 12  # words used in the search (more slow every engine down and add nothing)
_QUOTES = '"“”„«»'
_PHRASE = re.compile(rf"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)")


@dataclass(frozen=True)
class Group:
    """One thing the reader asked for: any of its spellings (each a run of folded words that
    must stand next to each other) will do. A typed word is a group of one spelling; a word the
    synonym list knows ("UBND") brings its other spellings ("uy ban nhan dan")."""

    spellings: tuple[tuple[str, ...], ...]
    typed: tuple[str, ...] = ()  # the words as typed (NFC), for exact accented matches
    quoted: bool = False
    optional: bool = False  # a little word ("của", "về", "mới nhất"): ranks, need not match


@dataclass(frozen=True)
class Query:
    text: str = ""  # the cleaned query, as shown back in the box
    terms: tuple[str, ...] = ()  # words that must all appear (NFC, as typed)
    phrases: tuple[tuple[str, ...], ...] = ()  # quoted phrases: words that must be adjacent
    truncated: bool = False
    ignored_words: int = 0
    folded_words: frozenset[str] = field(default=frozenset(), compare=False)
    # The words as groups, in the order typed (synonyms applied by `words.expand`).
    groups: tuple[Group, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.phrases

    @property
    def has_marks(self) -> bool:
        """Typed with diacritics: exact accented matches then rank first."""
        return any(has_marks(w) for w in self.all_words())

    def all_words(self) -> list[str]:
        return list(self.terms) + [w for phrase in self.phrases for w in phrase]


def parse(raw: str | None) -> Query:
    text = " ".join(clean(raw or "").split())
    truncated = len(text) > MAX_LENGTH
    if truncated:
        text = text[:MAX_LENGTH].rstrip()
    phrases: list[tuple[str, ...]] = []
    terms: list[str] = []
    budget = MAX_WORDS
    ignored = 0

    def take(found: list[str]) -> list[str]:
        nonlocal budget, ignored
        kept = found[: max(budget, 0)]
        ignored += len(found) - len(kept)
        budget -= len(kept)
        return kept

    for match in _PHRASE.finditer(text):
        phrase = take(words(match.group(1)))
        if len(phrase) > 1:
            phrases.append(tuple(phrase))
        else:
            terms.extend(phrase)
    terms.extend(take(words(_PHRASE.sub(" ", text))))
    sequence = list(terms)  # as typed, repeats kept: "sợ sai sợ trách nhiệm" is a phrase
    # The same word twice adds nothing to an AND query.
    terms = list({term.casefold(): term for term in terms}.values())
    folded = frozenset(fold(w) for w in terms + [w for p in phrases for w in p])
    groups = [Group(((fold(t),),), (t,)) for t in sequence]
    groups += [Group((tuple(fold(w) for w in p),), p, quoted=True) for p in phrases]
    return Query(
        groups=tuple(groups),
        text=text,
        terms=tuple(terms),
        phrases=tuple(phrases),
        truncated=truncated,
        ignored_words=ignored,
        folded_words=folded,
    )
