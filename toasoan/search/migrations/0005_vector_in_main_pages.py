"""PostgreSQL: each entry's folded vector kept in the table's own pages (STORAGE MAIN).

Ranked search reads the vectors of the newest matching stories one by one; out in the TOAST
table each read was an index lookup and a chunk fetch (about five page visits), most of a
search's time: 210 → 40 ms for the window of a term in one story in seven, on 200,000
stories. The other wide columns stay out (toast_tuple_target, 0004). Existing entries are
rewritten so that their vectors move in (minutes on a large archive; the table is locked
meanwhile, so searches and indexing wait).
"""

from django.db import migrations


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_entry_path")]

    operations = [
        migrations.RunPython(
            _run(
                [
                    "ALTER TABLE search_searchentry ALTER COLUMN vector SET STORAGE MAIN",
                    # Generated columns are computed again on any update: the vector is
                    # stored anew, under the new storage.
                    "UPDATE search_searchentry SET title = title",
                ]
            ),
            _run(["ALTER TABLE search_searchentry ALTER COLUMN vector SET STORAGE EXTENDED"]),
        )
    ]
