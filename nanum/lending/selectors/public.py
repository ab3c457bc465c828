"""What anyone may see of the K-STEM Bank: what it lends, by category (the public
front door). No bank, stock or reservation figure that staff keep to themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from nanum.core.models import Tenant

from ..models import Category, EquipmentModel


@dataclass(frozen=True)
class CatalogueCategory:
    category: str
    label: str
    models: int
    examples: list[str] = field(default_factory=list)


def catalogue_overview(*, examples: int = 3) -> list[CatalogueCategory]:
    """The active catalogue of the towns that are live, one entry per category with
    its number of equipment models and the names of a few (in the reader's language),
    in the order of ``Category``. Categories with nothing to lend are left out."""
    live = EquipmentModel.objects.filter(
        is_active=True, tenant__status=Tenant.Status.ACTIVE
    )
    counts = {
        row["category"]: row["n"]
        for row in live.values("category").annotate(n=Count("pk"))
    }
    out: list[CatalogueCategory] = []
    for value, label in Category.choices:
        n = counts.get(value, 0)
        if not n:
            continue
        names = [
            m.name
            for m in live.filter(category=value).order_by("name_ko", "pk")[:examples]
        ]
        out.append(CatalogueCategory(value, str(label), n, names))
    return out
