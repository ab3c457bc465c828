"""The "mentoring" service switch is the town's only mentoring switch (see 0007)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("learning", "0007_services_are_the_one_switchboard")]

    operations = [
        migrations.RemoveField(model_name="tenantpolicy", name="offers_mentoring"),
    ]
