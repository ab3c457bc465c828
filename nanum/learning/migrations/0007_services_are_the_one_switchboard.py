"""One source of truth for a town's mentoring: the "mentoring" service switch.

The ``offers_mentoring`` boolean could say something else than the services list (the
admin edited both). Before it goes, a town where either said "mentoring" keeps
mentoring (no running pair loses its town's mentoring silently): "mentoring" is added
to its services (the next migration drops the boolean; on PostgreSQL a data change and
an ALTER TABLE are kept in separate transactions). Going back sets the boolean from
the services.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

ORDER = ["lectures", "mentoring", "counselling", "dormitory", "jump", "camp"]


def _services_with_mentoring(services: Any) -> list[str]:
    current = [s for s in (services or []) if isinstance(s, str)]
    if "mentoring" in current:
        return current
    known = [s for s in ORDER if s in current or s == "mentoring"]
    return known + [s for s in current if s not in ORDER]


def forwards(apps: Any, schema_editor: Any) -> None:
    Policy = apps.get_model("learning", "TenantPolicy")
    for policy in Policy.objects.filter(offers_mentoring=True).only("pk", "services"):
        services = _services_with_mentoring(policy.services)
        if services != policy.services:
            Policy.objects.filter(pk=policy.pk).update(services=services)


def backwards(apps: Any, schema_editor: Any) -> None:
    Policy = apps.get_model("learning", "TenantPolicy")
    for policy in Policy.objects.only("pk", "services"):
        offers = "mentoring" in (policy.services or [])
        Policy.objects.filter(pk=policy.pk).update(offers_mentoring=offers)


class Migration(migrations.Migration):
    dependencies = [("learning", "0006_home_summary")]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
