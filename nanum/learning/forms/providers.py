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
        cd = self.cleaned_data
        return ProviderInput(
            name_ko=cd["name_ko"],
            name_en=cd["name_en"],
            launch_url=cd["launch_url"],
            phone=cd["phone"],
            seats=cd["seats"],
        )
