from __future__ import annotations

import warnings

from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from nanum import frontdoor
from nanum.api import api
from nanum.core import views as core_views
from nanum.learning.views import offline as learning_offline


class BoundedIntConverter:
    """``<int:...>`` for every URL: an id from 1 to 2**63 - 1 (a PostgreSQL bigint),
    else the URL does not match (404): an id beyond 64 bits never reaches the database.
    """

    regex = "[0-9]{1,19}"
    MAX = 2**63 - 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= self.MAX:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


with warnings.catch_warnings():
    # Replacing Django's own ``int`` is deprecated (Django 6 refuses it); until then
    # it bounds every <int:...> in every app (and django-ninja's {int:...}) at once.
    warnings.simplefilter("ignore", category=DeprecationWarning)
    warnings.simplefilter("ignore", category=PendingDeprecationWarning)
    register_converter(BoundedIntConverter, "int")

handler400 = "nanum.core.views.bad_request"
handler403 = "nanum.core.views.permission_denied"
handler404 = "nanum.core.views.page_not_found"
handler500 = "nanum.core.views.server_error"

urlpatterns = [
    # "/" is the public front door for visitors, core's role home when signed in.
    path("", frontdoor.home),
    path("favicon.ico", frontdoor.favicon, name="favicon"),
    path("", include("nanum.core.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", core_views.healthz, name="healthz"),
    # The installable web app: its worker's scope is the whole site.
    path("sw.js", learning_offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", learning_offline.manifest, name="manifest"),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("admin/", admin.site.urls),
    # One line per app: its pages and their URL prefix.
    path("lending/", include("nanum.lending.urls")),
    path("learning/", include("nanum.learning.urls")),
    path("programs/", include("nanum.programs.urls")),
    path("mentoring/", include("nanum.mentoring.urls")),
    path("learner-model/", include("nanum.learner_model.urls")),
    path("insights/", include("nanum.insights.urls")),
]
