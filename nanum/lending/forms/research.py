"""Forms of research equipment from ZEUS: a teacher's request, the owner's decision,
an idle-equipment list and the central bank's conditions of use of an item."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation

from ..models import ResearchItem, ResearchRequest, ResearchVisitSlot
from . import DATE, _choices


class ResearchRequestForm(forms.Form):
    """A teacher's request for a research item from ZEUS."""

    mode = forms.ChoiceField(
        label=_("Kind of use"),
        choices=ResearchRequest.Mode.choices,
        widget=forms.RadioSelect,
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none()
    )
    bank = forms.ModelChoiceField(
        label=_("Pickup and return bank"), queryset=Organisation.objects.none()
    )
    start_date = forms.DateField(label=_("From (loans)"), widget=DATE, required=False)
    end_date = forms.DateField(label=_("Until (loans)"), widget=DATE, required=False)
    slot = forms.TypedChoiceField(
        label=_("Visit slot (visits)"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    pupils = forms.IntegerField(
        label=_("Pupils (visits)"), min_value=0, max_value=500, initial=0
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[Organisation],
        banks: QuerySet[Organisation],
        slots: list[ResearchVisitSlot] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "school", schools)
        _choices(self, "bank", banks)
        field = cast(forms.TypedChoiceField, self.fields["slot"])
        field.choices = [(s.pk, slot_label(s)) for s in slots or ()]
        if not slots:
            field.help_text = _("No free visit slot is offered at the moment.")


def slot_label(s: ResearchVisitSlot) -> str:
    """ "Mon, 14 December 2026, 10:00–12:00 (up to 30 pupils)" in the active language."""
    return str(
        _("%(date)s, %(start)s–%(end)s (up to %(n)s pupils)")
        % {
            "date": formats.date_format(s.date, "DATE_FORMAT"),
            "start": f"{s.start_time:%H:%M}",
            "end": f"{s.end_time:%H:%M}",
            "n": s.max_pupils,
        }
    )


class ResearchSlotForm(forms.Form):
    """A visit slot the central bank publishes (Seoul time)."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    max_pupils = forms.IntegerField(
        label=_("Maximum pupils"), min_value=1, max_value=200, initial=30
    )


class OwnerDecisionForm(forms.Form):
    """The owner institution's contact approves or declines (no account)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=100)
    reason = forms.CharField(
        label=_("Message to the school (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ZeusListForm(forms.Form):
    file = forms.FileField(label=_("Idle-equipment list (.xlsx or .csv)"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class ResearchConditionsForm(forms.Form):
    """The conditions of use the central bank sets on an item (kept through syncs)."""

    lending = forms.ChoiceField(
        label=_("conditions of use"),
        choices=ResearchItem.Lending.choices,
        widget=forms.RadioSelect,
    )
    training_required = forms.BooleanField(label=_("training required"), required=False)
    insurance_required = forms.BooleanField(
        label=_("insurance required"), required=False
    )
    operator_needed = forms.BooleanField(label=_("operator needed"), required=False)
    contact_name = forms.CharField(
        label=_("contact person"), max_length=100, required=False
    )
    contact_email = forms.EmailField(
        label=_("contact e-mail"), max_length=254, required=False
    )
    contact_phone = forms.CharField(
        label=_("contact telephone"), max_length=40, required=False
    )
    note = forms.CharField(
        label=_("notes on the conditions of use"),
        help_text=_("Shown to teachers on the item's page."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
