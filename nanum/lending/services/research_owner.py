"""The owner institution's side of research equipment: its decision from a signed
link (no account), the e-mail carrying that link, and transfers into the bank.

A transfer (ZEUS's idle-equipment transfer programme) is proposed by the central
bank; once the owner agrees, the item becomes a bank unit (an equipment model and an
asset at the central bank) with its provenance kept, and leaves the research search.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput, NotFound
from nanum.core.models import Role, RoleAssignment, Tenant, User
from nanum.core.services import (
    Message,
    Text,
    absolute_url,
    audit_record,
    notification_send,
    tasks_enqueue,
)

# services -> tasks is the documented cycle: a module import, resolved at call time.
from nanum.lending import tasks

from .. import selectors
from ..models import Asset, Category, EquipmentModel, ResearchItem, ResearchRequest
from .research import S, _audit, _body, _move, _notify, _refuse


def research_owner_decide(
    *, token: str, approve: bool, name: str, reason: str = ""
) -> ResearchRequest | ResearchItem:
    """The owner institution's contact decides from the signed link (no account):
    on a request, or on a proposed transfer. Recorded with the name they give."""
    name = name.strip()[:100]
    if not name:
        raise InvalidInput(field_errors={"name": [_("Enter your name.")]})
    with transaction.atomic():
        kind, obj = selectors.owner_token_read(token)
        if kind == "t":
            return _transfer_decide(obj.pk, approve=approve, name=name)
        r: ResearchRequest = obj
        ResearchRequest.objects.select_for_update().filter(pk=r.pk).first()
        r.refresh_from_db()
        _move(r, (S.WITH_OWNER,), S.APPROVED if approve else S.DECLINED)
        r.owner_decided_by = name
        r.owner_decided_at = clock.now()
        r.reason = reason.strip()[:1000]
        r.save()
        _audit(None, "owner_decide", r, status=r.status, by=name)
        _notify(r, bank_ids=(r.item.bank_id, r.bank_id))
    return r


def research_transfer_propose(*, actor: User, item_id: int) -> ResearchItem:
    """The central bank proposes to take an idle item into the bank for good."""
    with transaction.atomic():
        item = selectors.research_item_get(actor=actor, item_id=item_id, hidden=True)
        central = selectors.central_bank_ids(actor)
        if central is not None and item.bank_id not in central:
            raise NotFound()
        item = ResearchItem.objects.select_for_update().get(pk=item.pk)
        if not item.visible or item.transfer == ResearchItem.Transfer.PROPOSED:
            raise _refuse(
                _("A transfer is not possible for this item now."), "wrong_status"
            )
        if item.idle_status not in (
            ResearchItem.Idle.IDLE,
            ResearchItem.Idle.UNDER_USED,
        ):
            raise _refuse(
                _("Only idle or under-used equipment can be transferred."), "not_idle"
            )
        item.transfer = ResearchItem.Transfer.PROPOSED
        item.transfer_mailed_at = None
        item.save(update_fields=["transfer", "transfer_mailed_at"])
        _audit(actor, "transfer_propose", item, nfec=item.nfec_no)
        if item.contact_email:
            tasks_enqueue(tasks.research_owner_email, "t", item.pk)
    return item


def _transfer_decide(item_id: int, *, approve: bool, name: str) -> ResearchItem:
    item = ResearchItem.objects.select_for_update().get(pk=item_id)
    if item.transfer != ResearchItem.Transfer.PROPOSED:
        raise _refuse(_("This transfer was already decided."), "wrong_status")
    if not approve:
        item.transfer = ResearchItem.Transfer.DECLINED
        item.save(update_fields=["transfer"])
        _audit(None, "transfer_decline", item, by=name)
        _transfer_notify(item, name=name)
        return item
    model = EquipmentModel(
        tenant_id=item.tenant_id,
        code=f"zeus-{item.nfec_no.lower()}"[:60],
        category=Category.ADVANCED,
        name_ko=item.name_ko,
        name_en=item.name_en,
        description=item.specs,
        specs={"nfec_no": item.nfec_no, "owner": item.owner_name},
        requires_training=item.training_required,
        requires_approval=True,
        min_grade=7,
    )
    model.full_clean()
    model.save()
    asset = Asset(
        tenant_id=item.tenant_id,
        equipment=model,
        tag_code=f"ZEUS-{item.nfec_no}"[:40],
        serial=item.asset_no,
        home_bank_id=item.bank_id,
        location_id=item.bank_id,
        acquired_on=clock.today(),
        notes=str(
            Message(
                _(
                    "Transferred from %(owner)s through ZEUS (%(nfec)s), agreed by %(by)s."
                ),
                owner=item.owner_name,
                nfec=item.nfec_no,
                by=name,
            )
        ),
    )
    asset.full_clean()
    asset.save()
    item.transfer = ResearchItem.Transfer.ACCEPTED
    item.transferred_asset = asset
    item.save(update_fields=["transfer", "transferred_asset"])
    _audit(None, "transfer_accept", item, by=name, asset=asset.tag_code)
    audit_record(
        actor=None,
        action="lending.asset_create",
        obj=asset,
        tenant=Tenant(pk=item.tenant_id),
        after={"tag_code": asset.tag_code, "from": item.nfec_no},
    )
    _transfer_notify(item, name=name)
    return item


def _transfer_body(item: ResearchItem, name: str = "") -> Message:
    """What was decided; with ``name`` (for the bank's staff), who decided."""
    if name:
        return Message(
            _("%(what)s\nDecided by %(by)s."), what=_transfer_body(item), by=name
        )
    if item.transfer == ResearchItem.Transfer.ACCEPTED:
        return Message(
            _(
                "%(owner)s agreed to transfer %(item)s (%(nfec)s) to the "
                "K-STEM Bank for good: it is now the bank unit %(tag)s."
            ),
            owner=item.owner_name,
            item=item.name,
            nfec=item.nfec_no,
            tag=item.transferred_asset.tag_code if item.transferred_asset else "",
        )
    return Message(
        _(
            "%(owner)s declined the transfer of %(item)s (%(nfec)s) to the "
            "K-STEM Bank: it stays with them and can still be requested."
        ),
        owner=item.owner_name,
        item=item.name,
        nfec=item.nfec_no,
    )


def _transfer_subject(item: ResearchItem) -> Text:
    if item.transfer == ResearchItem.Transfer.ACCEPTED:
        return _("Transfer to the K-STEM Bank accepted")
    return _("Transfer to the K-STEM Bank declined")


def _transfer_notify(item: ResearchItem, *, name: str) -> None:
    """The owner's decision on a transfer, told to the central bank's staff (each in
    their language) and, by mail, to the owner's contact (see the mail below)."""
    accepted = item.transfer == ResearchItem.Transfer.ACCEPTED
    kind = f"lending.research_transfer_{'accepted' if accepted else 'declined'}"
    subject = _transfer_subject(item)
    staff = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            organisation_id=item.bank_id, role=Role.BANK_STAFF, is_active=True
        ).values("user_id"),
        is_active=True,
    )
    url = reverse("lending:research_item", args=[item.pk])
    for user in staff:
        notification_send(
            user=user,
            kind=kind,
            subject=subject,
            body=_transfer_body(item, name),
            url=url,
        )
    if item.contact_email:
        tasks_enqueue(tasks.research_owner_email, "d", item.pk)


def research_owner_email_send(*, kind: str, pk: int) -> bool:
    """Mail the owner's contact the signed link, once (a second run sends nothing).
    The owner has no saved language: the mail is in Korean, then English."""
    with transaction.atomic():
        if kind == "r":
            r = ResearchRequest.objects.select_for_update().filter(pk=pk).first()
            if r is None or r.owner_mailed_at or r.status != S.WITH_OWNER:
                return False
            item: ResearchItem = r.item
            row: ResearchRequest | ResearchItem = r
            mark = "owner_mailed_at"
        elif kind == "d":
            return _decision_email(pk)
        else:
            found = ResearchItem.objects.select_for_update().filter(pk=pk).first()
            if (
                found is None
                or found.transfer_mailed_at
                or (found.transfer != ResearchItem.Transfer.PROPOSED)
            ):
                return False
            item, row, r = found, found, None
            mark = "transfer_mailed_at"
        if not item.contact_email:
            return False
        link = absolute_url(
            reverse("lending:research_owner", args=[selectors.owner_token(kind, pk)])
        )
        parts = []
        for language in ("ko", "en"):
            with translation.override(language):
                what = (
                    str(_body(r))
                    if r is not None
                    else str(_("Permanent transfer of %(item)s to the K-STEM Bank."))
                    % {"item": item.name}
                )
                parts.append(
                    str(
                        Message(
                            _("%(what)s\nApprove or decline here: %(link)s"),
                            what=what,
                            link=link,
                        )
                    )
                )
        with translation.override("ko"):
            subject = str(_("K-STEM Bank: a request for your research equipment"))
        setattr(row, mark, clock.now())
        row.save(update_fields=[mark])
        send_mail(subject, "\n\n---\n\n".join(parts), None, [item.contact_email])
    return True


def _decision_email(pk: int) -> bool:
    """Confirm the owner's decision on a transfer to their contact, once. The owner
    has no saved language: Korean, then English (inside the caller's transaction)."""
    item = ResearchItem.objects.select_for_update().filter(pk=pk).first()
    if (
        item is None
        or not item.contact_email
        or item.transfer_decision_mailed_at
        or item.transfer
        not in (ResearchItem.Transfer.ACCEPTED, ResearchItem.Transfer.DECLINED)
    ):
        return False
    parts: list[str] = []
    subject = ""
    for language in ("ko", "en"):
        with translation.override(language):
            parts.append(str(_transfer_body(item)))
            if not subject:
                subject = str(_transfer_subject(item))
    item.transfer_decision_mailed_at = clock.now()
    item.save(update_fields=["transfer_decision_mailed_at"])
    send_mail(subject, "\n\n---\n\n".join(parts), None, [item.contact_email])
    return True
