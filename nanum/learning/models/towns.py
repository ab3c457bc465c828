"""Towns as tenants: each town's Seoul Learn rules, notices and change windows."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Tenant


class SchoolLevel(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary school")
    MIDDLE = "middle", _("Middle school")
    HIGH = "high", _("High school")
    OUT_OF_SCHOOL = "none", _("Not in school")


class Category(models.TextChoices):
    """Eligibility (welfare) categories of BRIEF §4. High-risk data: stored encrypted."""

    BASIC_LIVELIHOOD = "basic_livelihood", _("Basic livelihood recipient")
    NEAR_POOR = "near_poor", _("Near-poor household")
    INCOME = "income", _("Household income at or below the income line")
    OUT_OF_SCHOOL = "out_of_school", _("Out-of-school youth")
    MULTICULTURAL = "multicultural", _("Multicultural family")
    SINGLE_PARENT = "single_parent", _("Single-parent family")
    DEFECTOR = "defector", _("North Korean defector youth")
    VETERAN = "veteran", _("Child of a veteran")


# Categories checked against official records by an officer (no documents needed).
OFFICIAL_RECORD_CATEGORIES = {Category.BASIC_LIVELIHOOD, Category.NEAR_POOR}

SERVICE_CHOICES = [
    ("lectures", _("Online lectures")),
    ("mentoring", _("1:1 mentoring")),
    ("counselling", _("Career and admissions counselling")),
    ("dormitory", _("Residential education")),
    ("jump", _("& Jump rewards")),
    ("camp", _("Summer camp")),
]


# A town logo's stored extension -> the type it is served with. The service names the
# file after what its bytes are, so the extension is always one of these.
LOGO_CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}


def default_levels() -> list[str]:
    return [SchoolLevel.ELEMENTARY, SchoolLevel.MIDDLE, SchoolLevel.HIGH]


def default_categories() -> list[str]:
    return list(Category.values)


class TenantPolicy(models.Model):
    """One town's Seoul Learn programme: its page, its rules and its quotas."""

    tenant = models.OneToOneField(
        Tenant,
        on_delete=models.CASCADE,
        related_name="learning_policy",
        verbose_name=_("town"),
    )
    tagline_ko = models.CharField(_("tagline (Korean)"), max_length=200, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=200, blank=True)
    page_text_ko = models.TextField(_("page text (Korean)"), blank=True)
    page_text_en = models.TextField(_("page text (English)"), blank=True)
    logo = models.FileField(_("logo"), upload_to="learning/logos/", blank=True)
    is_open = models.BooleanField(_("accepting applications"), default=True)
    # The one switchboard of the town's services (keys of SERVICE_CHOICES): the menus,
    # the pages, the API and the rules (mentoring, counselling, ...) all read it.
    services = models.JSONField(_("services offered"), default=list, blank=True)
    # Eligibility
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=6)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=24)
    school_levels = models.JSONField(_("school levels"), default=default_levels)
    categories = models.JSONField(_("accepted categories"), default=default_categories)
    income_line_pct = models.PositiveSmallIntegerField(
        _("income line (percent of median)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    residence_required = models.BooleanField(_("must live in the town"), default=True)
    priority = models.JSONField(
        _("priority order of categories"),
        default=default_categories,
        help_text=_("Waiting applicants are ordered by this list, then by date."),
    )
    # Quotas (empty = no limit)
    quota_total = models.PositiveIntegerField(_("total places"), null=True, blank=True)
    quota_elementary = models.PositiveIntegerField(
        _("places for elementary school"), null=True, blank=True
    )
    quota_middle = models.PositiveIntegerField(
        _("places for middle school"), null=True, blank=True
    )
    quota_high = models.PositiveIntegerField(
        _("places for high school"), null=True, blank=True
    )
    quota_other = models.PositiveIntegerField(
        _("places for youth not in school"), null=True, blank=True
    )
    # Use rules
    min_monthly_minutes = models.PositiveIntegerField(
        _("minimum study minutes a month"), default=0
    )
    inactivity_warn_days = models.PositiveSmallIntegerField(
        _("warn after days without use"), default=14
    )
    inactivity_reclaim_days = models.PositiveSmallIntegerField(
        _("reclaim the seat after days without use"), default=30
    )
    membership_days = models.PositiveSmallIntegerField(
        _("membership length (days)"), default=365
    )
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("renewal reminders start (days before)"), default=30
    )
    # Retention (PIPA)
    document_retention_days = models.PositiveSmallIntegerField(
        _("keep documents (days after decision)"), default=180
    )
    rejected_retention_days = models.PositiveSmallIntegerField(
        _("keep rejected applications (days)"), default=365
    )
    # Rewards ("& Jump")
    reward_top_n = models.PositiveSmallIntegerField(
        _("reward shortlist size"), default=10
    )
    reward_min_mileage = models.PositiveIntegerField(
        _("minimum mileage for rewards"), default=0
    )
    reward_requires_recommendation = models.BooleanField(
        _("rewards need a mentor's recommendation"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("town policy")
        verbose_name_plural = _("town policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="policy_age_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.tenant)

    @property
    def tagline(self) -> str:
        if (get_language() or "ko").startswith("en") and self.tagline_en:
            return self.tagline_en
        return self.tagline_ko

    @property
    def page_text(self) -> str:
        if (get_language() or "ko").startswith("en") and self.page_text_en:
            return self.page_text_en
        return self.page_text_ko

    def clean(self) -> None:
        super().clean()
        services = self.services
        known = {key for key, _label in SERVICE_CHOICES}
        if not isinstance(services, list) or any(
            not isinstance(s, str) or s not in known for s in services
        ):
            raise ValidationError(
                {
                    "services": _("Choose services from the list: %(choices)s.")
                    % {"choices": ", ".join(sorted(known))}
                }
            )
        # one entry per service, in the list's order
        self.services = [k for k, _label in SERVICE_CHOICES if k in services]

    def offers(self, service: str) -> bool:
        """Whether the town switched ``service`` on (a key of SERVICE_CHOICES)."""
        return service in (self.services or [])

    @property
    def offers_mentoring(self) -> bool:
        """University-student mentoring: the "mentoring" service switch (there is no
        second switch to disagree with it)."""
        return self.offers("mentoring")

    def level_quota(self, level: str) -> int | None:
        quotas: dict[str, int | None] = {
            SchoolLevel.ELEMENTARY: self.quota_elementary,
            SchoolLevel.MIDDLE: self.quota_middle,
            SchoolLevel.HIGH: self.quota_high,
            SchoolLevel.OUT_OF_SCHOOL: self.quota_other,
        }
        return quotas.get(level)

    def priority_rank(self, category: str) -> int:
        order = list(self.priority or [])
        return order.index(category) if category in order else len(order)


class TenantNotice(models.Model):
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="learning_notices",
        verbose_name=_("town"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["tenant", "published_at"])]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title


class ChangeWindow(models.Model):
    """Dates in which members of a town may change their provider."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="learning_change_windows"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="window_dates"
            )
        ]
        verbose_name = _("provider change window")
        verbose_name_plural = _("provider change windows")

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"
