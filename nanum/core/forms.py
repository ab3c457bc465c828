from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import DomainError
from .models import Channel, Tenant


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in; django-axes refuses a (name, address) pair after repeated failures
    (``nanum.core.services.signin``), and this form says so with the wait left."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. Both are case-sensitive."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            if self.request is not None and getattr(
                self.request, "axes_locked_out", False
            ):
                raise forms.ValidationError(
                    signin_refused_message(self.request), code="throttled"
                ) from None
            raise


def signin_refused_message(request: HttpRequest) -> str:
    """The refusal with the wait left ("try again in N minutes"), in the user's
    language."""
    minutes = services.login_wait_minutes(request, None)
    return ngettext(
        "Too many failed sign-ins to this account from here. Try again in "
        "%(minutes)d minute, or reset your password.",
        "Too many failed sign-ins to this account from here. Try again in "
        "%(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


class QueuedPasswordResetForm(PasswordResetForm):
    """Asks for a reset link; the e-mail is looked up and sent by a background task, so
    a known and an unknown address take the same work and get the same answer."""

    def save(
        self,
        domain_override: str | None = None,
        subject_template_name: str = "",
        email_template_name: str = "",
        use_https: bool = False,
        token_generator: Any = None,
        from_email: str | None = None,
        request: HttpRequest | None = None,
        html_email_template_name: str | None = None,
        extra_email_context: dict[str, Any] | None = None,
    ) -> None:
        # The link is on the public site (NANUM_SITE_URL), never on the Host header.
        site = urlsplit(settings.NANUM_SITE_URL)
        services.password_reset_request(
            email=self.cleaned_data["email"],
            domain=domain_override or site.netloc,
            use_https=site.scheme == "https" if site.netloc else use_https,
            language=get_language() or settings.LANGUAGE_CODE,
        )


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


# --- Notification channels and sign-up by phone (services.channels) ----------------


class ChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Tell me by"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In the app is always on."),
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class PhoneCodeForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class PhoneSignUpForm(SignUpForm):
    """Sign up with a mobile number and its code instead of an e-mail address."""

    field_order = ["phone", "code"]
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]

    def signup(self) -> services.PhoneSignUp:
        """The valid form's input for ``services.user_register_by_phone`` (the page
        and the API's ``POST /signup/phone`` both send it)."""
        cd = self.cleaned_data
        return services.PhoneSignUp(
            phone=cd["phone"],
            code=cd["code"],
            username=cd["username"],
            display_name=cd["display_name"],
            password=cd["password1"],
            birth_year=cd["birth_year"],
            role=cd["role"],
            tenant=cd["tenant"],
            language=get_language() or "",
        )
