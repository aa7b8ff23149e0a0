from django.db import migrations, models

from fieldguide.core.roles import grant_role_permissions


def grant_roles(apps, schema_editor):
    """The editorial roles' rights on this app's models (see fieldguide/core/roles.py)."""
    grant_role_permissions(apps, "library")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_creator_name_parts_publisher_site"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterField(
            model_name="resource",
            name="key",
            field=models.SlugField(
                blank=True,
                help_text=(
                    "A short stable identifier, used in links and content bundles. "
                    "Leave empty to make one from the title."
                ),
                max_length=120,
                unique=True,
            ),
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
