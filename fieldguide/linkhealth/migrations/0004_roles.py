from django.db import migrations

from fieldguide.core.roles import grant_role_permissions


def grant_roles(apps, schema_editor):
    """The editorial roles' rights on link health (see fieldguide/core/roles.py)."""
    grant_role_permissions(apps, "linkhealth")


class Migration(migrations.Migration):
    dependencies = [
        ("linkhealth", "0003_editors_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
