from django.db import migrations

from fieldguide.core.roles import grant_role_permissions


def grant_roles(apps, schema_editor):
    """The editorial roles' rights on this app's models (see fieldguide/core/roles.py)."""
    grant_role_permissions(apps, "atlas")


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0005_provenance_releases"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
