from django.urls import path

from .views import member, office, research

app_name = "insights"

urlpatterns = [
    path("", office.dashboard, name="dashboard"),
    path("refresh/", office.refresh, name="refresh"),
    path("schools/", office.schools, name="schools"),
    path("schools/import/", office.need_import, name="need_import"),
    path("schools/<int:school_id>/", office.school_need, name="school_need"),
    path("research/", research.home, name="research"),
    path("research/new/", office.project_new, name="project_new"),
    path("research/<int:project_id>/", research.project, name="project"),
    path("research/<int:project_id>/edit/", office.project_edit, name="project_edit"),
    path(
        "research/<int:project_id>/revoke/",
        office.project_revoke,
        name="project_revoke",
    ),
    path(
        "research/<int:project_id>/exports/",
        research.export_create,
        name="export_create",
    ),
    path(
        "research/exports/<int:export_id>/",
        research.export_download,
        name="export_download",
    ),
    path("consent/", member.consent, name="consent"),
]
