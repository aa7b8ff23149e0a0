from django.conf import settings
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit
from wagtail.admin.views.account import LoginView


@method_decorator(
    ratelimit(key="ip", rate=lambda group, request: settings.LOGIN_RATE, method="POST", block=True),
    name="post",
)
class RateLimitedLoginView(LoginView):
    """Wagtail's sign-in, limited per address to slow down password guessing."""
