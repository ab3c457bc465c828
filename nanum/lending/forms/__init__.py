"""Forms of the K-STEM Bank pages: parse input only; the rules live in services."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation

from ..models import Asset, Category, EquipmentModel, Reservation

DATE = forms.DateInput(attrs={"type": "date"})
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def _choices(form: forms.Form, name: str, qs: QuerySet[Organisation]) -> None:
    """Limit a ModelChoiceField to the organisations the actor may choose."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = qs


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All")), *list(Category.choices)],
    )
    grade = forms.IntegerField(
        label=_("Grade"), required=False, min_value=1, max_value=12
    )
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)
    quantity = forms.IntegerField(
        label=_("Units"), min_value=1, max_value=500, initial=1
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            _choices(self, "school", schools)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must not be before the first day."))
        if start and end and (end - start).days > 366:
            self.add_error("end", _("Search at most one year at a time."))
        return data


class ReserveForm(forms.Form):
    equipment = forms.IntegerField(widget=forms.HiddenInput)
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Organisation.objects.none())
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none()
    )
    quantity = forms.IntegerField(
        label=_("Units"), min_value=1, max_value=500, initial=1
    )
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), widget=DATE)
    fulfilment = forms.ChoiceField(
        label=_("Pickup or delivery"),
        choices=Reservation.Fulfilment.choices,
        initial=Reservation.Fulfilment.PICKUP,
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    waitlist = forms.BooleanField(
        label=_("Put me on the waitlist if none are free"), required=False
    )

    def __init__(
        self,
        *args: Any,
        banks: QuerySet[Organisation],
        schools: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "bank", banks)
        _choices(self, "school", schools)


class ClassRequestForm(forms.Form):
    """A class set: N units of one model, filled from the nearest banks."""

    equipment = forms.IntegerField(widget=forms.HiddenInput)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none()
    )
    quantity = forms.IntegerField(
        label=_("Units"), min_value=1, max_value=500, initial=1
    )
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), widget=DATE)
    fulfilment = forms.ChoiceField(
        label=_("Pickup or delivery"),
        choices=Reservation.Fulfilment.choices,
        initial=Reservation.Fulfilment.PICKUP,
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    EXTRA_ROWS = 3  # other models of the same request (a basket)

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[Organisation],
        models: QuerySet[EquipmentModel] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "school", schools)
        for i in range(1, self.EXTRA_ROWS + 1):
            self.fields[f"also_{i}"] = forms.ModelChoiceField(
                label=_("Another model (optional) %(n)s") % {"n": i},
                queryset=models
                if models is not None
                else EquipmentModel.objects.none(),
                required=False,
            )
            self.fields[f"also_qty_{i}"] = forms.IntegerField(
                label=_("Units of that model"),
                min_value=1,
                max_value=500,
                required=False,
            )

    def basket(self) -> list[tuple[int, int]]:
        """The other models asked for: (model id, units), rows left empty skipped."""
        out = []
        for i in range(1, self.EXTRA_ROWS + 1):
            m = self.cleaned_data.get(f"also_{i}")
            n = self.cleaned_data.get(f"also_qty_{i}")
            if m is not None:
                out.append((m.pk, n or 1))
        return out


class ChangeForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), widget=DATE)


class ClassRequestChangeForm(ChangeForm):
    """New dates and units per model (one field per model of the request)."""

    def __init__(self, *args: Any, models: list[tuple[int, str, int]], **kw: Any):
        super().__init__(*args, **kw)
        for model_id, name, units in models:
            self.fields[f"qty_{model_id}"] = forms.IntegerField(
                label=_("Units of %(model)s") % {"model": name},
                min_value=1,
                max_value=500,
                initial=units,
            )

    def quantities(self) -> dict[int, int]:
        return {
            int(k.removeprefix("qty_")): v
            for k, v in self.cleaned_data.items()
            if k.startswith("qty_")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckoutForm(forms.Form):
    tag_codes = forms.CharField(
        label=_("Tag codes"),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Scan or type one tag code per line."),
    )

    def __init__(
        self, *args: Any, consumables: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.consumable_ids: list[int] = []
        for c in consumables or []:
            self.fields[f"consumable_{c.pk}"] = forms.IntegerField(
                label=_("%(name)s to hand out (%(stock)s %(unit)s in stock)")
                % {"name": c.name, "stock": c.stock, "unit": c.unit},
                required=False,
                min_value=0,
                max_value=c.stock,
            )
            self.consumable_ids.append(c.pk)

    def consumables(self) -> dict[int, int]:
        out = {}
        for pk in self.consumable_ids:
            n = self.cleaned_data.get(f"consumable_{pk}") or 0
            if n:
                out[pk] = n
        return out

    def codes(self) -> list[str]:
        return [
            c
            for c in self.cleaned_data["tag_codes"].replace(",", "\n").splitlines()
            if c.strip()
        ]


class CheckinForm(forms.Form):
    """One fieldset per unit out on the reservation."""

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tags = tags
        for i, tag in enumerate(tags):
            self.fields[f"return_{i}"] = forms.BooleanField(
                label=_("%(tag)s is back") % {"tag": tag}, required=False, initial=True
            )
            self.fields[f"parts_{i}"] = forms.BooleanField(
                label=_("All parts present"), required=False, initial=True
            )
            self.fields[f"condition_{i}"] = forms.ChoiceField(
                label=_("Condition"),
                choices=Asset.Condition.choices,
                initial=Asset.Condition.GOOD,
            )
            self.fields[f"missing_{i}"] = forms.CharField(
                label=_("Missing parts"), required=False, max_length=1000
            )
            self.fields[f"notes_{i}"] = forms.CharField(
                label=_("Damage notes"), required=False, max_length=2000
            )
            self.fields[f"photo_{i}"] = forms.ImageField(
                label=_("Photo (optional)"), required=False
            )

    def clean(self) -> dict[str, Any]:
        """A damaged unit needs a description; an incomplete one, its missing parts."""
        data = super().clean() or {}
        for i, _tag in enumerate(self.tags):
            if not data.get(f"return_{i}"):
                continue
            notes = (data.get(f"notes_{i}") or "").strip()
            missing = (data.get(f"missing_{i}") or "").strip()
            if data.get(f"condition_{i}") == Asset.Condition.DAMAGED and not notes:
                self.add_error(f"notes_{i}", _("Describe the damage."))
            elif not data.get(f"parts_{i}", True) and not (notes or missing):
                self.add_error(f"missing_{i}", _("Name the missing parts."))
            photo = data.get(f"photo_{i}")
            if photo and photo.size > PHOTO_MAX_BYTES:
                self.add_error(f"photo_{i}", _("The photo is larger than 10 MB."))
        return data

    def rows(self) -> list[tuple[str, list[Any]]]:
        names = ("return", "parts", "condition", "missing", "notes", "photo")
        return [
            (tag, [self[f"{p}_{i}"] for p in names]) for i, tag in enumerate(self.tags)
        ]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[("models", _("Equipment models")), ("assets", _("Assets"))],
    )
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class TicketForm(forms.Form):
    description = forms.CharField(
        label=_("Problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_back = forms.DateField(
        label=_("Expected back"), required=False, widget=DATE
    )


class TransferForm(forms.Form):
    to_org = forms.ModelChoiceField(
        label=_("Send to"), queryset=Organisation.objects.none()
    )
    rehome = forms.BooleanField(label=_("Make it the new home bank"), required=False)

    def __init__(self, *args: Any, orgs: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "to_org", orgs)


class RoundForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    window_start = forms.DateField(label=_("Booking window starts"), widget=DATE)
    window_end = forms.DateField(label=_("Booking window ends"), widget=DATE)
    collect_until = forms.DateTimeField(
        label=_("Requests close"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(
        self, *args: Any, banks: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "bank", banks)


class StaffSearchForm(forms.Form):
    """Staff's search across reservations; every field optional."""

    q = forms.CharField(
        label=_("Number, school or teacher"), required=False, max_length=100
    )
    tag = forms.CharField(label=_("Tag code"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *list(Reservation.Status.choices)],
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must not be before the first day."))
        return data


class _IdsField(forms.TypedMultipleChoiceField):
    """Reservation numbers ticked in a list; any number is accepted here (the service
    decides, row by row, which can be approved)."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and len(str(value)) < 12


class BulkApproveForm(forms.Form):
    reservations = _IdsField(
        label=_("Reservations"), coerce=int, widget=forms.CheckboxSelectMultiple
    )


class DayListForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("List"),
        choices=[("pick", _("Pick list")), ("delivery", _("Delivery list"))],
    )


class CatalogueForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All")), *list(Category.choices)],
    )


class CalendarForm(forms.Form):
    """Which month of free dates to show, and for how many units."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
    )
    quantity = forms.IntegerField(
        label=_("Units"),
        min_value=1,
        max_value=500,
        initial=1,
        error_messages={
            "min_value": _("Ask for at least one unit."),
            "max_value": _("Ask for at most 500 units."),
        },
    )

    def __init__(self, *args: Any, first: date, last: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first, self.last = first, last

    def clean_month(self) -> date:
        raw = self.cleaned_data["month"].strip()
        try:
            year, month = (int(x) for x in raw.split("-"))
            value = date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                _("Write the month as year-month, e.g. 2026-03.")
            ) from None
        if not self.first <= value <= self.last:
            raise forms.ValidationError(
                _("Choose a month from %(first)s to %(last)s.")
                % {
                    "first": self.first.strftime("%Y-%m"),
                    "last": self.last.strftime("%Y-%m"),
                }
            )
        return value
