"""API schemas of the K-STEM Bank."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from nanum.core.models import Organisation
from nanum.core.schemas import Count, Id
from nanum.lending.models import (
    AllocationRound,
    Category,
    DamageReport,
    EquipmentModel,
    MaintenanceTicket,
    TrainingRecord,
    Transfer,
)


class ModelFilter(Schema):
    q: str = Field("", max_length=100)
    category: Category | None = None
    grade: int | None = Field(None, ge=1, le=12)


class ModelOut(Schema):
    id: int
    code: str
    name: str
    name_ko: str
    name_en: str
    category: str
    maker: str
    description: str
    safety_notes: str
    min_grade: int
    max_grade: int
    requires_training: bool
    requires_approval: bool
    prep_days: int
    inspection_days: int
    transit_days: int
    max_loan_days: int
    replacement_value: int
    kit_parts: list[str]


class AssetOut(Schema):
    id: int
    tag_code: str
    serial: str
    equipment_id: int
    condition: str
    status: str
    home_bank_id: int
    location_id: int


class BankFree(Schema):
    bank_id: int
    bank: str
    free: int
    same_district: bool
    collect_at: list[str]


class Alternative(Schema):
    start: date
    end: date
    bank_id: int
    free: int


class SplitPart(Schema):
    bank_id: int
    quantity: int


class AvailabilityOut(Schema):
    model: ModelOut
    banks: list[BankFree]
    alternatives: list[Alternative]
    split: list[SplitPart] = Field(
        default_factory=list,
        description="A class request across banks (POST /class-requests fills it so), "
        "when no one bank has the quantity but the banks together do",
    )


class AvailabilityQuery(Schema):
    start: date
    end: date
    quantity: int = Field(1, ge=1, le=500)
    q: str = Field("", max_length=100)
    category: Category | None = None
    grade: int | None = Field(None, ge=1, le=12)
    school_id: Id | None = None


class ReservationIn(Schema):
    equipment_id: Id
    bank_id: Id
    school_id: Id
    quantity: int = Field(1, ge=1, le=500)
    start_date: date
    end_date: date
    fulfilment: Literal["pickup", "delivery"] = "pickup"
    purpose: str = Field(..., min_length=1, max_length=300)
    waitlist: bool = False


class ReservationOut(Schema):
    id: int
    equipment_id: int
    bank_id: int
    school_id: int
    quantity: int
    start_date: date
    end_date: date
    fulfilment: str
    purpose: str
    status: str
    reason: str
    offer_expires_at: datetime | None
    asset_tags: list[str]


class ClassRequestIn(Schema):
    """N units of a model for a class, filled from the nearest banks (all or none)."""

    equipment_id: Id
    school_id: Id
    quantity: int = Field(..., ge=1, le=500)
    start_date: date
    end_date: date
    fulfilment: Literal["pickup", "delivery"] = "pickup"
    purpose: str = Field(..., min_length=1, max_length=300)


class BasketItemIn(Schema):
    equipment_id: Id
    quantity: int = Field(..., ge=1, le=500)


class ClassBasketIn(Schema):
    """Several models, each N units, for one class: one request, all or none."""

    school_id: Id
    items: list[BasketItemIn] = Field(..., min_length=1, max_length=20)
    start_date: date
    end_date: date
    fulfilment: Literal["pickup", "delivery"] = "pickup"
    purpose: str = Field(..., min_length=1, max_length=300)


class ClassRequestOut(Schema):
    id: str
    quantity: int
    reservations: list[ReservationOut]


class ChangeIn(Schema):
    start_date: date
    end_date: date


class ClassRequestChangeIn(Schema):
    """New dates, and optionally new units per model, for a whole class request."""

    start_date: date
    end_date: date
    items: list[BasketItemIn] = Field(
        default_factory=list,
        max_length=20,
        description="units per model (models of the request only); left out: unchanged",
    )


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class CheckoutIn(Schema):
    tag_codes: list[str] = Field(..., min_length=1, max_length=500)
    consumables: dict[Id, Count] = Field(
        default_factory=dict,
        description="consumable id -> quantity issued with the loan",
    )


class CheckinItemIn(Schema):
    tag_code: str
    parts_complete: bool
    condition: Literal["new", "good", "fair", "damaged"]
    missing_parts: str = ""
    notes: str = ""


class CheckinIn(Schema):
    items: list[CheckinItemIn] = Field(..., min_length=1, max_length=500)


class TicketIn(Schema):
    asset_id: Id
    description: str = Field(..., min_length=1, max_length=2000)
    expected_back: date | None = None


class TicketOut(Schema):
    id: int
    asset_id: int
    status: str
    description: str


class TransferIn(Schema):
    asset_id: Id
    to_org_id: Id
    rehome: bool = False


class TransferOut(Schema):
    id: int
    asset_id: int
    from_org_id: int
    to_org_id: int
    status: str


class BoardOut(Schema):
    day: date
    pickups: list[ReservationOut]
    deliveries: list[ReservationOut]
    returns_due: list[ReservationOut]
    overdue: list[ReservationOut]
    approvals: list[ReservationOut]


class BankOut(Schema):
    id: int
    code: str
    name: str
    bank_type: str
    address: str


class RoundIn(Schema):
    bank_id: Id
    name: str = Field(..., min_length=1, max_length=120)
    window_start: date
    window_end: date
    collect_until: datetime


class RoundRunIn(Schema):
    seed: int | None = Field(None, ge=0, le=2**62)


class RoundOut(Schema):
    id: int
    bank_id: int
    name: str
    window_start: date
    window_end: date
    status: str
    seed: int | None


class TrainingIn(Schema):
    user_id: Id
    equipment_id: Id
    completed_on: date
    valid_until: date


class DamageIn(Schema):
    asset_id: Id
    kind: Literal["damage", "loss"]
    description: str = Field(..., min_length=1, max_length=2000)


# --- Answers: model instances mapped onto the schemas above -------------------------


def model_out(m: EquipmentModel) -> dict[str, Any]:
    return {f: getattr(m, f) for f in ModelOut.model_fields}


def availability_out(r: Any, names: dict[int, str] | None = None) -> dict[str, Any]:
    """One model's result of the availability search.

    ``names``: bank names by id, shared by the results of one answer (a bank's name
    is read in the request's language once, not once per model).
    """
    if names is None:
        names = {}
    for b in r.banks:
        if b.bank.pk not in names:
            names[b.bank.pk] = b.bank.name
    return {
        "model": model_out(r.model),
        "banks": [
            {
                "bank_id": b.bank.pk,
                "bank": names[b.bank.pk],
                "free": b.free,
                "same_district": b.same_district,
                "collect_at": b.collect_at,
            }
            for b in r.banks
        ],
        "alternatives": [
            {
                "start": a["start"],
                "end": a["end"],
                "bank_id": a["bank"].pk,
                "free": a["free"],
            }
            for a in r.alternatives
        ],
        "split": [{"bank_id": b.pk, "quantity": n} for b, n in r.split],
    }


def ticket_out(t: MaintenanceTicket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "asset_id": t.asset_id,
        "status": t.status,
        "description": t.description,
    }


def transfer_out(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.pk,
        "asset_id": t.asset_id,
        "from_org_id": t.from_org_id,
        "to_org_id": t.to_org_id,
        "status": t.status,
    }


def bank_out(b: Organisation) -> dict[str, Any]:
    return {
        "id": b.pk,
        "code": b.code,
        "name": b.name,
        "bank_type": b.bank_type,
        "address": b.address,
    }


def round_out(r: AllocationRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "bank_id": r.bank_id,
        "name": r.name,
        "window_start": r.window_start,
        "window_end": r.window_end,
        "status": r.status,
        "seed": r.seed,
    }


def training_out(t: TrainingRecord) -> dict[str, Any]:
    return {
        "id": t.pk,
        "user_id": t.user_id,
        "equipment_id": t.equipment_id,
        "valid_until": str(t.valid_until),
    }


def damage_out(d: DamageReport) -> dict[str, Any]:
    return {"id": d.pk, "asset_id": d.asset_id, "kind": d.kind}


# --- research equipment from ZEUS --------------------------------------------------


class ResearchItemOut(Schema):
    id: int
    source: str = Field(..., description="zeus or spreadsheet")
    nfec_no: str
    asset_no: str
    name: str
    name_ko: str
    name_en: str
    owner_name: str
    location: str
    use_scope: str = Field(..., description="sole (cannot be requested) or shared")
    idle_status: str
    lending: str = Field(..., description="loan, on_site or none")
    training_required: bool
    insurance_required: bool
    operator_needed: bool
    specs: str
    photo_url: str
    conditions_note: str = Field(
        ..., description="the central bank's note for teachers"
    )
    visible: bool
    requestable: bool = Field(..., description="a school may request it")
    not_requestable: str = Field(
        ...,
        description=(
            "why not: withdrawn, sole_use, in_use (its owner uses it) or "
            "not_lendable; empty when requestable"
        ),
    )


class ResearchRequestIn(Schema):
    item_id: Id
    school_id: Id
    bank_id: Id = Field(..., description="where a loan is picked up and returned")
    mode: Literal["loan", "visit"]
    start_date: date | None = Field(None, description="a loan's first day")
    end_date: date | None = Field(None, description="a loan's last day")
    slot_id: Id | None = Field(
        None, description="a visit: one of the item's free slots"
    )
    pupils: int = Field(0, ge=0, le=500)
    purpose: str = Field(..., min_length=1, max_length=300)


class ResearchRequestOut(Schema):
    id: int
    item_id: int
    school_id: int
    bank_id: int
    mode: str
    start_date: date
    end_date: date
    pupils: int
    slot_id: int | None = Field(..., description="the visit slot booked (visits)")
    purpose: str
    status: str
    reason: str
    owner_decided_by: str


class ResearchConditionsIn(Schema):
    lending: Literal["loan", "on_site", "none"]
    training_required: bool
    insurance_required: bool
    operator_needed: bool
    contact_name: str = Field("", max_length=100)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    note: str = Field("", max_length=1000, description="shown to teachers")


class ResearchConditionsOut(ResearchConditionsIn):
    item_id: int
    local_fields: list[str] = Field(
        ..., description="fields set at the bank: the sync does not overwrite them"
    )


class ResearchSlotIn(Schema):
    date: dt.date
    start_time: dt.time = Field(..., description="Seoul time, HH:MM")
    end_time: dt.time = Field(..., description="Seoul time, after start_time")
    max_pupils: int = Field(..., ge=1, le=200)


class ResearchSlotOut(ResearchSlotIn):
    id: int
    item_id: int
    cancelled: bool
    booked: bool = Field(..., description="a live request holds it (bank staff view)")


RESEARCH_ACTIONS = Literal["cancel", "forward", "refuse", "out", "back"]
