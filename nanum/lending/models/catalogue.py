"""K-STEM Bank catalogue: equipment models, assets, consumables, safety training."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nanum.core.models import BilingualName, Organisation, Tenant


class Category(models.TextChoices):
    SCIENCE = "science", _("Science")
    MATHS = "maths", _("Maths")
    AI_SW = "ai_sw", _("AI·SW")
    ADVANCED = "advanced", _("Advanced equipment")


class EquipmentModel(BilingualName):
    """A kind of equipment that can be booked: a microscope model, a class kit."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    maker = models.CharField(_("maker"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    specs = models.JSONField(_("specifications"), default=dict, blank=True)
    photo = models.ImageField(_("photo"), upload_to="lending/photos/", blank=True)
    manual = models.FileField(_("manual"), upload_to="lending/manuals/", blank=True)
    safety_notes = models.TextField(_("safety notes"), blank=True)
    min_grade = models.PositiveSmallIntegerField(_("lowest grade"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("highest grade"), default=12)
    requires_training = models.BooleanField(
        _("safety training required"), default=False
    )
    requires_approval = models.BooleanField(_("approval required"), default=False)
    prep_days = models.PositiveSmallIntegerField(_("preparation days"), default=1)
    inspection_days = models.PositiveSmallIntegerField(_("inspection days"), default=1)
    transit_days = models.PositiveSmallIntegerField(_("transit days"), default=1)
    max_loan_days = models.PositiveSmallIntegerField(
        _("longest loan (days)"), default=14
    )
    replacement_value = models.PositiveIntegerField(
        _("replacement value (KRW)"), default=0
    )
    kit_parts = models.JSONField(
        _("kit parts"),
        default=list,
        blank=True,
        help_text=_("For class kits: the parts checked at return, e.g. 30 micro:bit."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "name_ko"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="lending_model_code"
            ),
            models.CheckConstraint(
                condition=Q(min_grade__gte=1)
                & Q(max_grade__lte=12)
                & Q(min_grade__lte=models.F("max_grade")),
                name="lending_model_grades",
            ),
            models.CheckConstraint(
                condition=Q(max_loan_days__gte=1), name="lending_model_max_loan"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "category"])]
        verbose_name = _("equipment model")
        verbose_name_plural = _("equipment models")

    @property
    def is_kit(self) -> bool:
        return bool(self.kit_parts)


class Asset(models.Model):
    """One physical item (or one class kit) with a tag code."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        ON_LOAN = "on_loan", _("On loan")
        IN_TRANSIT = "in_transit", _("In transit")
        IN_REPAIR = "in_repair", _("In repair")
        RETIRED = "retired", _("Retired")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        DAMAGED = "damaged", _("Damaged")

    BOOKABLE = (Status.AVAILABLE, Status.ON_LOAN, Status.IN_TRANSIT)

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(
        EquipmentModel,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("model"),
    )
    tag_code = models.CharField(_("tag code"), max_length=40, unique=True)
    serial = models.CharField(_("serial number"), max_length=80, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE
    )
    home_bank = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home bank"),
    )
    location = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where it is now"),
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["tag_code"]
        indexes = [models.Index(fields=["equipment", "home_bank", "status"])]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.tag_code} · {self.equipment}"


class TrainingRecord(models.Model):
    """A teacher completed the safety training for a model (prerequisite)."""

    def __str__(self) -> str:
        return f"{self.user_id} · {self.equipment_id} until {self.valid_until}"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    equipment = models.ForeignKey(
        EquipmentModel, on_delete=models.CASCADE, related_name="+"
    )
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("safety training record")
        verbose_name_plural = _("safety training records")


class Consumable(BilingualName):
    """Stock of a consumable (batteries, slides, filament) at one bank."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit"), max_length=20, default="ea")
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    reorder_level = models.PositiveIntegerField(_("reorder level"), default=0)

    class Meta:
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")
