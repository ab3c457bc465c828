"""Forms: parse and label input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Tenant, User

from . import services
from .models import Child, Programme, Room


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *Programme.Kind.choices],
    )
    audience = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone")), *Programme.Audience.choices],
    )
    grade = forms.IntegerField(
        label=_("School grade (1–12)"), required=False, min_value=1, max_value=12
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisers"),
    )
    town = forms.ModelChoiceField(
        label=_("Town"),
        required=False,
        queryset=Tenant.objects.none(),
        to_field_name="slug",
        empty_label=_("All towns"),
    )
    open_only = forms.BooleanField(label=_("Open for applications now"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = cast(forms.ModelChoiceField, self.fields["town"])
        # every town on the platform: a town without programmes yet lists none
        town.queryset = (
            Tenant.objects.exclude(status=Tenant.Status.ENDED)
            .only("pk", "slug", "name_ko", "name_en")
            .order_by("name_ko")
        )
        organiser = cast(forms.ModelChoiceField, self.fields["organiser"])
        organiser.queryset = (
            Organisation.objects.filter(programmes__status=Programme.Status.PUBLISHED)
            .distinct()
            .order_by("name_ko")
        )


class ApplyForm(forms.Form):
    child = forms.TypedChoiceField(
        label=_("Who will take part"), required=False, coerce=int, empty_value=None
    )
    declare_priority = forms.BooleanField(
        label=_("I declare that this participant is eligible for priority places"),
        help_text=_(
            "For students from households receiving basic livelihood or near-poor support, "
            "single-parent, multicultural or defector families, and similar. We record only "
            "that you declared it; staff may ask for a document."
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, children: list[Child] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if children:
            child = cast(forms.TypedChoiceField, self.fields["child"])
            child.choices = [(c.pk, f"{c.name} ({c.grade})") for c in children]
            child.required = True
        else:
            del self.fields["child"]


class ChildForm(forms.Form):
    name = forms.CharField(label=_("Child's name"), max_length=50)
    grade = forms.IntegerField(
        label=_("School grade (1–12)"),
        min_value=1,
        max_value=12,
        help_text=_("Elementary 1–6, middle 7–9, high 10–12."),
    )


class NominateForm(forms.Form):
    students = forms.TypedMultipleChoiceField(
        label=_("Students"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, students: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["students"])
        field.choices = [(s.pk, str(s)) for s in students]


DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


PROGRAMME_FIELDS = [
    "name_ko",
    "name_en",
    "kind",
    "description_ko",
    "description_en",
    "audience",
    "grade_min",
    "grade_max",
    "prerequisites",
    "capacity",
    "apply_opens_at",
    "apply_closes_at",
    "selection",
    "priority_share",
    "priority_need_index",
    "completion_percent",
    "hours",
    "offer_hours",
]


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "apply_opens_at": DT,
            "apply_closes_at": DT,
            "description_ko": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        organisers: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisers is not None:
            self.fields["organiser"] = forms.ModelChoiceField(
                label=_("Organiser"), queryset=organisers
            )
            self.order_fields(["organiser"])


def programme_input(cleaned: dict[str, Any]) -> services.ProgrammeInput:
    """The service's input from a valid ``ProgrammeForm``."""
    return services.ProgrammeInput(**{k: cleaned[k] for k in PROGRAMME_FIELDS})


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DT)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    instructor = forms.CharField(label=_("Instructor"), required=False, max_length=100)


class SurveyForm(forms.Form):
    SCORES = [(i, str(i)) for i in range(5, 0, -1)]
    overall = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you? (5 = very)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    content = forms.TypedChoiceField(
        label=_("Were the content and level right for you?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    instructor = forms.TypedChoiceField(
        label=_("How was the instructor?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LabSlotForm(forms.Form):
    lab = forms.ModelChoiceField(label=_("Lab"), queryset=Organisation.objects.none())
    room = forms.CharField(label=_("Room"), max_length=100)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DT)
    instructor = forms.CharField(label=_("Instructor"), required=False, max_length=100)
    max_students = forms.IntegerField(
        label=_("Largest class"), min_value=1, max_value=200, initial=30
    )
    equipment_note = forms.CharField(
        label=_("Equipment"),
        required=False,
        max_length=300,
        help_text=_("e.g. microscopes, 3D printer"),
    )

    def __init__(self, *args: Any, labs: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lab"]).queryset = labs


class LabBookForm(forms.Form):
    class_name = forms.CharField(
        label=_("Class"), max_length=60, help_text=_("e.g. 2-3")
    )
    students = forms.IntegerField(
        label=_("Number of students"), min_value=1, max_value=200
    )
    note = forms.CharField(label=_("Note for the lab"), required=False, max_length=300)


class ExportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("List"),
        choices=[
            ("participants", _("Participants")),
            ("attendance", _("Attendance")),
        ],
    )
    format = forms.ChoiceField(
        label=_("File"), choices=[("csv", "CSV"), ("xlsx", _("Excel"))]
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=120)
    body = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )


# --- Residential programmes (services.residential decides) ----------------------------


class StayForm(forms.Form):
    check_in = forms.DateField(
        label=_("Check-in day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    check_out = forms.DateField(
        label=_("Check-out day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Where the participants stay"), max_length=200)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=60)
    capacity = forms.IntegerField(label=_("Beds"), min_value=1, max_value=50)
    gender = forms.ChoiceField(label=_("For"), choices=Room.Gender.choices)


class EmergencyContactForm(forms.Form):
    name = forms.CharField(label=_("Contact's name"), max_length=60)
    relation = forms.CharField(
        label=_("Relation"), max_length=40, help_text=_("e.g. mother, grandfather")
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        help_text=_("e.g. 010-1234-5678"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
