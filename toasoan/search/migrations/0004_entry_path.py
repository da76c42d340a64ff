"""Entries carry their page's tree path (section filters without reading every page).

PostgreSQL also keeps the wide columns out of the table's main pages
(`toast_tuple_target`), so scanning many matches reads a small table. SQLite: the FTS
table and triggers are set aside while Django rebuilds the table to add the column.
"""

from django.db import migrations, models

_COLUMNS = "folded_title, folded_text, exact_title, exact_text"
_NEW = "new.folded_title, new.folded_text, new.exact_title, new.exact_text"
_OLD = "old.folded_title, old.folded_text, old.exact_title, old.exact_text"
SQLITE_FTS = [
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5({_COLUMNS},
        content='search_searchentry', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.seq, {_NEW});
    END""",
    f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.seq, {_OLD});
    END""",
    f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.seq, {_OLD});
        INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.seq, {_NEW});
    END""",
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TABLE IF EXISTS search_entry_fts",
]
FILL_PATH = (
    "UPDATE search_searchentry SET path = "
    "(SELECT path FROM wagtailcore_page WHERE wagtailcore_page.id = search_searchentry.page_id)"
)


def _run(by_vendor):
    def run(apps, schema_editor):
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_publication_seq")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_DROP}), _run({"sqlite": SQLITE_FTS})),
        migrations.AddField(
            model_name="searchentry",
            name="path",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.RunPython(
            _run(
                {
                    "sqlite": [FILL_PATH, *SQLITE_FTS],
                    "postgresql": [
                        FILL_PATH,
                        "ALTER TABLE search_searchentry SET (toast_tuple_target = 128)",
                    ],
                }
            ),
            _run(
                {
                    "sqlite": SQLITE_DROP,
                    "postgresql": ["ALTER TABLE search_searchentry RESET (toast_tuple_target)"],
                }
            ),
        ),
    ]
