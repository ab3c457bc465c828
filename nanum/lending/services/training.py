"""Safety training records: bank staff record that a teacher completed the training."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput, NotFound, PermissionDenied
from nanum.core.models import User
from nanum.core.services import audit_record

from ..models import EquipmentModel, TrainingRecord
from ..selectors import actor_tenant_ids, is_bank_staff


@transaction.atomic
def training_record(
    *,
    actor: User,
    user_id: int,
    equipment_id: int,
    completed_on: date,
    valid_until: date,
) -> TrainingRecord:
    if not is_bank_staff(actor):
        raise PermissionDenied()
    tenants = actor_tenant_ids(actor)
    equipment = EquipmentModel.objects.filter(pk=equipment_id).first()
    teacher = User.objects.filter(pk=user_id, is_active=True).first()
    if (
        equipment is None
        or teacher is None
        or (tenants is not None and equipment.tenant_id not in tenants)
        or (tenants is not None and teacher.home_tenant_id not in tenants)
    ):
        raise NotFound()
    if valid_until < completed_on:
        raise InvalidInput(
            field_errors={
                "valid_until": [_("The training must be valid after it was completed.")]
            }
        )
    record = TrainingRecord.objects.create(
        user=teacher,
        equipment=equipment,
        completed_on=completed_on,
        valid_until=valid_until,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="lending.training.record",
        obj=record,
        tenant=equipment.tenant,
    )
    return record
