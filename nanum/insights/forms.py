"""Forms of the insights pages: dashboard filters, exports, consent, agreements."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Role, User

from .models import Dataset, Resource
from .selectors import DIMENSIONS, EquityFilters, EquityScope


class EquityFilterForm(forms.Form):
    resource = forms.ChoiceField(
        label=_("Resource"), required=False, choices=[("", _("All resources"))]
    )
    term = forms.ChoiceField(label=_("Term"), required=False)
    district_office = forms.ModelChoiceField(
        label=_("District office"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All district offices"),
    )
    school_level = forms.ChoiceField(label=_("School level"), required=False)
    by = forms.ChoiceField(label=_("Group by"), required=False)

    def __init__(self, *args: Any, scope: EquityScope, terms: list[str], **kw: Any):
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["resource"]).choices = [
            ("", _("All resources")),
            *Resource.choices,
        ]
        cast(forms.ChoiceField, self.fields["term"]).choices = [
            ("", _("All terms")),
            *[(t, t) for t in terms],
        ]
        offices = self.fields["district_office"]
        assert isinstance(offices, forms.ModelChoiceField)
        offices.queryset = scope.offices().order_by("name_ko")
        cast(forms.ChoiceField, self.fields["school_level"]).choices = [
            ("", _("All levels")),
            *Organisation.SchoolLevel.choices,
        ]
        cast(forms.ChoiceField, self.fields["by"]).choices = list(DIMENSIONS.items())

    def filters(self) -> EquityFilters:
        if not self.is_valid():
            return EquityFilters()
        d = self.cleaned_data
        office = d.get("district_office")
        return EquityFilters(
            resource=d.get("resource") or "",
            term=d.get("term") or "",
            district_office=office.pk if office is not None else None,
            school_level=d.get("school_level") or "",
            by=d.get("by") or "quintile",
        )


class NeedImportForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
    source = forms.CharField(
        label=_("Source of the figures"),
        max_length=200,
        required=False,
        help_text=_("For example: 학교알리미 2026 (school information disclosure)."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"), choices=Dataset.choices)
    fmt = forms.ChoiceField(
        label=_("File format"),
        choices=[("csv", "CSV"), ("parquet", "Parquet")],
        initial="csv",
        required=False,
        help_text=_("Parquet keeps the column types, for pandas, R or Spark."),
    )


class AggregateForm(forms.Form):
    dataset = forms.ChoiceField(
        label=_("Dataset"),
        choices=[
            (Dataset.INTERACTIONS.value, Dataset.INTERACTIONS.label),
            (Dataset.MASTERY.value, Dataset.MASTERY.label),
            (Dataset.PARTICIPATION.value, Dataset.PARTICIPATION.label),
        ],
    )
    by = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("birth_band", _("Birth-year band")),
            ("region", _("District or town")),
            ("school_level", _("School level")),
        ],
    )


class ConsentForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    consented = forms.TypedChoiceField(
        label=_("Research use of de-identified data"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("I consent")), ("no", _("I do not consent"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, members: list[User], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["member"].choices = [(m.pk, str(m)) for m in members]  # type: ignore[attr-defined]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project"), max_length=200)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE]
        ),
    )
    principal_investigator = forms.CharField(
        label=_("Principal investigator"), max_length=100
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea)
    irb_ref = forms.CharField(label=_("IRB reference"), max_length=60)
    starts_on = forms.DateField(
        label=_("Agreement starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Agreement ends"), widget=forms.DateInput(attrs={"type": "date"})
    )
    datasets = forms.MultipleChoiceField(
        label=_("Datasets"),
        choices=Dataset.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    researchers = forms.ModelMultipleChoiceField(
        label=_("Researchers"),
        queryset=User.objects.filter(
            role_assignments__role=Role.RESEARCHER, role_assignments__is_active=True
        ).distinct(),
        widget=forms.CheckboxSelectMultiple,
    )
    k = forms.IntegerField(label=_("Minimum group size (k)"), min_value=5, initial=5)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The agreement must end after it starts."))
        return data
