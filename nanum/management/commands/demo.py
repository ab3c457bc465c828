from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate, load the demo data, print the demo accounts and serve on :8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="set up only")

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        if opts["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Nanum runs on http://{opts['addr']}/  (Ctrl+C stops it)")
        os.environ.setdefault("NANUM_TASKS_IMMEDIATE", "1")
        call_command("runserver", opts["addr"], use_reloader=False, use_threading=True)
