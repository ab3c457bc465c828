"""Research equipment from ZEUS (국가연구시설장비 종합정보서비스), lent through the bank.

A :class:`ResearchItem` is owned by an outside institution (a university, a research
institute) and registered in ZEUS under its NFEC number; the central bank of a tenant
keeps a synchronised copy (:class:`ZeusSync` records every run). Teachers request an
item (:class:`ResearchRequest`); the central bank reviews, the owner's contact decides
from a signed link. On PostgreSQL an exclusion constraint (migration 0007, narrowed by 0011)
makes two holding requests of one item with overlapping periods impossible; a visit
books a :class:`ResearchVisitSlot` (a time of day the central bank published), at most
one live request per slot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import BilingualName, Organisation, Tenant
from nanum.lending.models.catalogue import Asset

# Why an item cannot be requested, by code (the service refuses with the same text,
# the search and the item page show it).
NOT_REQUESTABLE = {
    "withdrawn": _("This item is no longer offered through ZEUS."),
    "sole_use": _(
        "The owner registered this item for its own use only (sole use): "
        "it cannot be requested."
    ),
    "in_use": _(
        "Its owner is using this item (it is not idle): it cannot be requested."
    ),
    "not_lendable": _(
        "This item is idle but its owner does not lend it or receive "
        "visitors: it cannot be requested."
    ),
}


# The fields of an item the central bank may set locally (its conditions of use and
# the owner's contact); the sync keeps its hands off each one once set.
LOCAL_CONDITIONS = (
    "lending",
    "training_required",
    "insurance_required",
    "operator_needed",
    "contact_name",
    "contact_email",
    "contact_phone",
)


class ResearchItem(BilingualName):
    """One piece of research equipment registered in ZEUS, as the bank knows it."""

    class Source(models.TextChoices):
        ZEUS = "zeus", _("ZEUS Open API")
        SPREADSHEET = "spreadsheet", _("Idle-equipment list")

    class UseScope(models.TextChoices):
        SOLE = "sole", _("Sole use only")
        SHARED = "shared", _("Shared use allowed")

    class Idle(models.TextChoices):
        IN_USE = "in_use", _("In use")
        IDLE = "idle", _("Idle")
        UNDER_USED = "under_used", _("Under-used")
        DISUSED = "disused", _("Disused")

    class Lending(models.TextChoices):
        LOAN = "loan", _("Can be lent")
        ON_SITE = "on_site", _("On-site use only")
        NONE = "none", _("Not lendable")

    class Transfer(models.TextChoices):
        NONE = "", _("No transfer")
        PROPOSED = "proposed", _("Transfer proposed")
        ACCEPTED = "accepted", _("Transferred to the bank")
        DECLINED = "declined", _("Transfer declined")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("central bank"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    nfec_no = models.CharField(_("NFEC registration number"), max_length=40)
    zeus_id = models.CharField(_("ZEUS equipment id"), max_length=40, blank=True)
    asset_no = models.CharField(_("fixed asset number"), max_length=60, blank=True)
    owner_name = models.CharField(_("owner institution"), max_length=200)
    owner_code = models.CharField(_("institution code"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    location = models.CharField(_("install location"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    use_scope = models.CharField(
        _("use scope"), max_length=10, choices=UseScope.choices
    )
    idle_status = models.CharField(
        _("idle status"), max_length=12, choices=Idle.choices
    )
    lending = models.CharField(
        _("conditions of use"),
        max_length=10,
        choices=Lending.choices,
        default=Lending.ON_SITE,
    )
    training_required = models.BooleanField(_("training required"), default=False)
    insurance_required = models.BooleanField(_("insurance required"), default=False)
    operator_needed = models.BooleanField(_("operator needed"), default=False)
    photo_url = models.URLField(_("photo"), max_length=500, blank=True)
    specs = models.TextField(_("specification"), blank=True)
    registered_on = models.DateField(_("registered in ZEUS"), null=True, blank=True)
    source_modified = models.CharField(
        _("last change in ZEUS"), max_length=40, blank=True
    )
    # A digest of every synchronised field as the feed last gave them: a re-run of the
    # same feed writes nothing.
    digest = models.CharField(max_length=64)
    # Conditions of use the central bank set itself (names from LOCAL_CONDITIONS): a
    # sync never writes these fields of this item again until they are reset.
    local_fields = models.JSONField(default=list, blank=True)
    conditions_note = models.TextField(
        _("notes on the conditions of use"), max_length=1000, blank=True
    )
    conditions_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    conditions_set_at = models.DateTimeField(null=True, blank=True)
    # Disused or no longer in the feed: hidden from search, history kept.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    transfer = models.CharField(
        _("transfer"), max_length=10, choices=Transfer.choices, blank=True, default=""
    )
    transferred_asset = models.OneToOneField(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_origin",
        verbose_name=_("bank unit"),
    )
    transfer_mailed_at = models.DateTimeField(null=True, blank=True)
    # when the owner's contact was mailed the confirmation of their decision
    transfer_decision_mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name_ko", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "nfec_no"], name="lending_research_nfec"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "withdrawn_at", "idle_status"])]
        verbose_name = _("research equipment")
        verbose_name_plural = _("research equipment")

    @property
    def visible(self) -> bool:
        return self.withdrawn_at is None and self.transfer != self.Transfer.ACCEPTED

    @property
    def not_requestable(self) -> str:
        """Why a school cannot request this item (a NOT_REQUESTABLE code), or ""."""
        if not self.visible:
            return "withdrawn"
        if self.use_scope == self.UseScope.SOLE:
            return "sole_use"
        if self.idle_status == self.Idle.IN_USE:
            return "in_use"
        if self.lending == self.Lending.NONE:
            return "not_lendable"
        return ""

    @property
    def local_labels(self) -> list[str]:
        """The names of the fields the central bank set itself (kept through syncs)."""
        return [
            str(getattr(self._meta.get_field(f), "verbose_name", f))
            for f in LOCAL_CONDITIONS
            if f in (self.local_fields or ())
        ]

    @property
    def requestable(self) -> bool:
        return not self.not_requestable

    @property
    def not_requestable_reason(self) -> str:
        code = self.not_requestable
        return str(NOT_REQUESTABLE[code]) if code else ""


class ZeusSync(models.Model):
    """One synchronisation run (the API or an idle-equipment spreadsheet)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        PARTIAL = "partial", _("Done with problems")
        FAILED = "failed", _("Failed: nothing changed")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        _("source"), max_length=20, choices=ResearchItem.Source.choices
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    pages = models.PositiveIntegerField(default=0)
    seen = models.PositiveIntegerField(_("items read"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # The API feed was read whole (every page answered, as many items as its
    # ``total``): only then are unseen items withdrawn. None for an idle list.
    feed_complete = models.BooleanField(_("complete feed"), null=True, blank=True)
    # Withdrawals this run would have made but held back (over the share cap).
    held = models.PositiveIntegerField(_("withdrawals held back"), default=0)
    # NFEC numbers per outcome (the first few hundred) and the problems met.
    details = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("ZEUS synchronisation")
        verbose_name_plural = _("ZEUS synchronisations")

    def __str__(self) -> str:
        return f"ZEUS sync {self.pk} ({self.status})"


class ResearchRequest(models.Model):
    """A teacher asks to borrow (or visit with pupils) a research item."""

    class Mode(models.TextChoices):
        LOAN = "loan", _("Borrow through the bank")
        VISIT = "visit", _("On-site visit with pupils")

    class Status(models.TextChoices):
        REVIEW = "review", _("Waiting for the central bank")
        WITH_OWNER = "with_owner", _("Waiting for the owner institution")
        APPROVED = "approved", _("Approved")
        HANDED_OUT = "handed_out", _("Handed out")
        RETURNED = "returned", _("Returned")
        DECLINED = "declined", _("Declined by the owner")
        REFUSED = "refused", _("Refused by the central bank")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.REVIEW, Status.WITH_OWNER, Status.APPROVED, Status.HANDED_OUT)

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        ResearchItem, on_delete=models.PROTECT, related_name="requests"
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    bank = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pickup and return bank"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("kind of use"), max_length=10, choices=Mode.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    pupils = models.PositiveSmallIntegerField(_("pupils"), default=0)
    purpose = models.CharField(_("purpose"), max_length=300)
    # A visit books one of the item's visit slots (a time of day); a loan has none.
    slot = models.ForeignKey(
        "lending.ResearchVisitSlot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("visit slot"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REVIEW
    )
    reason = models.TextField(_("reason"), blank=True)
    owner_decided_by = models.CharField(max_length=100, blank=True)
    owner_decided_at = models.DateTimeField(null=True, blank=True)
    # When the owner's e-mail with the signed link went out (sent once).
    owner_mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="lending_rreq_dates",
            ),
            # one live request per visit slot (no double booking), on both databases
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(slot__isnull=False)
                & Q(status__in=["review", "with_owner", "approved", "handed_out"]),
                name="lending_rreq_one_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["item", "status", "start_date"])]
        verbose_name = _("research equipment request")
        verbose_name_plural = _("research equipment requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.item_id} {self.start_date}–{self.end_date}"


class ResearchVisitSlot(models.Model):
    """A time of day when pupils may visit a research item at its owner's site,
    published by the central bank's staff. Times are Seoul time. On PostgreSQL an
    exclusion constraint (migration 0011) refuses two live slots of one item that
    overlap; the service checks the same under a lock on the item's row."""

    MAX_PUPILS = 200

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        ResearchItem, on_delete=models.PROTECT, related_name="visit_slots"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    max_pupils = models.PositiveSmallIntegerField(_("maximum pupils"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="lending_rslot_times",
            ),
            models.CheckConstraint(
                condition=Q(max_pupils__gte=1) & Q(max_pupils__lte=200),
                name="lending_rslot_pupils",
            ),
        ]
        indexes = [models.Index(fields=["item", "date"])]
        verbose_name = _("visit slot")
        verbose_name_plural = _("visit slots")

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def live(self) -> bool:
        return self.cancelled_at is None
