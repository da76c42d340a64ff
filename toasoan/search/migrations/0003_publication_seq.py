"""Entries get `seq`, their publication order as one integer; SQLite's FTS5 rows use it as rowid.

On SQLite the FTS table and its triggers are dropped while the column is added (Django
rebuilds a SQLite table to add a column, which drops triggers), then created again over
`seq` and refilled from the existing entries.
"""

from django.db import migrations, models

SEQ_ID_BITS = 26
_COLUMNS = "folded_title, folded_text, exact_title, exact_text"
_NEW = "new.folded_title, new.folded_text, new.exact_title, new.exact_text"
_OLD = "old.folded_title, old.folded_text, old.exact_title, old.exact_text"


def sqlite_fts(rowid: str) -> list[str]:
    return [
        f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5({_COLUMNS},
            content='search_searchentry', content_rowid='{rowid}',
            tokenize='unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
            INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.{rowid}, {_NEW});
        END""",
        f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
            INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS})
            VALUES ('delete', old.{rowid}, {_OLD});
        END""",
        f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
            INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS})
            VALUES ('delete', old.{rowid}, {_OLD});
            INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.{rowid}, {_NEW});
        END""",
        "INSERT INTO search_entry_fts(search_entry_fts) VALUES('rebuild')",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def fill_seq(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    for entry in SearchEntry.objects.select_related("page").iterator():
        moment = entry.page.first_published_at
        seconds = int(moment.timestamp()) if moment else 0
        entry.seq = (seconds << SEQ_ID_BITS) + entry.page_id % (1 << SEQ_ID_BITS)
        entry.save(update_fields=["seq"])


class Migration(migrations.Migration):
    dependencies = [("search", "0002_vendor_index")]

    operations = [
        migrations.RunPython(_sqlite(SQLITE_DROP), _sqlite(sqlite_fts("page_id"))),
        migrations.AddField(
            model_name="searchentry", name="seq", field=models.BigIntegerField(null=True)
        ),
        migrations.RunPython(fill_seq, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchentry", name="seq", field=models.BigIntegerField(unique=True)
        ),
        migrations.RunPython(_sqlite(sqlite_fts("seq")), _sqlite(SQLITE_DROP)),
    ]
