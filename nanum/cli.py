"""The ``nanum`` console command: Django's management commands plus a few verbs.

nanum demo            migrate a SQLite database, load demo data, serve on :8000
nanum worker          run background tasks of every queue (default, mail, ml)
nanum token create    create a personal access token for the API
nanum learner-model   train / evaluate the learner model
nanum zeus sync       synchronise research equipment from ZEUS (nanum zeus import FILE)
nanum <command>       any Django management command (migrate, check, ...)
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

ALIASES = {
    "worker": "worker",
    "learner-model": "learner_model",
    "demo": "demo",
    "zeus": "zeus",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
