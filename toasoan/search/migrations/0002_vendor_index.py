"""The database-specific half of the search index.

PostgreSQL: the `vi_unaccent` text-search configuration (a copy of `simple` whose words pass
through `unaccent` first, so đ→d and stacked marks such as ẵ fold), and two generated
`tsvector` columns: `vector` (folded, GIN-indexed, what queries match) and `exact` (`simple`:
words as written, only used to rank accented matches first).

SQLite: an FTS5 table over the folded and exact shadow columns, kept in step by triggers.
FTS5's own tokenizer cannot fold Vietnamese (it keeps đ and stacked marks), hence the
shadow columns computed in Python. A later migration that rebuilds `search_searchentry` on
SQLite must recreate these triggers.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'vi_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION vi_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
      END IF;
    END $$
    """,
    """
    ALTER TABLE search_searchentry
      ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('vi_unaccent'::regconfig, title), 'A')
        || setweight(to_tsvector('vi_unaccent'::regconfig, text), 'B')
      ) STORED,
      ADD COLUMN exact tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, text), 'B')
      ) STORED
    """,
    "CREATE INDEX search_searchentry_vector_gin ON search_searchentry USING gin (vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector, DROP COLUMN IF EXISTS exact",
]

_COLUMNS = "folded_title, folded_text, exact_title, exact_text"
_NEW = "new.folded_title, new.folded_text, new.exact_title, new.exact_text"
_OLD = "old.folded_title, old.folded_text, old.exact_title, old.exact_text"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5({_COLUMNS},
        content='search_searchentry', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.page_id, {_NEW});
    END""",
    f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.page_id, {_OLD});
    END""",
    f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.page_id, {_OLD});
        INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.page_id, {_NEW});
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
