"""Forms of the mentoring pages: parse input only; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from nanum.core.models import District, Organisation

from .models import CounsellingSlot, Gender, Level, MentorDocument, Mode, Subject
from .services import hour_label

# Practical hours offered on the forms (08:00–22:00 every day); the API takes any.
HOUR_CHOICES = [(d * 24 + h, "") for d in range(7) for h in range(8, 23)]


def hour_choices() -> list[tuple[int, str]]:
    return [(h, hour_label(h)) for h, _label in HOUR_CHOICES]


class HoursField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, choices=hour_choices, **kwargs)


class MentorApplyForm(forms.Form):
    university = forms.ModelChoiceField(
        label=_("University"), queryset=Organisation.objects.filter(kind="university")
    )
    major = forms.CharField(label=_("Major"), max_length=100)
    year = forms.IntegerField(label=_("Year of study"), min_value=1, max_value=8)
    subjects = forms.MultipleChoiceField(
        label=_("Subjects you can teach"),
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.MultipleChoiceField(
        label=_("School levels you can teach"),
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = HoursField(
        label=_("Hours you are free every week"),
        help_text=_("Each box is one hour starting at that time."),
    )
    mode = forms.ChoiceField(label=_("How you can meet"), choices=Mode.choices)
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts you can reach in person"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=Gender.choices, required=False
    )
    capacity = forms.IntegerField(
        label=_("Mentees at most"), min_value=1, max_value=10, initial=4
    )

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = cast(forms.ModelMultipleChoiceField, self.fields["districts"])
        districts.queryset = District.objects.filter(tenant_id=tenant_id)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=MentorDocument.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPG or PNG, at most 5 MB)"))


class SurveyForm(forms.Form):
    subjects = forms.MultipleChoiceField(
        label=_("Subjects you want help with (the first one matters most)"),
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(label=_("Your school level"), choices=Level.choices)
    availability = HoursField(label=_("Hours you are free every week"))
    mode = forms.ChoiceField(label=_("How you want to meet"), choices=Mode.choices)
    district = forms.ModelChoiceField(
        label=_("Your district (to meet in person)"),
        queryset=District.objects.none(),
        required=False,
    )
    place = forms.CharField(
        label=_("Preferred place (library, centre...)"), required=False, max_length=200
    )
    mentor_gender = forms.ChoiceField(
        label=_("Mentor gender preference"),
        choices=[("", _("No preference")), *Gender.choices[1:]],
        required=False,
    )
    university = forms.ModelChoiceField(
        label=_("Preferred university (optional)"),
        required=False,
        queryset=Organisation.objects.filter(kind="university"),
    )
    wants_taster = forms.BooleanField(
        label=_("Start with a taster (3 sessions)"), required=False
    )
    notes = forms.CharField(
        label=_("Anything else the staff should know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = cast(forms.ModelChoiceField, self.fields["district"])
        district.queryset = District.objects.filter(tenant_id=tenant_id)


class ScreenForm(forms.Form):
    identity = forms.BooleanField(label=_("Identity checked"), required=False)
    enrolment = forms.BooleanField(
        label=_("Enrolment certificate checked"), required=False
    )
    record_check = forms.BooleanField(
        label=_("Criminal record check done"), required=False
    )
    training_completed_on = forms.DateField(
        label=_("Required training completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class TermForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportForm(forms.Form):
    topics = forms.CharField(
        label=_("Topics covered"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quiz_title = forms.CharField(label=_("Weekly quiz"), max_length=200, required=False)
    quiz_score = forms.IntegerField(
        label=_("Quiz result (%)"), min_value=0, max_value=100, required=False
    )
    learning_report = forms.CharField(
        label=_("Learning report"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    concerns = forms.CharField(
        label=_("Concerns (seen by staff only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How was the session?"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProblemForm(forms.Form):
    body = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SecondSessionForm(forms.Form):
    hour_of_week = forms.TypedChoiceField(
        label=_("Second weekly session"), coerce=int, choices=hour_choices
    )


class HoursForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}),
    )


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=20, max_value=120, initial=50
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=CounsellingSlot.Topic.choices)
    online_link = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https"
    )


class BookingForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"), choices=CounsellingSlot.Topic.choices[:2]
    )
    question = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Counselling notes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
