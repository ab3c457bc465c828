"""Centre programmes, sessions, applications, attendance, certificates, lab visits."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedTextField
from nanum.core.models import BilingualName, Organisation, Tenant


def _bilingual(ko: str, en: str) -> str:
    if (get_language() or "ko").startswith("en") and en:
        return en
    return ko


class Programme(BilingualName):
    class Kind(models.TextChoices):
        MATH_UP = "math_up", _("Math UP basic-skills class")
        EUREKA = "eureka", _("Eureka maths·science academy")
        CAMP = "camp", _("Seasonal camp")
        METAVERSE = "metaverse", _("Metaverse 3D design class")
        FAMILY = "family", _("Family maths class")
        FESTIVAL = "festival", _("Festival")
        TEACHER_TRAINING = "teacher_training", _("Teacher training")
        AI = "ai", _("AI programme with Seoul National University")
        LAB_VISIT = "lab_visit", _("Open-lab visit")
        RESIDENTIAL = "residential", _("Residential programme (overnight stay)")

    class Audience(models.TextChoices):
        STUDENTS = "students", _("Students")
        TEACHERS = "teachers", _("Teachers")
        FAMILIES = "families", _("Families")

    class Selection(models.TextChoices):
        FCFS = "fcfs", _("First come, first served")
        LOTTERY = "lottery", _("Lottery after the application period")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organiser"),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, db_index=True
    )
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    grade_min = models.PositiveSmallIntegerField(
        _("lowest grade"), null=True, blank=True
    )
    grade_max = models.PositiveSmallIntegerField(
        _("highest grade"), null=True, blank=True
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    apply_opens_at = models.DateTimeField(_("applications open"))
    apply_closes_at = models.DateTimeField(_("applications close"))
    selection = models.CharField(
        _("selection"), max_length=10, choices=Selection.choices, default=Selection.FCFS
    )
    priority_share = models.DecimalField(
        _("share reserved for priority applicants"),
        max_digits=3,
        decimal_places=2,
        default=0,
        help_text=_("0.30 reserves 30 percent of the places in a lottery."),
    )
    priority_need_index = models.DecimalField(
        _("district need index that gives priority"),
        max_digits=4,
        decimal_places=3,
        default="0.600",
    )
    lottery_seed = models.BigIntegerField(_("lottery seed"), editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    draw_digest = models.CharField(max_length=64, blank=True)
    completion_percent = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"), default=80
    )
    hours = models.DecimalField(
        _("training hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a waiting-list offer"), default=48
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["apply_closes_at", "pk"]
        indexes = [models.Index(fields=["status", "apply_closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(apply_closes_at__gt=F("apply_opens_at")),
                name="programme_period_order",
            ),
            models.CheckConstraint(
                condition=Q(priority_share__gte=0) & Q(priority_share__lte=1),
                name="programme_share_0_1",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="programme_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(completion_percent__gte=1) & Q(completion_percent__lte=100),
                name="programme_completion_1_100",
            ),
            models.CheckConstraint(
                condition=Q(grade_min__isnull=True)
                | Q(grade_max__isnull=True)
                | Q(grade_max__gte=F("grade_min")),
                name="programme_grade_order",
            ),
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    @property
    def description(self) -> str:
        return _bilingual(self.description_ko, self.description_en)

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.apply_opens_at <= now < self.apply_closes_at
        )


class Session(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    instructor = models.CharField(_("instructor"), max_length=100, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_time_order"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="session_place_or_online",
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.programme} · {self.starts_at:%Y-%m-%d %H:%M}"


class Child(models.Model):
    """A guardian's child who is not (yet) a platform user: minimal, encrypted name."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_children",
    )
    name = EncryptedTextField(_("child's name"))
    grade = models.PositiveSmallIntegerField(_("school grade (1–12)"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    class Route(models.TextChoices):
        SELF = "self", _("Applied themselves")
        GUARDIAN = "guardian", _("Applied by a guardian")
        NOMINATION = "nomination", _("Nominated by a teacher")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the draw")
        SELECTED = "selected", _("Selected")
        OFFERED = "offered", _("Offered a place: please confirm")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Via(models.TextChoices):
        NONE = "", _("—")
        FCFS = "fcfs", _("in order of application")
        PRIORITY = "priority", _("in the places reserved for priority applicants")
        GENERAL = "general", _("in the general draw")
        WAITLIST = "waitlist", _("from the waiting list")

    HOLDS_PLACE = (Status.SELECTED, Status.OFFERED)
    ACTIVE = (Status.SUBMITTED, Status.SELECTED, Status.OFFERED, Status.WAITLISTED)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="applications"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_applications",
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    route = models.CharField(max_length=12, choices=Route.choices, default=Route.SELF)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    via = models.CharField(max_length=10, choices=Via.choices, blank=True, default="")
    priority = models.BooleanField(default=False)
    # Minimal sensitive data: who declared vulnerability and when, never the category.
    vulnerability_declaration = EncryptedTextField(blank=True, default="")
    district_need = models.DecimalField(
        max_digits=4, decimal_places=3, null=True, blank=True
    )
    draw_rank = models.PositiveIntegerField(null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the applicant was told the draw's outcome (set with the notice, so a
    # repeated notify task tells no one twice).
    draw_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "participant"], name="one_application_per_person"
            ),
            models.UniqueConstraint(
                fields=["programme", "child"], name="one_application_per_child"
            ),
            models.CheckConstraint(
                condition=(Q(participant__isnull=False) & Q(child__isnull=True))
                | (Q(participant__isnull=True) & Q(child__isnull=False)),
                name="application_person_or_child",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    @property
    def person_name(self) -> str:
        if self.child is not None:
            return self.child.name
        return str(self.participant)

    def __str__(self) -> str:
        return f"{self.programme} · {self.person_name}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("QR check-in")
        STAFF = "staff", _("Marked by staff")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(default=True)
    method = models.CharField(max_length=6, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.application_id}"


class Certificate(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=20, unique=True)
    holder_name = models.CharField(max_length=100)
    attended = models.PositiveSmallIntegerField()
    total_sessions = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code


class SurveyResponse(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="survey"
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    content = models.PositiveSmallIntegerField(_("content and level"))
    instructor = models.PositiveSmallIntegerField(_("instructor"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(content__gte=1, content__lte=5)
                & Q(instructor__gte=1, instructor__lte=5),
                name="survey_scores_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"survey {self.application_id}"


class LabSlot(models.Model):
    """A time at an open lab that one class can book."""

    lab = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lab_slots",
        verbose_name=_("lab"),
    )
    room = models.CharField(_("room"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    instructor = models.CharField(_("instructor"), max_length=100, blank=True)
    max_students = models.PositiveSmallIntegerField(_("largest class"), default=30)
    equipment_note = models.CharField(_("equipment"), max_length=300, blank=True)
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="labslot_time_order"
            ),
            models.UniqueConstraint(
                fields=["lab", "room", "starts_at"], name="one_labslot_per_room_start"
            ),
        ]
        verbose_name = _("lab slot")
        verbose_name_plural = _("lab slots")

    def __str__(self) -> str:
        return f"{self.lab} · {self.room} · {self.starts_at:%Y-%m-%d %H:%M}"


class LabBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    slot = models.ForeignKey(LabSlot, on_delete=models.PROTECT, related_name="bookings")
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lab_bookings"
    )
    class_name = models.CharField(_("class"), max_length=60)
    students = models.PositiveSmallIntegerField(_("number of students"))
    note = models.CharField(_("note for the lab"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="one_booking_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(students__gte=1), name="labbooking_students"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.class_name}"


from .residential import (  # noqa: E402  (the residential models use the ones above)
    EmergencyContact,
    GuardianConsent,
    ResidentialStay,
    Room,
    RoomAssignment,
)

__all__ = [
    "Application",
    "Attendance",
    "Certificate",
    "Child",
    "EmergencyContact",
    "GuardianConsent",
    "LabBooking",
    "LabSlot",
    "Programme",
    "ResidentialStay",
    "Room",
    "RoomAssignment",
    "Session",
    "SurveyResponse",
]
