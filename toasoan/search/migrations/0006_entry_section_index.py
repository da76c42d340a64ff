"""A section's entries in publication order, for searches filtered by section.

On PostgreSQL the path column is indexed for prefix matches (varchar_pattern_ops), so a
section filter becomes one more bitmap ANDed with the words' GIN matches and the date
slice: only that section's matching stories are read.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0005_vector_in_main_pages'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['path', 'seq'], name='search_entry_section_seq', opclasses=['varchar_pattern_ops', 'int8_ops']),
        ),
    ]
