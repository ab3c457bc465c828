"""Forms: parse and label input; the rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Tenant, User

from .models import SERVICE_CHOICES, Category, PlanEntry, SchoolLevel, Status
from .services import ProgrammeInput, TownPage, TownRules


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


# --- Town self-service (the rules are checked in services.towns) -------------------


def _checkboxes(
    choices: Any, label: Any, initial: list[str]
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        initial=initial,
        widget=forms.CheckboxSelectMultiple,
    )


class TownRulesForm(forms.Form):
    """Eligibility, quotas and services as plain fields (no JSON). No bounds here:
    the service refuses contradictions with a message on the field."""

    min_age = forms.IntegerField(label=_("Minimum age"), initial=6)
    max_age = forms.IntegerField(label=_("Maximum age"), initial=24)
    school_levels = _checkboxes(
        SchoolLevel.choices,
        _("School levels accepted"),
        [SchoolLevel.ELEMENTARY, SchoolLevel.MIDDLE, SchoolLevel.HIGH],
    )
    categories = _checkboxes(
        Category.choices, _("Categories accepted"), list(Category.values)
    )
    income_line_pct = forms.IntegerField(
        label=_("Income line (percent of the median income)"), initial=60
    )
    residence_required = forms.BooleanField(
        label=_("Members must live in the town"), required=False, initial=True
    )
    services = _checkboxes(SERVICE_CHOICES, _("Services the town offers"), ["lectures"])
    quota_total = forms.IntegerField(
        label=_("Total places (empty: no limit)"), required=False
    )
    quota_elementary = forms.IntegerField(
        label=_("Places for elementary school"), required=False
    )
    quota_middle = forms.IntegerField(
        label=_("Places for middle school"), required=False
    )
    quota_high = forms.IntegerField(label=_("Places for high school"), required=False)
    quota_other = forms.IntegerField(
        label=_("Places for youth not in school"), required=False
    )
    min_monthly_minutes = forms.IntegerField(
        label=_("Minimum study minutes a month"), initial=0
    )
    is_open = forms.BooleanField(
        label=_("Accepting applications"), required=False, initial=True
    )

    def to_rules(self) -> TownRules:
        cd = self.cleaned_data
        return TownRules(
            min_age=cd["min_age"],
            max_age=cd["max_age"],
            school_levels=list(cd["school_levels"]),
            categories=list(cd["categories"]),
            income_line_pct=cd["income_line_pct"],
            residence_required=cd["residence_required"],
            services=list(cd["services"]),
            quota_total=cd["quota_total"],
            quota_elementary=cd["quota_elementary"],
            quota_middle=cd["quota_middle"],
            quota_high=cd["quota_high"],
            quota_other=cd["quota_other"],
            min_monthly_minutes=cd["min_monthly_minutes"],
            is_open=cd["is_open"],
        )


class TownPageForm(forms.Form):
    tagline_ko = forms.CharField(label=_("Tagline (Korean)"), required=False)
    tagline_en = forms.CharField(label=_("Tagline (English)"), required=False)
    page_text_ko = forms.CharField(
        label=_("Page text (Korean)"), required=False, widget=forms.Textarea
    )
    page_text_en = forms.CharField(
        label=_("Page text (English)"), required=False, widget=forms.Textarea
    )
    primary_colour = forms.CharField(
        label=_("Colour"),
        initial="#1f5fa8",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label=_("Logo (PNG, JPEG, WebP or SVG, at most 512 KB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.webp,.svg"}),
    )

    def to_page(self) -> TownPage:
        cd = self.cleaned_data
        return TownPage(
            tagline_ko=cd["tagline_ko"],
            tagline_en=cd["tagline_en"],
            page_text_ko=cd["page_text_ko"],
            page_text_en=cd["page_text_en"],
            primary_colour=cd["primary_colour"],
            logo=cd["logo"] or None,
        )


class SeatsForm(forms.Form):
    """One number per provider: this year's seats the town bought (0 or empty: none)."""

    def __init__(
        self,
        *args: Any,
        providers: Iterable[Organisation] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for p in providers:
            self.fields[f"seats_{p.pk}"] = forms.IntegerField(
                label=_("Seats at %(name)s") % {"name": p.name}, required=False
            )

    def to_seats(self) -> dict[int, int]:
        return {
            int(name.removeprefix("seats_")): value or 0
            for name, value in self.cleaned_data.items()
            if name.startswith("seats_")
        }


class TownCreateForm(TownPageForm, TownRulesForm):
    field_order = [
        "name_ko",
        "name_en",
        "slug",
        "kind",
        "programme_name_ko",
        "programme_name_en",
        "officer_username",
    ]
    name_ko = forms.CharField(label=_("Town name (Korean)"), required=False)
    name_en = forms.CharField(label=_("Town name (English)"), required=False)
    slug = forms.CharField(
        label=_("Address (letters, digits, hyphens)"),
        required=False,
        help_text=_("The town's page will be /learning/t/<address>/."),
    )
    kind = forms.ChoiceField(label=_("Kind of town"), choices=Tenant.Kind.choices)
    programme_name_ko = forms.CharField(
        label=_("Programme name (Korean)"), required=False
    )
    programme_name_en = forms.CharField(
        label=_("Programme name (English)"), required=False
    )
    officer_username = forms.CharField(
        label=_("First officer (username of an existing account)"), required=False
    )


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea)


class RewardProgrammeForm(forms.Form):
    title_ko = forms.CharField(label=_("Title (Korean)"), required=False)
    title_en = forms.CharField(label=_("Title (English)"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea
    )
    criteria = forms.CharField(
        label=_("Selection criteria"), required=False, widget=forms.Textarea
    )
    essay_prompt = forms.CharField(label=_("Essay question"), required=False)
    places = forms.IntegerField(label=_("Places"))
    min_mileage = forms.IntegerField(label=_("Minimum mileage"), initial=0)
    opens_on = forms.DateField(
        label=_("Applications open"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Applications close"), widget=forms.DateInput(attrs={"type": "date"})
    )
    involves_travel = forms.BooleanField(
        label=_("Involves travel (a guardian consents for minors)"), required=False
    )

    def to_input(self) -> ProgrammeInput:
        cd = self.cleaned_data
        return ProgrammeInput(
            title_ko=cd["title_ko"],
            title_en=cd["title_en"],
            description=cd["description"],
            criteria=cd["criteria"],
            essay_prompt=cd["essay_prompt"],
            places=cd["places"],
            min_mileage=cd["min_mileage"],
            opens_on=cd["opens_on"],
            closes_on=cd["closes_on"],
            involves_travel=cd["involves_travel"],
        )


class EssayForm(forms.Form):
    essay = forms.CharField(
        label=_("Your essay"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 2000}),
        help_text=_("30 to 2000 characters."),
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
