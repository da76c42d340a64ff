"""What ranking reads of each story, prepared when it is indexed (ranking.rank_text).

Nullable, so SQLite adds the column in place (a rebuilt table would lose the FTS triggers of
0002) and PostgreSQL without rewriting the table. Entries indexed before stay null and are
prepared while searching until `manage.py rebuild_search_index` (or their next publish).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0008_default_synonyms")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="rank_text",
            field=models.TextField(blank=True, null=True),
        ),
    ]
