from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import nav_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "site_name": settings.NANUM_SITE_NAME}
    return {"nav_items": nav_for(user), "site_name": settings.NANUM_SITE_NAME}
