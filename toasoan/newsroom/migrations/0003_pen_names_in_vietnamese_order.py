"""Pen names sort in Vietnamese alphabetical order ("DŨNG" < "ĐÔNG HÀ" < "EM"): a sort key kept
on each pen name (toasoan.core.text.vi_sort_key), which no database collation gives."""

from django.db import migrations, models


def sort_pen_names(apps, schema_editor):
    from toasoan.core.text import vi_sort_key

    PenName = apps.get_model("newsroom", "PenName")
    for pen_name in PenName.objects.all():
        PenName.objects.filter(pk=pen_name.pk).update(sort_name=vi_sort_key(pen_name.name))


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0002_workflow_corrections_breaking")]

    operations = [
        migrations.AddField(
            model_name="penname",
            name="sort_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=400),
        ),
        migrations.RunPython(sort_pen_names, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="penname",
            options={
                "ordering": ["sort_name", "name"],
                "verbose_name": "bút danh",
                "verbose_name_plural": "bút danh",
            },
        ),
    ]
