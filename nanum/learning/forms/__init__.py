"""Forms: parse and label input; the rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Tenant, User

from ..models import Category, PlanEntry, SchoolLevel, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class OpenChoiceField(forms.TypedChoiceField):
    """Offers the listed choices but leaves the rule to the service, which refuses
    anything else the same way for the page and the API (e.g. someone else's child
    is not found, another town's provider is not offered)."""

    def valid_value(self, value: Any) -> bool:
        return True


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label=_("Student's full name"), max_length=100)
    birth_year = forms.IntegerField(
        label=_("Student's birth year"), min_value=1990, max_value=2030
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    district = forms.CharField(
        label=_("District (구/군)"), max_length=60, required=False
    )
    lives_in_town = forms.BooleanField(
        label=_("The student lives in this town"), required=False
    )
    school_name = forms.CharField(label=_("School"), max_length=200, required=False)
    school_level = forms.ChoiceField(
        label=_("School level"), choices=SchoolLevel.choices
    )
    grade = forms.IntegerField(
        label=_("Grade"), min_value=1, max_value=6, required=False
    )
    category = forms.ChoiceField(
        label=_("Eligibility category"), choices=Category.choices
    )
    income_pct = forms.IntegerField(
        label=_("Household income (percent of median)"),
        min_value=0,
        max_value=500,
        required=False,
        help_text=_("Only for the income category. Your document must show it."),
    )
    family_status = forms.CharField(
        label=_("Family situation (optional)"), max_length=100, required=False
    )
    eligibility_documents = MultipleFileField(
        label=_("Proof of eligibility"),
        required=False,
        help_text=_(
            "PDF, JPG or PNG, up to 5 MB each. Not needed for basic livelihood "
            "or near-poor: an officer checks official records. Never upload a "
            "resident registration number: cover it first."
        ),
    )
    other_documents = MultipleFileField(
        label=_("Other documents (residence, school)"), required=False
    )
    relationship_documents = MultipleFileField(
        label=_("Family-relationship certificate (가족관계증명서)"),
        required=False,
        help_text=_(
            "Needed for a child under 14: it shows that you are the child's "
            "guardian. An officer cannot approve the application without it."
        ),
    )
    consent_collection = forms.BooleanField(
        label=_(
            "I agree that this information is collected and used to decide the "
            "application and run the programme."
        ),
        required=False,
    )
    guardian_consent = forms.BooleanField(
        label=_("As the legal guardian, I consent for my child (needed under 14)."),
        required=False,
    )
    student = OpenChoiceField(
        label=_("Who is applying"), required=False, coerce=int, empty_value=None
    )
    preferred_provider = OpenChoiceField(
        label=_("Preferred lecture site"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        children: list[User] | None = None,
        providers: list[Organisation] | None = None,
        categories: list[str] | None = None,
        levels: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Who is applying comes first: it decides whose details follow.
        self.order_fields(["student"])
        student = self.fields["student"]
        assert isinstance(student, forms.ChoiceField)  # declared above
        if children:
            student.choices = [(c.pk, str(c)) for c in children]
            student.required = True
        else:
            del self.fields["student"]
            del self.fields["guardian_consent"]
            del self.fields["relationship_documents"]
        # Only what the town accepts is offered (the service checks it again).
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)  # declared above
        if categories is not None:
            category.choices = [
                (v, lbl) for v, lbl in Category.choices if v in categories
            ]
        level = self.fields["school_level"]
        assert isinstance(level, forms.ChoiceField)  # declared above
        if levels is not None:
            level.choices = [
                (v, lbl)
                for v, lbl in SchoolLevel.choices
                if v in levels or v == SchoolLevel.OUT_OF_SCHOOL
            ]
        provider = self.fields["preferred_provider"]
        assert isinstance(provider, forms.ChoiceField)  # declared above
        provider.choices = [("", "---------")] + [
            (p.pk, str(p)) for p in providers or []
        ]
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"


class MoreDocumentsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the documents show"),
        choices=[
            ("eligibility", _("Proof of eligibility")),
            ("relationship", _("Family-relationship certificate")),
            ("other", _("Other (residence, school)")),
        ],
        initial="eligibility",
        required=False,
    )
    documents = MultipleFileField(label=_("Documents"), required=True)


class DecisionForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("more_info", _("Ask for more documents")),
        ("renew", _("Confirm renewal")),
        ("lift", _("Lift the usage restriction")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason the student will see"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    verified_on = forms.DateField(
        label=_("Verified against official records on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    verified_until = forms.DateField(
        label=_("Verification valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Status.choices],
    )
    level = forms.ChoiceField(
        label=_("School level"),
        required=False,
        choices=[("", _("All")), *SchoolLevel.choices],
    )
    district = forms.CharField(label=_("District"), required=False, max_length=60)
    town = forms.TypedChoiceField(
        label=_("Town"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, towns: Iterable[Tenant] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = self.fields["town"]
        assert isinstance(town, forms.ChoiceField)  # declared above
        town.choices = [("", _("All"))] + [(t.pk, str(t)) for t in towns]


class GoalForm(forms.Form):
    target_minutes = forms.IntegerField(
        label=_("Minutes a week"), min_value=10, max_value=5000
    )
    note = forms.CharField(label=_("My goal"), max_length=200, required=False)


class PlanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=PlanEntry.Weekday.choices, coerce=int
    )
    subject = forms.CharField(label=_("Subject"), max_length=60)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600)


class UsageUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Usage file (CSV: ref,date,minutes)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )


class LectureCatalogueForm(forms.Form):
    file = forms.FileField(
        label=_("Lecture catalogue (CSV or Excel)"),
        help_text=_("Header row: title, subject, level, grade, standards, url"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ChildForm(forms.Form):
    display_name = forms.CharField(label=_("Child's name"), max_length=100)
    birth_year = forms.IntegerField(
        label=_("Child's birth year"), min_value=2000, max_value=2030
    )


class ChildPasswordForm(forms.Form):
    username = forms.CharField(
        label=_("Username for your child"),
        max_length=30,
        help_text=_("4 to 30 lowercase letters, digits, dots, dashes or underscores."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )
    consent = forms.BooleanField(
        label=_("As the guardian, I consent that my child signs in on their own."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "pw_%s")  # shares a page with ChildCodeForm
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("password") and cd.get("password") != cd.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cd


class ChildCodeForm(forms.Form):
    consent = forms.BooleanField(
        label=_("As the guardian, I consent that my child signs in on their own."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "code_%s")  # shares a page with the password form
        super().__init__(*args, **kwargs)


class ChildCodeSignInForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code from your guardian"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


# Town self-service and & Jump forms live in their own module.
from .towns import (  # noqa: E402
    EssayForm,
    NoticeForm,
    RewardProgrammeForm,
    SeatsForm,
    TownCreateForm,
    TownPageForm,
    TownRulesForm,
)

__all__ = [
    "ApplicationForm",
    "ChildCodeForm",
    "ChildCodeSignInForm",
    "ChildForm",
    "ChildPasswordForm",
    "DecisionForm",
    "EssayForm",
    "GoalForm",
    "LectureCatalogueForm",
    "MoreDocumentsForm",
    "MultipleFileField",
    "MultipleFileInput",
    "NoticeForm",
    "OpenChoiceField",
    "PlanForm",
    "QueueFilterForm",
    "RewardProgrammeForm",
    "SeatsForm",
    "TownCreateForm",
    "TownPageForm",
    "TownRulesForm",
    "UsageUploadForm",
]
