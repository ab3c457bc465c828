"""The town providers page's form: parse and label input; the rules (a name, an
https:// sign-in address, a telephone number, seats from 0) are checked in
services.town_providers so the page and the API refuse the same things."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services import ProviderInput
from ..services.town_providers import SEATS_MAX


class ProviderForm(forms.Form):
    name_ko = forms.CharField(label=_("Name (Korean)"), required=False)
    name_en = forms.CharField(label=_("Name (English)"), required=False)
    launch_url = forms.CharField(
        label=_("Sign-in address for students"),
        required=False,
        help_text=_("Where Nanum sends a member with a seat, starting with https://."),
        widget=forms.URLInput,
    )
    phone = forms.CharField(label=_("Contact telephone"), required=False)
    seats = forms.IntegerField(
        label=_("Seats this year"),
        required=False,
        min_value=0,
        max_value=SEATS_MAX,
        help_text=_("Leave empty to keep this year's seats as they are."),
    )

    def to_input(self) -> ProviderInput:
        # The fields are ProviderInput's, by name (as the API's TownProviderIn).
        return ProviderInput(**self.cleaned_data)


class ProviderStaffForm(forms.Form):
    """A staff account for the provider: a name and a username, no e-mail address.
    The rules (a name, a free username) are checked in services.town_providers."""

    name = forms.CharField(label=_("Staff member's name"), required=False)
    username = forms.CharField(
        label=_("Username for signing in"),
        required=False,
        help_text=_("4 to 30 lowercase letters, digits, dots, dashes or underscores."),
    )


class ProviderSecretForm(forms.Form):
    """Show the hand-off secret (once) or make a new one (after a confirmation)."""

    new = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "I understand that the old secret stops working at once and that the "
            "provider needs the new one."
        ),
        required=False,
    )

    def clean(self) -> dict[str, object]:
        cd = super().clean() or {}
        if cd.get("new") and not cd.get("confirm"):
            self.add_error(
                "confirm",
                _("Tick the box to confirm that the old secret may stop working."),
            )
        return cd


class StaffDeactivateForm(forms.Form):
    """Deactivate a staff account, after a confirmation."""

    confirm = forms.BooleanField(
        label=_(
            "I understand that this account can no longer sign in and that its API "
            "tokens stop working at once."
        ),
        required=False,
    )

    def clean(self) -> dict[str, object]:
        cd = super().clean() or {}
        if not cd.get("confirm"):
            self.add_error(
                "confirm",
                _("Tick the box to confirm that the account may stop working."),
            )
        return cd
