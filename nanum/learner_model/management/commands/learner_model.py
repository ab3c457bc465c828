"""``manage.py learner_model train|evaluate`` (knowledge-tracing model).

Examples::

    manage.py learner_model evaluate --dataset assist2015 --folds 0,1,2,3,4
    manage.py learner_model train --dataset synthetic --out artifacts/lm.npz

Training needs the ``nanum[ml]`` extra (PyTorch); see docs/learner_model.md.
"""

from __future__ import annotations

import argparse
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console

from nanum.learner_model.kt import cli as kt_cli


class Command(BaseCommand):
    help = "Train and evaluate the knowledge-tracing learner model."

    def add_arguments(self, parser: CommandParser) -> None:
        kt_cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # every option of the shared parser, under the names it defines (Django's
        # own, such as verbosity, are ignored by the runner)
        ns = argparse.Namespace(**options)
        ns.threads = ns.threads or 1
        width = None if self.stdout.isatty() else 160
        # OutputWrapper is a text stream (TextIOBase), which typeshed does not call IO[str]
        out = cast(IO[str], self.stdout)
        kt_cli.run(ns, Console(file=out, width=width))
