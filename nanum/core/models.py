"""Organisations, tenants, users and roles, logs: the data every app stands on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """Korean first, English complete: every named thing carries both."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "ko").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ko

    def __str__(self) -> str:
        return self.name


class Tenant(BilingualName):
    """Seoul and every town that joins the platform (전국런)."""

    class Kind(models.TextChoices):
        METRO = "metro", _("Metropolitan city")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    slug = models.SlugField(_("path"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    programme_name_ko = models.CharField(_("programme name (Korean)"), max_length=100)
    programme_name_en = models.CharField(
        _("programme name (English)"), max_length=100, blank=True
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f5fa8"
    )
    is_home = models.BooleanField(
        _("home tenant"), default=False, help_text=_("The platform owner (Seoul).")
    )

    class Meta:
        ordering = ["-is_home", "name_ko"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="one_home_tenant"
            ),
            models.CheckConstraint(
                condition=Q(primary_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="tenant_colour_hex",
            ),
        ]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    @property
    def programme_name(self) -> str:
        if (get_language() or "ko").startswith("en") and self.programme_name_en:
            return self.programme_name_en
        return self.programme_name_ko


class Organisation(BilingualName):
    """Any body that acts on the platform: offices, schools, banks, centres, providers."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office of education")
        CITY_HALL = "city_hall", _("Local government")
        DISTRICT_OFFICE = "district_office", _("District office of education")
        SCHOOL = "school", _("School")
        BANK = "bank", _("Equipment bank")
        LENDING_POINT = "lending_point", _("Lending point")
        CENTRE = "centre", _("Education centre")
        INSTITUTE = "institute", _("Institute")
        UNIVERSITY = "university", _("University")
        PROVIDER = "provider", _("Content provider")

    class SchoolLevel(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary school")
        MIDDLE = "middle", _("Middle school")
        HIGH = "high", _("High school")
        SPECIAL = "special", _("Special school")

    class BankType(models.TextChoices):
        CENTRAL = "central", _("Central bank")
        SCIENCE_ADVANCED = "science_advanced", _("Advanced science equipment bank")
        AI_SW = "ai_sw", _("AI·SW teaching-aid bank")
        MATH_SCIENCE = "math_science", _("Maths·science teaching-aid bank")

    class PointType(models.TextChoices):
        SCIENCE_CENTRE = "science_centre", _("Science education centre")
        OPEN_LAB = "open_lab", _("Open lab of a science-focused school")
        MATH_SCIENCE_CENTRE = (
            "math_science_centre",
            _("Maths–science convergence centre"),
        )
        AI_SW_POINT = "ai_sw_point", _("AI·SW experience point")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, db_index=True
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("tenant"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    district = models.ForeignKey(
        "District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Schools
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices, blank=True
    )
    student_count = models.PositiveIntegerField(_("students"), null=True, blank=True)
    need_index = models.DecimalField(
        _("need index"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("0 = least need, 1 = greatest need (equity rules)."),
    )
    science_focused = models.BooleanField(_("science-focused school"), default=False)
    # Bank network
    bank_type = models.CharField(
        _("bank type"), max_length=20, choices=BankType.choices, blank=True
    )
    point_type = models.CharField(
        _("lending point type"), max_length=30, choices=PointType.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name_ko"]
        indexes = [models.Index(fields=["tenant", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(need_index__isnull=True)
                | (Q(need_index__gte=0) & Q(need_index__lte=1)),
                name="org_need_index_0_1",
            ),
            models.CheckConstraint(
                condition=~Q(kind="school") | ~Q(school_level=""),
                name="org_school_has_level",
            ),
            models.CheckConstraint(
                condition=~Q(kind="bank") | ~Q(bank_type=""),
                name="org_bank_has_type",
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    @property
    def district_office(self) -> Organisation | None:
        if self.kind == self.Kind.DISTRICT_OFFICE:
            return self
        if self.district_id:
            return self.district.district_office
        return None


class District(BilingualName):
    """One of Seoul's 25 autonomous districts (구), covered by one district office."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="districts"
    )
    district_office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_districts",
        limit_choices_to={"kind": Organisation.Kind.DISTRICT_OFFICE},
        verbose_name=_("district office of education"),
    )
    need_index = models.DecimalField(
        _("need index"), max_digits=4, decimal_places=3, null=True, blank=True
    )

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    GUARDIAN = "guardian", _("Guardian")
    TEACHER = "teacher", _("Teacher")
    BANK_STAFF = "bank_staff", _("Bank staff")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    MENTOR = "mentor", _("Mentor")
    COUNSELLOR = "counsellor", _("Counsellor")
    TENANT_OFFICER = "tenant_officer", _("Tenant officer")
    PROVIDER = "provider", _("Provider")
    ADMINISTRATOR = "administrator", _("Administrator")
    RESEARCHER = "researcher", _("Researcher")


class User(AbstractUser):
    """A person. Roles are held per organisation through RoleAssignment."""

    display_name = models.CharField(_("name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="ko"
    )
    home_tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("home tenant"),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def role_set(self) -> set[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = {ra.role for ra in self.role_assignments.filter(is_active=True)}
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        if self.is_superuser and Role.ADMINISTRATOR in roles:
            return True
        return bool(self.role_set() & set(roles))


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="role_assignments"
    )
    is_active = models.BooleanField(_("active"), default=True)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="unique_role_per_org"
            )
        ]
        indexes = [models.Index(fields=["role", "tenant"])]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class AuditLog(models.Model):
    """Who changed what: one row per domain write, with before and after."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class AccessLog(models.Model):
    """Every view or export of a person's data by staff (PIPA): kept two years."""

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        EXPORT = "export", _("Export")
        DOWNLOAD = "download", _("Download")
        CHANGE = "change", _("Change")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="access_log_entries"
    )
    subject = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Whose data; empty for bulk exports."),
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    record_count = models.PositiveIntegerField(default=1)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["subject", "at"]),
            models.Index(fields=["action", "at"]),
        ]
        verbose_name = _("personal-data access log entry")
        verbose_name_plural = _("personal-data access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"


class CalendarDay(models.Model):
    """Days that are not school days: public holidays, vacations, closures."""

    class Kind(models.TextChoices):
        PUBLIC_HOLIDAY = "holiday", _("Public holiday")
        VACATION = "vacation", _("School vacation")
        CLOSED = "closed", _("Closed")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: applies everywhere."),
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "organisation"], name="one_calendar_day_per_org"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(organisation__isnull=True),
                name="one_global_calendar_day",
            ),
        ]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar")

    def __str__(self) -> str:
        return f"{self.date} {self.name_ko}"


class ApiToken(models.Model):
    """A personal access token for integrations; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """Failed sign-ins, for throttling across processes."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class IdempotencyRecord(models.Model):
    """A stored answer to a create request, replayed for a repeated Idempotency-Key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="unique_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.method} {self.path}"
