from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import two_factor


@hooks.register("register_admin_urls")
def two_factor_urls() -> list:
    return [
        path("2fa/verify/", two_factor.verify, name="fieldguide_2fa_verify"),
        path("2fa/enrol/", two_factor.enrol, name="fieldguide_2fa_enrol"),
    ]


@hooks.register("register_admin_menu_item")
def two_factor_menu_item() -> MenuItem:
    return MenuItem(
        "Two-step sign-in", reverse("fieldguide_2fa_enrol"), icon_name="lock", order=10000
    )
