"""Wagtail's migrations name the page tree's root and the root collection "Root": staff see
that English word above every edition and in the photo library."""

from django.db import migrations


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title="Root").update(
        title="Các ấn bản", draft_title="Các ấn bản"
    )
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name="Root").update(
        name="Thư viện chung"
    )


class Migration(migrations.Migration):
    dependencies = [("editions", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
