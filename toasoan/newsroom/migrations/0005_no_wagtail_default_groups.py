"""Wagtail's own groups "Moderators" and "Editors" go: the newsroom's roles (roles.py) are the
groups staff are given, and two English names among them on the new-user form only invite
giving someone rights nobody meant. A group someone is already in stays (their rights would
silently go with it)."""

from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


def drop_unused_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    # After every Wagtail migration that creates the groups or gives them rights.
    dependencies = [
        ("newsroom", "0004_photo_text_in_one_place"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(drop_unused_default_groups, migrations.RunPython.noop)]
