"""Pages for mentees and mentors: home, applying, the survey, a pair, sessions,
messages, problems. Thin: parse with a form, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.forms import add_domain_error
from nanum.core.models import Tenant

from . import selectors, services
from .forms import (
    DocumentForm,
    MentorApplyForm,
    MessageForm,
    ProblemForm,
    RateForm,
    ReportForm,
    SecondSessionForm,
    SurveyForm,
)
from .models import Match, Session
from .services.common import hour_label
from .services.matching import SurveyInput, why_text
from .services.sessions import ReportInput


def show_error(request: HttpRequest, form: Any, exc: DomainError) -> None:
    if isinstance(exc, NotFound):
        raise Http404(str(exc.message))
    if isinstance(exc, PermissionDenied):
        raise DjangoPermissionDenied(str(exc.message))
    if form is None:
        messages.error(request, str(exc.message))
        return
    add_domain_error(form, exc)


def domain_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in only; NotFound → 404, PermissionDenied → 403 (never a 500)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc

    return wrapper


def _back(request: HttpRequest, exc: DomainError, to: str) -> HttpResponse:
    show_error(request, None, exc)
    return redirect(to)


@require_http_methods(["GET"])
@domain_view
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    mentees = list(selectors.my_mentees(user))
    my_matches = list(selectors.my_mentor_matches(user))
    now = timezone.now()
    upcoming = list(
        Session.objects.filter(
            match__in=[*mentees, *my_matches],
            starts_at__gte=now,
            status=Session.Status.SCHEDULED,
        ).select_related("match__student", "match__mentor__user")[:8]
    )
    towns = selectors.mentee_tenants(user) if not mentees else []
    terms = [t for town in towns for t in selectors.open_terms(town)]
    open_ids = {m.term_id for m in my_matches if m.status == Match.Status.ACTIVE}
    return render(
        request,
        "mentoring/home.html",
        {
            "mentees": [
                (m, why_text(m.why), hour_label(m.hour_of_week)) for m in mentees
            ],
            "my_matches": [
                (m, why_text(m.why), hour_label(m.hour_of_week)) for m in my_matches
            ],
            "upcoming": upcoming,
            "terms": [t for t in terms if t.pk not in open_ids],
            "profiles": list(selectors.own_mentor_profiles(user)),
            "is_staff": selectors.staff_tenant_ids(user) is None
            or bool(selectors.staff_tenant_ids(user)),
            "can_report": bool(towns) or bool(my_matches),
        },
    )


@require_http_methods(["GET", "POST"])
@domain_view
def mentor_apply(request: HttpRequest) -> HttpResponse:
    tenants = Tenant.objects.filter(status=Tenant.Status.ACTIVE)
    tenant = (
        tenants.filter(slug=request.GET.get("town") or "seoul").first()
        or tenants.first()
    )
    if tenant is None:
        raise Http404()
    form = MentorApplyForm(request.POST or None, tenant_id=tenant.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.mentor_apply(
                actor=request.user,
                tenant=tenant,
                data=services.MentorInput(
                    university_id=d["university"].pk,
                    major=d["major"],
                    year=d["year"],
                    subjects=d["subjects"],
                    levels=d["levels"],
                    availability=d["availability"],
                    mode=d["mode"],
                    district_ids=[x.pk for x in d["districts"]],
                    gender=d["gender"] or "",
                    capacity=d["capacity"],
                ),
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(
                request, _("Thank you. Staff will screen your application.")
            )
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("Apply to be a mentor in %(town)s") % {"town": tenant.name},
            "towns": tenants,
            "town": tenant,
            "multipart": False,
        },
    )


@require_http_methods(["GET", "POST"])
@domain_view
def mentor_documents(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.own_mentor_profiles(request.user).filter(pk=profile_id).first()
    if profile is None:
        raise Http404()
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_document_add(
                actor=request.user,
                profile_id=profile.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("mentoring:documents", profile_id=profile.pk)
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("Documents for your mentor application"),
            "items": [d.get_kind_display() for d in profile.documents.all()],
            "multipart": True,
        },
    )


@require_http_methods(["GET", "POST"])
@domain_view
def survey(request: HttpRequest, term_id: int) -> HttpResponse:
    term = selectors.Term.objects.filter(pk=term_id).first()
    if term is None or not selectors.mentee_eligible(request.user, term.tenant_id):
        raise Http404()
    existing = term.surveys.filter(student=request.user).first()
    initial = {}
    if existing:
        initial = {
            f: getattr(existing, f)
            for f in (
                "subjects",
                "level",
                "availability",
                "mode",
                "place",
                "mentor_gender",
                "wants_taster",
                "notes",
            )
        }
        initial.update(district=existing.district_id, university=existing.university_id)
    form = SurveyForm(request.POST or None, tenant_id=term.tenant_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.survey_submit(
                actor=request.user,
                term_id=term.pk,
                data=SurveyInput(
                    subjects=d["subjects"],
                    level=d["level"],
                    availability=d["availability"],
                    mode=d["mode"],
                    district_id=d["district"].pk if d["district"] else None,
                    place=d["place"],
                    mentor_gender=d["mentor_gender"] or "",
                    university_id=d["university"].pk if d["university"] else None,
                    wants_taster=d["wants_taster"],
                    notes=d["notes"],
                ),
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(
                request, _("Thank you. We will tell you when you have a mentor.")
            )
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form_page.html",
        {"form": form, "title": _("Find a mentor: %(term)s") % {"term": term.name}},
    )


@require_http_methods(["GET"])
@domain_view
def pair(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get(request.user, match_id)
    role = (
        "mentor"
        if request.user.pk == match.mentor.user_id
        else "student"
        if request.user.pk == match.student_id
        else "staff"
    )
    if role == "staff":
        from nanum.core.services import access_record

        access_record(
            actor=request.user,
            action="view",
            subject=match.student,
            object_type="mentoring.match",
            object_id=str(match.pk),
            tenant=match.tenant,
            request=request,
        )
    sessions = list(
        match.sessions.select_related("report", "rating").order_by("starts_at")
    )
    return render(
        request,
        "mentoring/pair.html",
        {
            "match": match,
            "role": role,
            "why": why_text(match.why),
            "slot": hour_label(match.hour_of_week),
            "second_slot": (
                hour_label(match.second_hour_of_week)
                if match.second_hour_of_week is not None
                else ""
            ),
            "sessions": sessions,
            "now": timezone.now(),
            "messages_list": list(match.messages.select_related("sender")),
            "message_form": MessageForm(),
            "second_form": SecondSessionForm() if role == "mentor" else None,
        },
    )


@require_POST
@domain_view
def session_confirm(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(request.user, session_id)
    try:
        services.session_confirm(actor=request.user, session_id=session.pk)
        messages.success(request, _("Attendance confirmed."))
    except DomainError as exc:
        show_error(request, None, exc)
    return redirect("mentoring:pair", match_id=session.match_id)


@require_http_methods(["GET", "POST"])
@domain_view
def session_report(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(request.user, session_id)
    if request.user.pk != session.match.mentor.user_id:
        raise Http404()
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_report_file(
                actor=request.user,
                session_id=session.pk,
                data=ReportInput(**form.cleaned_data),
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("Report filed."))
            return redirect("mentoring:pair", match_id=session.match_id)
    return render(
        request,
        "mentoring/form_page.html",
        {"form": form, "title": _("Session report")},
    )


@require_http_methods(["GET", "POST"])
@domain_view
def session_rate(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(request.user, session_id)
    if request.user.pk != session.match.student_id:
        raise Http404()
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_rate(
                actor=request.user,
                session_id=session.pk,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("Thank you for rating the session."))
            return redirect("mentoring:pair", match_id=session.match_id)
    return render(
        request,
        "mentoring/form_page.html",
        {"form": form, "title": _("Rate the session")},
    )


@require_POST
@domain_view
def message_send(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get(request.user, match_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(
                actor=request.user, match_id=match.pk, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            show_error(request, None, exc)
    else:
        messages.error(request, _("Write a message of at most 2000 characters."))
    return redirect("mentoring:pair", match_id=match.pk)


@require_POST
@domain_view
def taster_decide(request: HttpRequest, match_id: int) -> HttpResponse:
    try:
        services.match_taster_decide(
            actor=request.user, match_id=match_id, keep=request.POST.get("keep") == "1"
        )
        messages.success(request, _("Thank you. Your choice was saved."))
    except DomainError as exc:
        show_error(request, None, exc)
    return redirect("mentoring:home")


@require_POST
@domain_view
def second_session(request: HttpRequest, match_id: int) -> HttpResponse:
    form = SecondSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an hour when both of you are free."))
    else:
        try:
            services.match_add_second_session(
                actor=request.user,
                match_id=match_id,
                hour_of_week=form.cleaned_data["hour_of_week"],
            )
            messages.success(request, _("A second weekly session was added."))
        except DomainError as exc:
            show_error(request, None, exc)
    return redirect("mentoring:pair", match_id=match_id)


@require_POST
@domain_view
def meeting(request: HttpRequest, match_id: int) -> HttpResponse:
    try:
        services.match_set_meeting(
            actor=request.user,
            match_id=match_id,
            online_link=request.POST.get("online_link", ""),
            place=request.POST.get("place", ""),
        )
        messages.success(request, _("Saved."))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        msgs = [str(e) for errs in exc.field_errors.values() for e in errs]
        messages.error(request, " ".join(msgs) or str(exc.message))
    return redirect("mentoring:pair", match_id=match_id)


@require_http_methods(["GET", "POST"])
@domain_view
def problem(request: HttpRequest) -> HttpResponse:
    match_id = request.GET.get("pair") or request.POST.get("pair")
    match_id = int(match_id) if match_id and str(match_id).isdigit() else None
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_report(
                actor=request.user, body=form.cleaned_data["body"], match_id=match_id
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(
                request, _("Thank you. Staff have been told and will contact you.")
            )
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("Report a problem to staff"),
            "hidden": {"pair": match_id or ""},
        },
    )
