"""Tenants and organisations: who acts on the platform, and where."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
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
        district = self.district  # no query when district_id is None
        if district is not None:
            return district.district_office
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
