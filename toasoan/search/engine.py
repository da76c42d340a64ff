"""Ranked search over the index, in SQL: SQLite FTS5 or PostgreSQL full-text search.

Both engines match folded words (so "da nang" finds "Đà Nẵng"), rank a query typed with
diacritics so that stories containing the exact accented words come first (exact in the
title, then exact anywhere, then the rest), and only ever return live stories: the page
table is joined and `live` is part of every query.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from wagtail.search.query import And, Phrase, PlainText

from toasoan.core.text import fold
from toasoan.newsroom.models import published_articles

from .folding import exact_code
from .models import publication_seq
from .query import Query

MAX_RESULTS = 1000  # readers never page further; counting stops here too
WINDOW = 2000  # the newest matches that are ranked (at least MAX_RESULTS)


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
    published: object  # a datetime (PostgreSQL) or its stored text (SQLite): both sort
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


def _seq_bounds(filters: Filters, column: str) -> tuple[list[str], list]:
    """The date filter again, on `seq` (publication order): lets the index jump to the dates."""
    where, params = [], []
    if filters.date_from:
        where.append(f"{column} >= %s")
        params.append(publication_seq(_aware(filters.date_from), 0))
    if filters.date_to:
        where.append(f"{column} < %s")
        params.append(publication_seq(_aware(filters.date_to + timedelta(days=1)), 0))
    return where, params


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts_expression(query: Query, code) -> str:
    """`"w1" AND "w2" AND "p1 p2"` with each word passed through `code` (fold or exact)."""
    parts = [_fts_quote(code(w)) for w in query.terms]
    parts += [_fts_quote(" ".join(code(w) for w in phrase)) for phrase in query.phrases]
    return " AND ".join(parts)


def _candidates_sqlite(query: Query, filters: Filters, cursor) -> tuple[int, list[Candidate]]:
    where, params = _bounds(filters)
    seq_where, seq_params = _seq_bounds(filters, "f.rowid")
    where, params = [*where, *seq_where], [*params, *seq_params]
    match = "{folded_title folded_text}: (" + _fts_expression(query, fold) + ")"
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
        f"SELECT f.rowid, p.id, p.first_published_at, -bm25(search_entry_fts, 10.0, 1.0, 0, 0) "
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
        Candidate(pk, published, score, 2 * (seq in exact_title) + (seq in exact_any))
        for seq, pk, published, score in rows
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


PHRASE_PREFILTER = 4 * WINDOW  # newest stories holding a phrase's words, checked for it


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
        f"SELECT p.id, p.first_published_at, ts_rank({vector}, {tsquery}) {sql} "
        "ORDER BY e.seq DESC LIMIT %s",
        [*params, *params, *bounds, WINDOW],
    )
    return total, [Candidate(*row) for row in cursor.fetchall()]


def _candidates_postgresql(query: Query, filters: Filters, cursor) -> tuple[int, list[Candidate]]:
    if filters.stemming and filters.stemming != "simple":
        return _candidates_stemmed(query, filters, cursor)
    folded, folded_params = _tsquery(query, "vi_unaccent")
    # The newest matches come off the entries alone (narrow rows, `seq` order); the page
    # table is read for date filters, and for the final window (live, date, ranking).
    where, params = [], []
    if filters.section_path:
        where.append("e.path LIKE %s")
        params.append(filters.section_path + "%")
    join = ""
    if filters.date_from or filters.date_to:
        join = "JOIN wagtailcore_page p ON p.id = e.page_id"
        dated = Filters(date_from=filters.date_from, date_to=filters.date_to)
        dates, date_params = _bounds(dated)
        seq_where, seq_params = _seq_bounds(dated, "e.seq")
        where += [*dates, *seq_where]
        params += [*date_params, *seq_params]
    if query.phrases:
        # Checking word positions reads each story's whole vector: do it only for the
        # newest stories that contain all the words (which the index answers alone).
        words = Query(terms=tuple(query.all_words()))
        every, every_params = _tsquery(words, "vi_unaccent")
        # Only ids and order in that subquery: carrying the vectors through its sort made
        # PostgreSQL sort wide rows on disk.
        matches = (
            f"(SELECT e.page_id, e.seq FROM search_searchentry e {join} "
            f"WHERE {' AND '.join([f'e.vector @@ {every}', *where])} "
            f"ORDER BY e.seq DESC LIMIT %s) AS m "
            f"JOIN search_searchentry e ON e.page_id = m.page_id WHERE e.vector @@ {folded}"
        )
        match_params = [*every_params, *params, PHRASE_PREFILTER, *folded_params]
    else:
        matches = (
            f"search_searchentry e {join} WHERE {' AND '.join([f'e.vector @@ {folded}', *where])}"
        )
        match_params = [*folded_params, *params]
    if query.phrases:
        with _walking_in_date_order(cursor):
            return _ranked_window(query, cursor, matches, match_params, folded, folded_params)
    return _ranked_window(query, cursor, matches, match_params, folded, folded_params)


@contextmanager
def _walking_in_date_order(cursor):
    """Seeing how many stories hold all of a phrase's words, PostgreSQL reads every one of
    them through the GIN index and sorts them (on disk); walking the newest in date order,
    which stops at PHRASE_PREFILTER, costs a fraction of that. For this query only."""
    with transaction.atomic(using=cursor.db.alias):
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        yield
        # Inside a caller's transaction (tests), SET LOCAL would last until that one ends.
        cursor.execute("RESET enable_bitmapscan; RESET enable_seqscan; RESET work_mem")


def _ranked_window(query: Query, cursor, matches: str, match_params, folded, folded_params):
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {matches} LIMIT %s) AS hits",
        [*match_params, MAX_RESULTS + 1],
    )
    total = cursor.fetchone()[0]
    if not total:
        return 0, []
    tier, tier_params = "0", []
    if query.has_marks:
        exact, exact_params = _tsquery(query, "simple")
        tier = f"(ts_filter(e.exact, '{{a}}') @@ {exact})::int * 2 + (e.exact @@ {exact})::int"
        tier_params = [*exact_params, *exact_params]
    # The window carries its vectors along (as pointers: read only for the rows ranked).
    cursor.execute(
        f"SELECT p.id, p.first_published_at, ts_rank(e.vector, {folded}), {tier} "
        f"FROM (SELECT e.page_id, e.vector, e.exact FROM {matches} ORDER BY e.seq DESC LIMIT %s) "
        "AS e JOIN wagtailcore_page p ON p.id = e.page_id WHERE p.live",
        [*folded_params, *tier_params, *match_params, WINDOW],
    )
    return total, [Candidate(*row) for row in cursor.fetchall()]


def _search_wagtail(query: Query, filters: Filters, newest: bool, offset: int, limit: int) -> Hits:
    """Through Wagtail's configured search backend (OpenSearch/Elasticsearch for huge archives).

    Folding then comes from the backend's analyser (see docs/operators-search.md).
    """
    stories = published_articles().order_by("-first_published_at", "-id")  # indexed fields
    if filters.section_path:
        stories = stories.filter(path__startswith=filters.section_path)
    if filters.date_from:
        stories = stories.filter(first_published_at__gte=_aware(filters.date_from))
    if filters.date_to:
        stories = stories.filter(first_published_at__lt=_aware(filters.date_to + timedelta(1)))
    parts = [PlainText(" ".join(query.terms), operator="and")] if query.terms else []
    parts += [Phrase(" ".join(phrase)) for phrase in query.phrases]
    results = stories.search(
        parts[0] if len(parts) == 1 else And(parts), order_by_relevance=not newest
    )
    total = min(results.count(), MAX_RESULTS + 1)
    limit = max(0, min(limit, MAX_RESULTS - offset))
    return Hits([story.pk for story in results[offset : offset + limit]] if limit else [], total)


def search(
    query: Query, filters: Filters, *, newest: bool = False, offset: int = 0, limit: int = 20
) -> Hits:
    """One page of live story ids, best first (or newest first), and the capped total.

    Ranking looks at the newest WINDOW matching stories: every match when a query is
    specific, the recent ones when it matches a large part of the archive (as "Quảng Nam"
    does in a Quảng Nam paper) — so a search costs about the same at any archive size.
    On PostgreSQL a quoted phrase is looked for among the newest PHRASE_PREFILTER stories
    holding all its words.
    """
    if query.is_empty:
        return Hits([], 0)
    if getattr(settings, "SEARCH_ENGINE", "database") == "wagtail":
        return _search_wagtail(query, filters, newest, offset, limit)
    collect = _candidates_postgresql if connection.vendor == "postgresql" else _candidates_sqlite
    with connection.cursor() as cursor:
        total, candidates = collect(query, filters, cursor)
    if newest:
        candidates.sort(key=lambda c: (c.published, c.pk), reverse=True)
    else:
        candidates.sort(key=lambda c: (c.tier, c.score, c.published, c.pk), reverse=True)
    limit = max(0, min(limit, MAX_RESULTS - offset))
    return Hits([c.pk for c in candidates[offset : offset + limit]], total)
