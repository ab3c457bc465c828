from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from nanum import demo as app_demo
from nanum.core import demo
from nanum.core.demo_structure import DEMO_PASSWORD
from nanum.core.models import Organisation, RoleAssignment, Tenant, User


class Command(BaseCommand):
    help = "Load the demo data (idempotent). --scale large builds benchmark-sized data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **opts: Any) -> None:
        # Demo notifications stay in the app: no e-mail flood on the console.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            self._seed(opts)

    def _seed(self, opts: dict[str, Any]) -> None:
        started = time.perf_counter()
        if Tenant.objects.filter(slug="seoul").exists():
            self.stdout.write("Demo structure already loaded; keeping it.")
            ctx = demo.load_context(seed=opts["seed"])
            extra: list[str] = []
        else:
            ctx = demo.seed_core(seed=opts["seed"])
            extra = app_demo.seed_apps(ctx, scale=opts["scale"])
            counts = {
                level: Organisation.objects.filter(
                    kind="school", school_level=level
                ).count()
                for level in ("elementary", "middle", "high", "special")
            }
            self.stdout.write(
                "Loaded 11 district offices, 25 districts, "
                f"{sum(counts.values())} schools {counts}, "
                f"{Organisation.objects.filter(kind='bank').count()} banks, "
                f"{Organisation.objects.filter(kind='lending_point').count()} lending points, "
                f"{Tenant.objects.count()} tenants "
                f"in {time.perf_counter() - started:.1f}s."
            )
        for line in extra:
            self.stdout.write(line)
        self.print_accounts(ctx)

    def print_accounts(self, ctx: demo.DemoContext) -> None:
        users = User.objects.filter(email__endswith="@demo.nanum.local").order_by("pk")
        roles = {
            ra.user_id: ra
            for ra in RoleAssignment.objects.filter(user__in=users).select_related(
                "organisation"
            )
        }
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'username':<22} {'role':<16} organisation")
        for user in users:
            ra = roles.get(user.pk)
            role = ra.get_role_display() if ra else "-"
            org = ra.organisation.name_ko if ra else ""
            if user.is_superuser:
                role = f"{role} (superuser)"
            self.stdout.write(f"  {user.username:<22} {role:<16} {org}")
