from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language

from nanum.api import api
from nanum.core import views as core_views

handler400 = "nanum.core.views.bad_request"
handler403 = "nanum.core.views.permission_denied"
handler404 = "nanum.core.views.page_not_found"
handler500 = "nanum.core.views.server_error"

urlpatterns = [
    path("", include("nanum.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("admin/", admin.site.urls),
    # One line per app: its pages and their URL prefix.
    path("lending/", include("nanum.lending.urls")),
    path("learning/", include("nanum.learning.urls")),
    path("programs/", include("nanum.programs.urls")),
    path("mentoring/", include("nanum.mentoring.urls")),
    path("learner-model/", include("nanum.learner_model.urls")),
]
