from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import DomainError, RateLimited
from .models import Tenant


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


class SignUpForm(forms.Form):
    """Create an account as a student (14+) or a guardian, in one town."""

    role = forms.ChoiceField(
        label=_("I am"),
        choices=[
            ("student", _("a student (14 or older)")),
            ("guardian", _("a guardian")),
        ],
        widget=forms.RadioSelect,
    )
    tenant: forms.ModelChoiceField[Tenant] = forms.ModelChoiceField(
        label=_("Town"),
        queryset=None,
        empty_label=None,
        help_text=_("The town whose programme you want to join."),
    )
    display_name = forms.CharField(label=_("Name"), max_length=100)
    birth_year = forms.IntegerField(
        label=_("Birth year"), min_value=1930, max_value=2030
    )
    username = forms.RegexField(
        label=_("Username"),
        max_length=40,
        min_length=4,
        regex=r"^[A-Za-z0-9._-]+$",
        error_messages={"invalid": _("Use letters, digits, '.', '_' or '-'.")},
    )
    email = forms.EmailField(label=_("E-mail"))
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tenant = cast("forms.ModelChoiceField[Tenant]", self.fields["tenant"])
        tenant.queryset = Tenant.objects.filter(status=Tenant.Status.ACTIVE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def add_domain_error(
    form: forms.BaseForm, exc: DomainError, *, with_summary: bool = False
) -> None:
    """Show a service's refusal on the form: each field error next to its field (on
    top when the form has no such field), and the refusal's message on top when no
    field error was placed — or, with ``with_summary``, for every refusal that is not
    plain invalid input (e.g. "no units free" next to the dates it concerns)."""
    placed = False
    for field, msgs in exc.field_errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, str(msg))
            placed = True
    if not placed or (with_summary and exc.code != "invalid_input"):
        form.add_error(None, str(exc.message))
