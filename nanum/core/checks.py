from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def nanum_deploy_checks(app_configs: Any = None, **kwargs: Any) -> list:
    problems: list = []
    if settings.SECRET_KEY.startswith("nanum-insecure-"):
        problems.append(
            Error(
                "NANUM_SECRET_KEY is not set: the development key is in use.",
                hint="Set NANUM_SECRET_KEY to a long random value.",
                id="nanum.E001",
            )
        )
    if not settings.IS_POSTGRES:
        problems.append(
            Warning(
                "Production should run on PostgreSQL (DATABASE_URL).",
                hint="SQLite is for the demo and development.",
                id="nanum.W001",
            )
        )
    if not os.environ.get("NANUM_FIELD_KEYS"):
        problems.append(
            Warning(
                "NANUM_FIELD_KEYS is not set: encrypted fields use a key derived from "
                "the secret key.",
                hint="Set NANUM_FIELD_KEYS to Fernet keys kept apart from the secret key.",
                id="nanum.W002",
            )
        )
    return problems
