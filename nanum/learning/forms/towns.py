"""Forms of town self-service and & Jump reward programmes: parse and label input;
the rules are checked in services.towns and services.jump."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Tenant

from ..models import SERVICE_CHOICES, Category, SchoolLevel
from ..services import ProgrammeInput, TownPage, TownRules

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
    logo_remove = forms.BooleanField(
        label=_("Remove the logo (the page shows the town's initial instead)"),
        required=False,
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
            logo_remove=bool(cd.get("logo_remove")),
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
    logo_remove = None  # type: ignore[assignment]  # a new town has no logo yet


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
