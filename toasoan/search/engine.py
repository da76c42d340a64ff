"""Ranked search over the index, in SQL: SQLite FTS5 or PostgreSQL full-text search.

Both engines match folded words (so "da nang" finds "Đà Nẵng"), rank a query typed with
diacritics so that stories containing the exact accented words come first (exact in the
title, then exact anywhere, then the rest), and only ever return live stories: the page
table is joined and `live` is part of every query.
"""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from math import ceil, comb
from time import monotonic

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.query import And, Phrase, PlainText

from toasoan.newsroom.models import ArticleByline, ArticlePage, ArticleTopic

from . import words
from .folding import clean, exact_code
from .models import SEQ_ID_BITS, SearchEntry, publication_seq
from .query import Query
from .ranking import Scorer, Story
from .words import Named

MAX_RESULTS = 1000  # readers never page further; counting stops here too
# The newest matches that are ranked: as many as a reader can page through and one more (so
# "more than 1,000" is still known); older ones would lose on recency to the best of these.
WINDOW = MAX_RESULTS + 1
FEW = 5  # fewer stories than this hold every group: stories missing one of them are added
PARTIAL_MIN = 2  # … when they hold at least half of the groups and at least this many
PARTIAL_WAYS = 40  # the most combinations of groups put to the database for that
RERANK = 100  # the best of the database's own rank that the shared rules (ranking.py) order
SHORTLIST = 3 * RERANK  # PostgreSQL: of the WINDOW, those whose exact accents are looked at


@dataclass(frozen=True)
class Filters:
    section_path: str = ""  # a section's tree path: the section and its subsections
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    # Another edition's PostgreSQL text-search configuration ("english"): its words are
    # stemmed instead of folded (toasoan.editions); "" or "simple" for Vietnamese.
    stemming: str = ""


@dataclass(frozen=True)
class Candidate:
    pk: int
    seq: int  # publication order (models.publication_seq): newest is largest
    score: float  # higher is better
    tier: int = 0  # 2: exact accented words in the title, +1: anywhere


@dataclass(frozen=True)
class Hits:
    ids: list[int]
    total: int  # capped at MAX_RESULTS + 1 ("more than 1,000")


def _bounds(filters: Filters) -> tuple[list[str], list]:
    """WHERE clauses on the page table `p` shared by both engines."""
    where, params = ["p.live"], []
    if filters.section_path:
        where.append("p.path LIKE %s")
        params.append(filters.section_path + "%")
    if filters.date_from:
        where.append("p.first_published_at >= %s")
        params.append(_moment(filters.date_from))
    if filters.date_to:
        where.append("p.first_published_at < %s")
        params.append(_moment(filters.date_to + timedelta(days=1)))
    return where, params


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _moment(day: date):
    return connection.ops.adapt_datetimefield_value(_aware(day))


def _seq_bounds(low: int | None, high: int | None, column: str) -> tuple[list[str], list]:
    """`column >= low AND column < high` on `seq` (publication order), open where None."""
    bounds = [(f"{column} {op} %s", edge) for op, edge in ((">=", low), ("<", high))]
    bounds = [(sql, edge) for sql, edge in bounds if edge is not None]
    return [sql for sql, _ in bounds], [edge for _, edge in bounds]


def _seq_range(filters: Filters) -> tuple[int | None, int | None]:
    """The date filter again, as [low, high) on `seq`: lets the index jump to the dates."""
    low = publication_seq(_aware(filters.date_from), 0) if filters.date_from else None
    after = filters.date_to and filters.date_to + timedelta(days=1)
    return low, publication_seq(_aware(after), 0) if after else None


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts_expression(query: Query, code) -> str:
    """`"w1" AND "w2" AND "p1 p2"` with each word passed through `code` (fold or exact)."""
    parts = [_fts_quote(code(w)) for w in query.terms]
    parts += [_fts_quote(" ".join(code(w) for w in phrase)) for phrase in query.phrases]
    return " AND ".join(parts)


def _fts_groups(query: Query, partial: bool = False) -> str:
    """`("ubnd" OR "uy ban nhan dan") AND "thang" AND …`: each group any of its spellings
    (or, when `partial`, any half of the groups: see `_ways`)."""
    parts = []
    for group in _unique_groups(query):
        spellings = [_fts_quote(" ".join(spelling)) for spelling in group.spellings]
        parts.append(spellings[0] if len(spellings) == 1 else "(" + " OR ".join(spellings) + ")")
    if not partial:
        return " AND ".join(parts)
    ways = [[parts[i] for i in way] for way in _ways(len(parts), partial)]
    return " OR ".join("(" + " AND ".join(way) + ")" for way in ways)


def _ways(count: int, partial: bool) -> list[tuple[int, ...]]:
    """The sets of groups (by index) a story must hold: all of them, or for a partial match
    any half of them and two at least (any all-but-one where halves would be too many)."""
    if not partial:
        return [tuple(range(count))]
    size = max(PARTIAL_MIN, ceil(count / 2))
    if comb(count, size) > PARTIAL_WAYS:
        size = count - 1
    return list(combinations(range(count), size))


def _unique_groups(query: Query) -> list:
    """The groups a story must match (little words only rank, unless nothing else is left)."""
    groups = {g.spellings: g for g in query.groups if not g.optional} or {
        g.spellings: g for g in query.groups
    }
    return list(groups.values())


def _candidates_sqlite(
    query: Query, filters: Filters, cursor, partial: bool = False
) -> tuple[int, list[Candidate]]:
    where, params = _bounds(filters)
    seq_where, seq_params = _seq_bounds(*_seq_range(filters), "f.rowid")
    where, params = [*where, *seq_where], [*params, *seq_params]
    match = "{folded_title folded_text}: (" + _fts_groups(query, partial) + ")"
    # FTS5 hands matches over in rowid (= publication) order; pages are looked up by id.
    from_sql = (
        "FROM search_entry_fts f JOIN search_searchentry e ON e.seq = f.rowid "
        "JOIN wagtailcore_page p ON p.id = e.page_id "
        f"WHERE search_entry_fts MATCH %s AND {' AND '.join(where)}"
    )
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 {from_sql} LIMIT %s) AS hits",
        [match, *params, MAX_RESULTS + 1],
    )
    total = cursor.fetchone()[0]
    if not total:
        return 0, []
    cursor.execute(
        f"SELECT f.rowid, p.id, -bm25(search_entry_fts, 10.0, 1.0, 0, 0) "
        f"{from_sql} ORDER BY f.rowid DESC LIMIT %s",
        [match, *params, WINDOW],
    )
    rows = cursor.fetchall()
    exact_title = exact_any = set()
    if query.has_marks and rows:
        oldest = rows[-1][0]
        exact = _fts_expression(query, exact_code)
        sql = "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s AND rowid >= %s"
        cursor.execute(sql, ["{exact_title}: (" + exact + ")", oldest])
        exact_title = {row[0] for row in cursor.fetchall()}
        cursor.execute(sql, ["{exact_title exact_text}: (" + exact + ")", oldest])
        exact_any = {row[0] for row in cursor.fetchall()}
    return total, [
        Candidate(pk, seq, score, 2 * (seq in exact_title) + (seq in exact_any))
        for seq, pk, score in rows
    ]


def _tsquery(query: Query, config: str) -> tuple[str, list]:
    """`plainto_tsquery(terms) && phraseto_tsquery(phrase) && …` in the given configuration."""
    parts, params = [], []
    if query.terms:
        parts.append(f"plainto_tsquery('{config}', %s)")
        params.append(" ".join(query.terms))
    for phrase in query.phrases:
        parts.append(f"phraseto_tsquery('{config}', %s)")
        params.append(" ".join(phrase))
    return "(" + " && ".join(parts) + ")", params


def _candidates_stemmed(query: Query, filters: Filters, cursor) -> tuple[int, list[Candidate]]:
    """Another edition's stories (English…), stemmed in their language's configuration: a
    smaller archive, so the vectors are computed as it searches, within that edition's tree."""
    config = filters.stemming
    tsquery, params = _tsquery(query, config)
    vector = (
        f"(setweight(to_tsvector('{config}', e.title), 'A') "
        f"|| setweight(to_tsvector('{config}', e.text), 'B'))"
    )
    where, bounds = _bounds(filters)
    sql = (
        f"FROM search_searchentry e JOIN wagtailcore_page p ON p.id = e.page_id "
        f"WHERE {vector} @@ {tsquery} AND {' AND '.join(where)}"
    )
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 {sql} LIMIT %s) AS hits",
        [*params, *bounds, MAX_RESULTS + 1],
    )
    total = cursor.fetchone()[0]
    if not total:
        return 0, []
    cursor.execute(
        f"SELECT p.id, e.seq, ts_rank({vector}, {tsquery}) {sql} ORDER BY e.seq DESC LIMIT %s",
        [*params, *params, *bounds, WINDOW],
    )
    return total, [Candidate(*row) for row in cursor.fetchall()]


# Slices of the archive, newest first: the newest 8,000 entries, then up to the 24,000th,
# 48,000th and 96,000th newest, then all older ones. Kept this narrow because PostgreSQL
# stops ANDing a wide `seq` range with the words' matches when it takes them for few (its
# guess for several words assumes they are unrelated: "hội an cù lao chàm" is 100× more).
SLICES = (8_000, 24_000, 48_000, 96_000)
# An older slice is walked too (not read through the GIN index) when at least one entry in
# this many matched in the slices walked before it.
WALK_RATE = 100
EDITION_DEPTH = 2  # an edition's home page (the Vietnamese home, /en/…)
BOUNDARIES_SECONDS = 600
_boundaries: tuple[float, tuple[int, ...]] = (0.0, ())


def _slice_boundaries(cursor) -> tuple[int, ...]:
    """`seq` of the last entry of each slice, read off the seq index alone, kept a few minutes
    per process: the slices only share the work out, any boundaries give the same results."""
    global _boundaries
    now = monotonic()
    taken, boundaries = _boundaries
    if boundaries and now - taken < BOUNDARIES_SECONDS:
        return boundaries
    picks = ", ".join(
        f"(SELECT seq FROM search_searchentry ORDER BY seq DESC OFFSET {n - 1} LIMIT 1)"
        for n in SLICES
    )
    cursor.execute(f"SELECT {picks}")
    boundaries = tuple(b for b in cursor.fetchone() if b is not None)
    _boundaries = (now, boundaries)
    return boundaries


def _slice_size(k: int) -> int:
    """Entries in the k-th slice (0 the newest) but the oldest (which holds the rest)."""
    return SLICES[k] - (SLICES[k - 1] if k else 0)


def _lower_edge(cursor, k: int, upper: int | None, low: int | None, high: int | None):
    """Where the k-th slice of [low, high) ends, going back in time from `upper` (where the
    slice before it ended): `seq` of its oldest entry, or None when the range holds no more.
    Without an end date the slices are the archive's own (`_slice_boundaries`); a search
    ending at a date counts its slices back from there, off the seq index alone."""
    if k >= len(SLICES):
        return None
    if high is None:
        boundaries = _slice_boundaries(cursor)
        edge = boundaries[k] if k < len(boundaries) else None
    else:
        cursor.execute(
            "SELECT seq FROM search_searchentry WHERE seq < %s ORDER BY seq DESC OFFSET %s LIMIT 1",
            [upper, _slice_size(k) - 1],
        )
        row = cursor.fetchone()
        edge = row[0] if row else None
    return edge if edge is not None and (low is None or edge > low) else None


def _tsquery_groups(query: Query, partial: bool = False) -> tuple[str, list]:
    """Each group as `(phraseto_tsquery(s1) || phraseto_tsquery(s2))`, all ANDed (or, when
    `partial`, any half of them: see `_ways`)."""
    parts: list[tuple[str, list]] = []
    for group in _unique_groups(query):
        spellings = ["phraseto_tsquery('vi_unaccent', %s)"] * len(group.spellings)
        parts.append(("(" + " || ".join(spellings) + ")", [" ".join(s) for s in group.spellings]))
    ways = [[parts[i] for i in way] for way in _ways(len(parts), partial)]
    sql = " || ".join("(" + " && ".join(part for part, _ in way) + ")" for way in ways)
    return "(" + sql + ")", [param for way in ways for _, params in way for param in params]


def _tsquery_rank(query: Query) -> tuple[str, list]:
    """Every word of every group's spellings, ORed: what `ts_rank` weighs is how often and where
    (title, text) the query's words occur, as SQLite's bm25 does. (With the groups ANDed it
    pairs every word's positions with every other's, for each match: a third of a long
    query's time; nearness is ranking.py's own rule.)"""
    found = [w for group in _unique_groups(query) for s in group.spellings for w in s]
    words = list(dict.fromkeys(found))
    return "(" + " || ".join(["plainto_tsquery('vi_unaccent', %s)"] * len(words)) + ")", words


SIGNATURE_BITS = 1024  # migration 0010
# Each spelling's signature bits, kept in this process (an immutable function of the words:
# a search of words seen before asks the database nothing for them).
_masks: dict[str, int] = {}
MASKS_KEPT = 10_000


def _sieve(query: Query, cursor) -> tuple[list[str], list]:
    """Conditions on an entry's `signature` (migration 0010) that every entry matching the
    query meets: the bits of each required group's words, or of any one of its spellings
    ("UBND" or "Ủy ban nhân dân"). Necessary, never sufficient: the `tsvector` match decides."""
    groups = _unique_groups(query)
    spellings = [" ".join(s) for group in groups for s in group.spellings]
    known = {s: _masks.get(s) for s in spellings}
    unknown = [s for s, mask in known.items() if mask is None]
    if unknown:
        cursor.execute(
            "SELECT t, search_signature(to_tsvector('vi_unaccent', t))::text "
            "FROM unnest(%s::text[]) AS t",
            [unknown],
        )
        fetched = {text: int(bits, 2) for text, bits in cursor.fetchall()}
        known.update(fetched)
        if len(_masks) > MASKS_KEPT:
            _masks.clear()
        _masks.update(fetched)
    every, anyof = 0, []
    for group in groups:
        options = [known[" ".join(s)] for s in group.spellings]
        if len(options) == 1:
            every |= options[0]
        elif all(options):
            anyof.append(options)
    test = f"(s.signature & %s::bit({SIGNATURE_BITS})) = %s::bit({SIGNATURE_BITS})"
    clauses, params = ([test], [f"{every:0{SIGNATURE_BITS}b}"] * 2) if every else ([], [])
    for options in anyof:
        clauses.append("(" + " OR ".join([test] * len(options)) + ")")
        params += [f"{mask:0{SIGNATURE_BITS}b}" for mask in options for _ in (0, 1)]
    return clauses, params


def _candidates_postgresql(
    query: Query, filters: Filters, cursor, partial: bool = False
) -> tuple[int, list[Candidate]]:
    """The newest WINDOW matches, slice by slice of the archive (newest first), then ranked.

    The newest slice is walked in publication order (the `seq` index) until WINDOW stories
    match: a common word ("Quảng Nam") stops after a few thousand. Each older slice is one
    bitmap scan: the GIN index's matches ANDed with the slice's range of `seq` (and the
    section's entries), so only the matching stories of that slice are read, then sorted.
    Walking the whole archive instead reads every story for a rare word; one bitmap scan of
    the whole archive reads every match, half of it for a common word.
    """
    if filters.stemming and filters.stemming != "simple":
        return _candidates_stemmed(query, filters, cursor)
    folded, folded_params = _tsquery_groups(query, partial)
    weighed, weighed_params = _tsquery_rank(query)
    where, params = [f"e.vector @@ {folded}"], list(folded_params)
    path = filters.section_path
    if path and len(path) > EDITION_DEPTH * Page.steplen:
        where.append("e.path LIKE %s")  # a section: its entries through their index
        params.append(path + "%")
    elif path:
        # A whole edition, most of the archive: checked on the rows read (reading its part
        # of the index for every slice would cost more than the search).
        where.append("substr(e.path, 1, %s) = %s")
        params += [len(path), path]
    # Walking the whole archive or an edition, the signature index is walked instead of the
    # table: only entries holding every required word are fetched and matched (a section
    # walks its own index, `path` first).
    sieve = where[1:] if not path or len(path) <= EDITION_DEPTH * Page.steplen else None
    sifted, sifted_params = _sieve(query, cursor) if sieve is not None and not partial else ([], [])
    found: list[tuple[int, int, float]] = []
    low, high = _seq_range(filters)
    upper, walked = high, 0  # walked: entries read by walking so far
    nested = cursor.db.in_atomic_block
    with transaction.atomic(using=cursor.db.alias):
        for k in range(len(SLICES) + 1):
            # The newest slice is walked; an older one too when walking so far met matches
            # often (one entry in WALK_RATE or more): a query of many common words ("ủy ban
            # nhân dân tỉnh quảng nam tổ chức hội nghị…") would otherwise have the GIN index
            # read every story's entry for each of its words, once per slice, the whole
            # archive over (that cost grows with the archive; walking's with how rare the
            # matches are). Same rows in the same order either way: only the plan differs.
            walk = k == 0 or (k < len(SLICES) and walked > 0 and len(found) * WALK_RATE >= walked)
            joins = walk and bool(sifted)
            # A search ending at a date reads what it does not walk in one pass.
            lower = _lower_edge(cursor, k, upper, low, high) if walk or high is None else None
            slice_where, slice_params = _seq_bounds(low if lower is None else lower, upper, "e.seq")
            # Whatever the planner guesses of the words' frequency (its statistics know a
            # few hundred common words and take the rest for rare).
            cursor.execute(
                "SET LOCAL enable_seqscan = off; "
                f"SET LOCAL enable_bitmapscan = {'off' if walk else 'on'}; "
                f"SET LOCAL enable_indexscan = {'on' if walk else 'off'}"
                # A sieved walk joins each entry whose signature passes, by `seq`, one by one.
                + ("; SET LOCAL enable_mergejoin = off; SET LOCAL enable_hashjoin = off" * joins)
            )
            if joins:
                # The index alone (seq, path, signature) is read in publication order; an
                # entry is fetched by `seq` only when its signature holds the query's bits.
                sieve_where = [
                    *sifted,
                    *(clause.replace("e.path", "s.path") for clause in sieve),
                    *(clause.replace("e.seq", "s.seq") for clause in slice_where),
                ]
                cursor.execute(
                    f"SELECT e.page_id, e.seq, ts_rank(e.vector, {weighed}) "
                    "FROM search_searchentry s JOIN search_searchentry e ON e.seq = s.seq "
                    f"WHERE {' AND '.join(sieve_where)} AND {where[0]} "
                    "ORDER BY s.seq DESC LIMIT %s",
                    [
                        *weighed_params,
                        *sifted_params,
                        *params[len(folded_params) :],
                        *slice_params,
                        *folded_params,
                        WINDOW - len(found),
                    ],
                )
            else:
                # The rank comes with the match: the vector is read for the match anyway.
                cursor.execute(
                    f"SELECT e.page_id, e.seq, ts_rank(e.vector, {weighed}) "
                    "FROM search_searchentry e "
                    f"WHERE {' AND '.join([*where, *slice_where])} "
                    "ORDER BY e.seq DESC LIMIT %s",
                    [*weighed_params, *params, *slice_params, WINDOW - len(found)],
                )
            found += cursor.fetchall()
            if len(found) >= WINDOW or lower is None:
                break
            walked += _slice_size(k) if walk else 0
            upper = lower
        # Inside a caller's transaction (tests), SET LOCAL would last until that one ends
        # (in a transaction of its own, its end is the reset: one round trip less).
        if nested:
            cursor.execute(
                "RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_indexscan; "
                "RESET enable_mergejoin; RESET enable_hashjoin"
            )
    if not found:
        return 0, []
    # Live pages only (an entry goes with its page's unpublishing; this is the guarantee).
    cursor.execute(
        "SELECT id FROM wagtailcore_page WHERE id = ANY(%s) AND live", [[row[0] for row in found]]
    )
    live = {pk for (pk,) in cursor.fetchall()}
    candidates = [Candidate(pk, seq, score) for pk, seq, score in found if pk in live]
    if query.has_marks:
        # Exact accented words: read for the SHORTLIST best by the folded rank only (the
        # exact vectors are stored apart, each a lookup), enough to choose the RERANK.
        candidates.sort(key=lambda c: (c.score, c.seq), reverse=True)
        # The title's words alone are filtered out (ts_filter) only for the stories holding
        # the exact words at all: a match in the title is a match in the whole.
        exact, exact_params = _tsquery(query, "simple")
        cursor.execute(
            f"SELECT e.page_id, CASE WHEN e.exact @@ {exact} "
            f"THEN 1 + (ts_filter(e.exact, '{{a}}') @@ {exact})::int * 2 ELSE 0 END "
            "FROM search_searchentry e WHERE e.page_id = ANY(%s)",
            [*exact_params, *exact_params, [c.pk for c in candidates[:SHORTLIST]]],
        )
        tiers = dict(cursor.fetchall())
        candidates = [replace(c, tier=tiers[c.pk]) if tiers.get(c.pk) else c for c in candidates]
    return min(len(candidates), MAX_RESULTS + 1), candidates


def _within(stories, filters: Filters):
    """Stories narrowed to the reader's section and dates (ORM paths)."""
    if filters.section_path:
        stories = stories.filter(path__startswith=filters.section_path)
    if filters.date_from:
        stories = stories.filter(first_published_at__gte=_aware(filters.date_from))
    if filters.date_to:
        stories = stories.filter(first_published_at__lt=_aware(filters.date_to + timedelta(1)))
    return stories


def _search_wagtail(query: Query, filters: Filters, newest: bool, offset: int, limit: int) -> Hits:
    """Through Wagtail's configured search backend (OpenSearch/Elasticsearch for huge archives).

    Folding then comes from the backend's analyser (see docs/operators-search.md).
    """
    stories = ArticlePage.objects.published().order_by(
        "-first_published_at", "-id"
    )  # indexed fields
    stories = _within(stories, filters)
    parts = [PlainText(" ".join(query.terms), operator="and")] if query.terms else []
    parts += [Phrase(" ".join(phrase)) for phrase in query.phrases]
    results = stories.search(
        parts[0] if len(parts) == 1 else And(parts), order_by_relevance=not newest
    )
    total = min(results.count(), MAX_RESULTS + 1)
    limit = max(0, min(limit, MAX_RESULTS - offset))
    return Hits([story.pk for story in results[offset : offset + limit]] if limit else [], total)


def _published(seq: int) -> datetime:
    """The publication moment `seq` was made from (to the second: enough for recency)."""
    return datetime.fromtimestamp(seq >> SEQ_ID_BITS, tz=UTC)


def _rows(pks: list[int]) -> dict[int, Story]:
    """What ranking reads of the stories to rank: their prepared `rank_text` (one narrow query;
    the publication moment comes out of `seq`, so no page is read). Entries indexed before
    `rank_text` was stored are prepared here from their texts."""
    rows = SearchEntry.objects.filter(page_id__in=pks).values_list("page_id", "seq", "rank_text")
    stories, unprepared = {}, []
    for pk, seq, text in rows:
        if text is None:
            unprepared.append(pk)
        else:
            stories[pk] = Story.prepared(pk, _published(seq), text)
    if unprepared:
        rows = SearchEntry.objects.filter(page_id__in=unprepared).values_list(
            "page_id", "seq", "title", "text", "page__articlepage__sapo"
        )
        for pk, seq, title, text, sapo in rows:
            sapo = clean(sapo or "")
            body = text[len(sapo) :] if sapo and text.startswith(sapo) else text
            stories[pk] = Story.of(pk, _published(seq), title, sapo, body)
    return stories


def _named_stories(named: Named, pks: list[int]) -> set[int]:
    """Which of these stories carry a topic or pen name the query named."""
    found: set[int] = set()
    if named.topics:
        found |= set(
            ArticleTopic.objects.filter(
                tag_id__in=named.topics, content_object_id__in=pks
            ).values_list("content_object_id", flat=True)
        )
    if named.pen_names:
        found |= set(
            ArticleByline.objects.filter(
                pen_name_id__in=named.pen_names, page_id__in=pks
            ).values_list("page_id", flat=True)
        )
    return found


def _signed(named: Named, filters: Filters) -> list[Candidate]:
    """The newest stories signed with the pen names a query consists of (bylines are not in
    the text index: "Minh Hải" is a reader asking for that writer's stories)."""
    stories = ArticlePage.objects.published().filter(bylines__pen_name_id__in=named.pen_names)
    stories = _within(stories, filters)
    rows = stories.values_list("pk", "first_published_at").distinct()[:WINDOW]
    return [Candidate(pk, publication_seq(published, pk), 0.0) for pk, published in rows]


def rank(query: Query, candidates: list[Candidate], named: Named) -> list[Candidate]:
    """The database's best RERANK, ordered by the shared rules; the rest after them."""
    candidates.sort(key=lambda c: (c.tier, c.score, c.seq), reverse=True)
    head, tail = candidates[:RERANK], candidates[RERANK:]
    stories = _rows([c.pk for c in head])
    best = max((c.score for c in head), default=0.0) or 1.0
    for c in head:
        if c.pk in stories:
            stories[c.pk].database = max(c.score, 0.0) / best
    for pk in _named_stories(named, list(stories)) if named.topics or named.pen_names else ():
        stories[pk].named = True
    scorer = Scorer(query.groups, timezone.now(), named.words)
    scores = {pk: scorer.ranked(story) for pk, story in stories.items()}
    head.sort(key=lambda c: (scores.get(c.pk, (False, 0.0)), c.pk), reverse=True)
    return head + tail


def search(
    query: Query, filters: Filters, *, newest: bool = False, offset: int = 0, limit: int = 20
) -> Hits:
    """One page of live story ids, best first (or newest first), and the capped total.

    Synonyms are applied first (words.py). Matching looks at the newest WINDOW stories that
    hold every group of the query (or, when fewer than FEW do, half of them), plus the stories
    of a pen name the query consists of; the best RERANK of those are ordered by the shared
    rules of ranking.py — so a search costs about the same at any archive size.
    """
    if query.is_empty:
        return Hits([], 0)
    if settings.SEARCH_ENGINE == "wagtail":
        return _search_wagtail(query, filters, newest, offset, limit)
    vocab = words.vocabulary()
    query = words.expand(query, vocab)
    named = words.recognise(query, vocab)
    collect = _candidates_postgresql if connection.vendor == "postgresql" else _candidates_sqlite
    with connection.cursor() as cursor:
        total, candidates = collect(query, filters, cursor)
        # Too few hold every group: those holding half of them, two at least, are added (and
        # ranked after): one syllable of "Đà Nẵng" is no match ("đã", "nắng"…).
        if total < FEW and len(_unique_groups(query)) > PARTIAL_MIN:
            _, partial = collect(query, filters, cursor, partial=True)
            seen = {c.pk for c in candidates}
            candidates += [c for c in partial if c.pk not in seen]
    if named.pen_names and named.only_names:
        seen = {c.pk for c in candidates}
        candidates += [c for c in _signed(named, filters) if c.pk not in seen]
    total = max(total, min(len(candidates), MAX_RESULTS + 1))
    if newest:
        candidates.sort(key=lambda c: c.seq, reverse=True)
    else:
        candidates = rank(query, candidates, named)
    limit = max(0, min(limit, MAX_RESULTS - offset))
    return Hits([c.pk for c in candidates[offset : offset + limit]], total)
