from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import RateLimited


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in that refuses further tries after repeated failures (any process)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. Both are case-sensitive."
        ),
        "throttled": _(
            "Too many failed sign-ins. Wait 15 minutes, or reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        ip = services.client_ip(self.request)
        try:
            services.login_check_allowed(username=username, ip=ip)
        except RateLimited:
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled"
            ) from None
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.login_record_failure(username=username, ip=ip)
            raise
        services.login_record_success(username=username)
        return cleaned


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=730, initial=365
    )
