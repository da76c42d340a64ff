"""The paper's own words in a query: synonyms and abbreviations, topic and pen-name names.

Read once per content generation into this worker's memory (`core.changes.remembered`): a
synonym edit bumps the generation (signals.py), so the next search uses it.
"""

from dataclasses import dataclass, replace

from toasoan.core.changes import remembered
from toasoan.core.text import fold

from .folding import words
from .query import Group, Query

# Little words readers add around what they look for ("tin bão mới nhất", "đầu tư vào Quảng
# Nam"): a story need not hold them to match, though they still count when next to the others.
LITTLE_WORDS = frozenset(
    [
        "tin",
        "tức",
        "bài",
        "mới",
        "nhất",
        "hôm",
        "nay",
        "vào",
        "của",
        "ở",
        "tại",
        "và",
        "về",
        "cho",
        "với",
        "các",
        "những",
        "là",
        "thì",
        "mà",
        "như",
        "để",
        "được",
        "trong",
        "đến",
        "khi",
        "có",
        "không",
        "gì",
        "nào",
    ]
)
# Kinds of place readers put before a name ("thành phố Hội An", "huyện Đông Giang"): a story
# about the place need not say "thành phố" to match, though the two side by side still rank.
PLACE_KINDS = frozenset(
    [
        ("thanh", "pho"),
        ("tp",),
        ("tinh",),
        ("huyen",),
        ("quan",),
        ("thi", "xa"),
        ("tx",),
        ("thi", "tran"),
        ("phuong",),
    ]
)
MAX_NAMES = 20_000  # topics and pen names read for recognition (a paper has a few thousand)


def folded_words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words(text))


@dataclass(frozen=True)
class Vocabulary:
    # folded spelling → every spelling of its synonym group (itself included)
    synonyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    topics: dict[tuple[str, ...], tuple[int, ...]]  # folded name → topic ids
    pen_names: dict[tuple[str, ...], tuple[int, ...]]  # folded name → pen-name ids
    longest: int  # words in the longest spelling or name


def _build() -> Vocabulary:
    from toasoan.newsroom.models import PenName, Topic

    from .models import SearchSynonym

    synonyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for entry in SearchSynonym.objects.filter(enabled=True).only("terms"):
        spellings = tuple(dict.fromkeys(s for s in map(folded_words, entry.variants()) if s))
        for spelling in spellings:  # a spelling in two groups gets both groups' spellings
            synonyms[spelling] = tuple(dict.fromkeys(synonyms.get(spelling, ()) + spellings))
    names: list[dict[tuple[str, ...], tuple[int, ...]]] = [{}, {}]
    for index, model in enumerate((Topic, PenName)):
        for pk, name in model.objects.values_list("pk", "name")[:MAX_NAMES]:
            key = folded_words(name)
            if sum(map(len, key)) >= 3:  # "V.A" or "Y" would be found in every query
                names[index][key] = names[index].get(key, ()) + (pk,)
    keys = [*synonyms, *names[0], *names[1]]
    return Vocabulary(synonyms, names[0], names[1], max(map(len, keys), default=1))


def vocabulary() -> Vocabulary:
    return remembered("search:vocabulary", _build)


def expand(query: Query, vocab: Vocabulary | None = None) -> Query:
    """Runs of typed words that the synonym list knows become one group holding every spelling
    ("UBND" → ubnd | uy ban nhan dan), longest run first. Quoted phrases stay as typed."""
    vocab = vocab or vocabulary()
    groups, out, i = list(query.groups), [], 0
    while i < len(groups):
        for size in range(min(vocab.longest, len(groups) - i), 0, -1):
            run = groups[i : i + size]
            if any(g.quoted or len(g.spellings) != 1 for g in run):
                continue
            key = tuple(w for g in run for w in g.spellings[0])
            if key in vocab.synonyms:
                typed = tuple(w for g in run for w in g.typed)
                out.append(Group(vocab.synonyms[key], typed))
                i += size
                break
        else:
            out.append(groups[i])
            i += 1
    little = [
        not g.quoted and len(g.typed) == 1 and g.typed[0].casefold() in LITTLE_WORDS for g in out
    ]
    kinds = [not g.quoted and any(s in PLACE_KINDS for s in g.spellings) for g in out]
    # A place kind is optional only before the name it introduces (a word that is neither
    # little nor another kind): "thành phố" alone, or last, is what the reader looks for.
    named_next = [
        i + 1 < len(out) and not (little[i + 1] or kinds[i + 1]) and kinds[i]
        for i in range(len(out))
    ]
    optional = [a or b for a, b in zip(little, named_next, strict=True)]
    if not all(optional):  # "của" alone is still searched for
        out = [
            replace(g, optional=True) if flag else g for g, flag in zip(out, optional, strict=True)
        ]
    extra = {w for g in out for spelling in g.spellings for w in spelling}
    return replace(query, groups=tuple(out), folded_words=query.folded_words | extra)


@dataclass(frozen=True)
class Named:
    topics: tuple[int, ...] = ()
    pen_names: tuple[int, ...] = ()
    only_names: bool = False  # the query is nothing but those names
    words: frozenset[str] = frozenset()  # the query's words that are part of a name


def recognise(query: Query, vocab: Vocabulary | None = None) -> Named:
    """Topic and pen-name names the query holds (as runs of its words, folded)."""
    vocab = vocab or vocabulary()
    sequence = [w for g in query.groups for w in g.spellings[0]]
    topics: list[int] = []
    pen_names: list[int] = []
    covered: set[int] = set()
    for size in range(min(vocab.longest, len(sequence)), 0, -1):
        for start in range(len(sequence) - size + 1):
            key = tuple(sequence[start : start + size])
            for table, found in ((vocab.topics, topics), (vocab.pen_names, pen_names)):
                if key in table:
                    found.extend(table[key])
                    covered.update(range(start, start + size))
    return Named(
        tuple(dict.fromkeys(topics)),
        tuple(dict.fromkeys(pen_names)),
        bool(sequence) and len(covered) == len(sequence),
        frozenset(sequence[i] for i in covered),
    )
