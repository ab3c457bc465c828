"""Insights: the need index with its sources, equity facts, research data agreements.

The need index formula is written down in docs/insights.md; ``need_index_formula``
below is that formula and nothing else, so the page that explains a school's index and
the import that computes it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import District, Organisation, Tenant

# --- Need index -----------------------------------------------------------------

# Weights and caps of the formula (docs/insights.md, "Need index").
W_BENEFIT = Decimal("0.50")
W_MULTICULTURAL = Decimal("0.20")
W_SMALL = Decimal("0.15")
W_DISTRICT = Decimal("0.15")
BENEFIT_CAP = Decimal("30")  # % of students with education benefit/free meals
MULTICULTURAL_CAP = Decimal("15")  # % of students from multicultural families
SMALL_FULL = 100  # students: a school this small or smaller scores 1
SMALL_NONE = 1000  # students: a school this large or larger scores 0


@dataclass(frozen=True)
class NeedTerms:
    """Each input scaled to 0..1, its weight and its contribution."""

    benefit: Decimal
    multicultural: Decimal
    small: Decimal
    district: Decimal
    index: Decimal

    def parts(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(name, scaled, weight, contribution) for the explanation table."""
        return [
            ("benefit", self.benefit, W_BENEFIT, (self.benefit * W_BENEFIT)),
            (
                "multicultural",
                self.multicultural,
                W_MULTICULTURAL,
                self.multicultural * W_MULTICULTURAL,
            ),
            ("small", self.small, W_SMALL, self.small * W_SMALL),
            ("district", self.district, W_DISTRICT, self.district * W_DISTRICT),
        ]


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def need_index_formula(
    *,
    benefit_pct: Decimal,
    multicultural_pct: Decimal,
    students: int,
    district_need: Decimal,
) -> NeedTerms:
    """The need index (0 = least, 1 = greatest) from public school indicators."""
    benefit = _clamp(benefit_pct / BENEFIT_CAP)
    multicultural = _clamp(multicultural_pct / MULTICULTURAL_CAP)
    small = _clamp(Decimal(SMALL_NONE - students) / Decimal(SMALL_NONE - SMALL_FULL))
    district = _clamp(district_need)
    raw = (
        benefit * W_BENEFIT
        + multicultural * W_MULTICULTURAL
        + small * W_SMALL
        + district * W_DISTRICT
    )
    q = Decimal("0.001")
    return NeedTerms(
        benefit=benefit.quantize(q, ROUND_HALF_UP),
        multicultural=multicultural.quantize(q, ROUND_HALF_UP),
        small=small.quantize(q, ROUND_HALF_UP),
        district=district.quantize(q, ROUND_HALF_UP),
        index=_clamp(raw).quantize(q, ROUND_HALF_UP),
    )


class NeedIndexRecord(models.Model):
    """One school's need index for one school year, with the inputs it came from."""

    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    year = models.PositiveSmallIntegerField(_("school year"))
    benefit_pct = models.DecimalField(
        _("students with education benefit or free meals (%)"),
        max_digits=5,
        decimal_places=2,
    )
    multicultural_pct = models.DecimalField(
        _("students from multicultural families (%)"), max_digits=5, decimal_places=2
    )
    students = models.PositiveIntegerField(_("students"))
    district_need = models.DecimalField(
        _("district need"), max_digits=4, decimal_places=3
    )
    index = models.DecimalField(_("need index"), max_digits=4, decimal_places=3)
    source = models.CharField(_("source"), max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year"], name="insights_one_index_per_school_year"
            ),
            models.CheckConstraint(
                condition=Q(index__gte=0) & Q(index__lte=1),
                name="insights_need_index_0_1",
            ),
            models.CheckConstraint(
                condition=Q(benefit_pct__gte=0)
                & Q(benefit_pct__lte=100)
                & Q(multicultural_pct__gte=0)
                & Q(multicultural_pct__lte=100),
                name="insights_need_pct_0_100",
            ),
        ]
        verbose_name = _("need index record")
        verbose_name_plural = _("need index records")

    def __str__(self) -> str:
        return f"{self.school_id} · {self.year} · {self.index}"

    def terms(self) -> NeedTerms:
        return need_index_formula(
            benefit_pct=self.benefit_pct,
            multicultural_pct=self.multicultural_pct,
            students=self.students,
            district_need=self.district_need,
        )


# --- Equity facts ----------------------------------------------------------------


class Resource(models.TextChoices):
    EQUIPMENT = "equipment", _("K-STEM Bank units in scarcity windows")
    PROGRAMME = "programme", _("Centre programme places")
    LEARN_PLACE = "learn_place", _("Seoul Learn places")
    LEARN_SEAT = "learn_seat", _("Seoul Learn seats")
    MENTOR = "mentor", _("Mentors")


class EquityFact(models.Model):
    """One request for a scarce resource, and what became of it.

    Rebuilt from the other apps' selectors by ``equity_refresh`` (nightly, and on
    demand by an administrator): the dashboard reads only this table.
    """

    resource = models.CharField(max_length=20, choices=Resource.choices)
    term = models.CharField(max_length=7)  # "2026-1" (Mar–Aug), "2026-2" (Sep–Feb)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    district_office = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, related_name="+"
    )
    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    school_level = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=40, blank=True)
    quintile = models.PositiveSmallIntegerField(default=0)  # 1..5, 0 = unknown
    person = models.CharField(max_length=24)  # "u<id>": counts people per cell
    requested = models.PositiveIntegerField(default=1)
    allocated = models.PositiveIntegerField(default=0)
    used = models.PositiveIntegerField(default=0)
    # Facts of a closed term kept as history: a refresh replaces only live facts.
    archived = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["resource", "term"]),
            models.Index(fields=["tenant", "resource"]),
            models.Index(fields=["district_office", "resource"]),
        ]

    def __str__(self) -> str:
        return f"{self.resource} · {self.term} · {self.person}"


# --- Research data ---------------------------------------------------------------


class Dataset(models.TextChoices):
    INTERACTIONS = "interactions", _("Learning interactions")
    MASTERY = "mastery", _("Mastery estimates")
    PARTICIPATION = "participation", _("Programme participation")
    EQUIPMENT = "equipment", _("Equipment use per school")


class ResearchProject(models.Model):
    """A data-use agreement: who may receive which de-identified data, and until when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        REVOKED = "revoked", _("Revoked")

    title = models.CharField(_("project"), max_length=200)
    institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    principal_investigator = models.CharField(
        _("principal investigator"), max_length=100
    )
    purpose = models.TextField(_("purpose"))
    irb_ref = models.CharField(_("IRB reference"), max_length=60)
    starts_on = models.DateField(_("agreement starts"))
    ends_on = models.DateField(_("agreement ends"))
    datasets = models.JSONField(_("datasets"), default=list)
    k = models.PositiveSmallIntegerField(_("minimum group size (k)"), default=5)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("researchers")
    )
    key_salt = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="insights_project_period",
            ),
            models.CheckConstraint(condition=Q(k__gte=5), name="insights_k_at_least_5"),
        ]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")

    def __str__(self) -> str:
        return self.title

    def dataset_labels(self) -> list[str]:
        labels = dict(Dataset.choices)
        return [str(labels.get(d, d)) for d in self.datasets]


class ResearchConsent(models.Model):
    """A member's consent to research use of their de-identified data.

    Under 14 the consent is a guardian's (``given_by`` is then not the member).
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    consented = models.BooleanField(_("consents to research use"), default=False)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_guardian = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("research consent")
        verbose_name_plural = _("research consents")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.consented}"


class ResearchExport(models.Model):
    """A de-identified file made for one project; it expires."""

    project = models.ForeignKey(
        ResearchProject, on_delete=models.CASCADE, related_name="exports"
    )
    dataset = models.CharField(_("dataset"), max_length=20, choices=Dataset.choices)
    fmt = models.CharField(max_length=8, default="csv")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    row_count = models.PositiveIntegerField(_("rows"))
    people = models.PositiveIntegerField(_("people"))
    min_k = models.PositiveIntegerField(_("smallest group"))
    suppressed = models.PositiveIntegerField(_("people suppressed"))
    content = models.BinaryField(null=True, editable=False)
    sha256 = models.CharField(max_length=64)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("research export")
        verbose_name_plural = _("research exports")

    def __str__(self) -> str:
        return f"{self.project_id} · {self.dataset} · {self.created_at:%Y-%m-%d}"

    @property
    def expired(self) -> bool:
        return self.content is None or self.expires_at <= timezone.now()

    @property
    def filename(self) -> str:
        ext = "parquet" if self.fmt == "parquet" else "csv"
        return f"nanum-research-{self.project_id}-{self.dataset}-{self.pk}.{ext}"

    @property
    def content_type(self) -> str:
        if self.fmt == "parquet":
            return "application/vnd.apache.parquet"
        return "text/csv; charset=utf-8"
