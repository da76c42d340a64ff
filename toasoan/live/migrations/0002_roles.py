from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    """Existing newsrooms: the role groups get the live desk's permissions."""
    from toasoan.live.roles import LIVE_ROLES

    config = apps.get_app_config("live")
    config.models_module = config.models_module or True
    create_permissions(config, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in LIVE_ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="live", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
