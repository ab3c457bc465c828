"""Whether a programme's town offers the service the programme is: a camp is
published only in a town whose Seoul Learn rules switch camps on.

The town's service switches belong to Seoul Learn and are read through
``nanum.learning.selectors`` only (the one import the contract allows this module).
"""

from __future__ import annotations

from nanum.core.errors import NotFound
from nanum.core.models import Tenant
from nanum.learning import selectors as learning_selectors

from ..models import Programme

# Programme kind -> the town service switch (``TenantPolicy.services``) it needs.
# Residential programmes are checked with their nights and rooms
# (``selectors.residential.town_offers_residential``).
KIND_SERVICE: dict[str, str] = {Programme.Kind.CAMP: "camp"}


def service_missing_for(*, kind: str, tenant: Tenant | int) -> str:
    """The service a programme of ``kind`` needs that ``tenant`` has switched off
    ("" when none is missing). A town that does not run Seoul Learn at all has no
    switches, so nothing is missing there: the switchboard speaks only for its towns."""
    service = KIND_SERVICE.get(kind, "")
    if not service:
        return ""
    try:
        policy = learning_selectors.tenant_policy_get(tenant=tenant)
    except NotFound:
        return ""
    return "" if policy.offers(service) else service
