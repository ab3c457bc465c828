"""Applications to a town's programme, their documents, and the membership they give."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedJSONField, EncryptedTextField
from nanum.core.models import Organisation, Tenant

from .towns import SchoolLevel


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for review")
    MORE_INFO = "more_info", _("More documents needed")
    WAITING = "waiting", _("Approved, waiting for a place")
    APPROVED = "approved", _("Approved, member")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Ended")


LIVE_STATUSES = (Status.SUBMITTED, Status.MORE_INFO, Status.WAITING, Status.APPROVED)
REVIEWABLE = (Status.SUBMITTED, Status.MORE_INFO)


class Application(models.Model):
    """One person's application to one town; when approved with a place, a membership.

    Identity, contact, address and the eligibility category are personal data and are
    stored encrypted. No resident registration number is ever collected: an officer
    records that the category was verified against official records, and until when.
    """

    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="learning_applications"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("Who filled the form: the student or a guardian."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # Identity and contact (encrypted)
    full_name = EncryptedTextField(_("full name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    # Non-identifying facts used for rules and statistics
    district = models.CharField(_("district (구/군)"), max_length=60, blank=True)
    lives_in_town = models.BooleanField(_("lives in the town"), default=False)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "school"},
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    # High-risk data (encrypted): category, income share, family status
    category = EncryptedTextField(_("eligibility category"))
    sensitive = EncryptedJSONField(
        _("income and family details"), null=True, blank=True
    )
    priority_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    # Consents
    consent_collection = models.BooleanField(
        _("consent to collection and use"), default=False
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    guardian_consent_at = models.DateTimeField(null=True, blank=True)
    # Review
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_until = models.DateField(_("verified until"), null=True, blank=True)
    # Membership
    approved_at = models.DateTimeField(null=True, blank=True)
    place_since = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(_("member until"), null=True, blank=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)
    renewal_requested_at = models.DateTimeField(null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    preferred_provider = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "provider"},
    )
    seat_wait_since = models.DateTimeField(null=True, blank=True)
    usage_warned_at = models.DateTimeField(null=True, blank=True)
    restricted_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the retention period passed: identity, contacts, documents and "
            "income/family data were erased; the row stays for statistics."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "student"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_application_per_town",
            ),
            models.CheckConstraint(
                condition=Q(verified_until__isnull=True)
                | Q(verified_until__gte=models.F("verified_on")),
                name="application_verified_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "priority_rank", "submitted_at"]),
            models.Index(fields=["tenant", "status", "school_level"]),
            models.Index(fields=["student", "status"]),
            models.Index(fields=["status", "valid_until"]),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"#{self.pk} {self.tenant} {self.get_status_display()}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class Document(models.Model):
    """An uploaded proof, kept in private storage and served only to allowed staff."""

    class Kind(models.TextChoices):
        ELIGIBILITY = "eligibility", _("Proof of eligibility")
        RESIDENCE = "residence", _("Proof of residence")
        SCHOOL = "school", _("Proof of school")
        RELATIONSHIP = "relationship", _("Family-relationship certificate")
        OTHER = "other", _("Other")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="learning/documents/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField(default=1)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name})"


class GuardianLink(models.Model):
    """A legal guardian and the child they may apply and consent for."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_children",
    )
    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_guardians",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "child"], name="one_guardian_link"
            )
        ]
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"


class ChildSignIn(models.Model):
    """The guardian's consent that a child under 14 signs in on their own.

    Either the guardian chose a username and password for the child (the password
    itself lives on the account, hashed), or a one-time code: only its SHA-256 is kept,
    it expires and works once. No e-mail address is ever asked for.
    """

    class Method(models.TextChoices):
        PASSWORD = "password", _("Username and password")
        CODE = "code", _("One-time code")

    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_sign_ins",
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    consent_at = models.DateTimeField(_("guardian consent given"))
    code_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("child sign-in")
        verbose_name_plural = _("child sign-ins")

    def __str__(self) -> str:
        return f"{self.child} ({self.get_method_display()})"
