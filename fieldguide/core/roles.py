"""The editorial roles a fresh site starts with, and what each may do.

Three groups, created (or, for Wagtail's own Editors and Moderators, extended) by data
migrations: each app's migration grants the permissions on its own models, from the
one table below, so the layers stay as they are and a role's rights are read in one
place.

- **Editors** write and submit for moderation: pages (add, change), the Library, the
  Glossary, the freshness dashboard ("Mark as reviewed").
- **Moderators** do what Editors do, and publish, answer Messages, moderate reader
  suggestions and act on link health (Editors may only look at it).
- **Coders** code the policy atlas: policy records, their CSV import, source checks,
  releases and second codings.
"""

from __future__ import annotations

EDITORS = "Editors"
MODERATORS = "Moderators"
CODERS = "Coders"

_EDITOR_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "library.add_resource",
    "library.change_resource",
    "library.view_resource",
    "library.add_creator",
    "library.change_creator",
    "library.delete_creator",
    "library.view_creator",
    "library.add_profile",
    "library.change_profile",
    "library.view_profile",
    "guide.add_glossaryterm",
    "guide.change_glossaryterm",
    "guide.view_glossaryterm",
    "editorial.view_sectionreview",
    "editorial.add_sectionreview",
    "linkhealth.view_link",
)

#: Model permissions of each role, as ``app_label.codename``.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: _EDITOR_PERMISSIONS,
    MODERATORS: _EDITOR_PERMISSIONS
    + (
        "library.delete_resource",
        "library.delete_profile",
        "guide.delete_glossaryterm",
        "guide.view_contactmessage",
        "guide.change_contactmessage",
        "guide.delete_contactmessage",
        "editorial.view_resourcesuggestion",
        "editorial.change_resourcesuggestion",
        "linkhealth.view_link",
        "linkhealth.change_link",
    ),
    CODERS: (
        "wagtailadmin.access_admin",
        "atlas.view_topic",
        "atlas.view_jurisdiction",
        "atlas.add_policyrecord",
        "atlas.change_policyrecord",
        "atlas.view_policyrecord",
        "atlas.add_policysource",
        "atlas.change_policysource",
        "atlas.delete_policysource",
        "atlas.view_policysource",
        "atlas.add_datasetrelease",
        "atlas.view_datasetrelease",
        "atlas.add_secondcoding",
        "atlas.view_secondcoding",
    ),
}

#: Wagtail page permissions on the whole page tree (every guide is under the root).
ROLE_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: ("add_page", "change_page"),
    MODERATORS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    CODERS: (),
}


def _ensure_permissions(apps) -> None:
    """Permissions are made after all migrations run; a data migration needs them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips an app whose models_module is unset (as it is on a
        # migration's historical apps); restore it afterwards, or a later flush would
        # skip recreating the real apps' content types.
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = saved or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = saved


def grant_role_permissions(apps, *app_labels: str) -> None:
    """Give each role its permissions on these apps' models (migration helper)."""
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label in app_labels:
            codenames = [n.split(".", 1)[1] for n in names if n.startswith(f"{app_label}.")]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def grant_page_permissions(apps) -> None:
    """Give each role its page permissions on the root page (migration helper)."""
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for role, codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def ensure_roles() -> None:
    """Create or complete every role now (after a database flush, e.g. in tests)."""
    from django.apps import apps

    grant_page_permissions(apps)
    grant_role_permissions(
        apps, "wagtailadmin", *{n.split(".")[0] for p in ROLE_PERMISSIONS.values() for n in p}
    )
