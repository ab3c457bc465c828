"""Every write of mentoring and counselling (see docs/CONVENTIONS.md), and the
"open" services that log who opened whose data."""

from ._common import hour_label
from .adjust import match_add_manual, match_adjust, match_remove
from .counselling import (
    booking_cancel,
    booking_create,
    booking_notes_save,
    counselling_reminders_send,
    slot_cancel,
    slot_publish,
)
from .guardians import ChildMentoring, child_mentoring_open
from .match_runs import (
    RUN_NOTE_LABELS,
    match_run_compute,
    match_run_create,
    run_note_text,
)
from .matching import REASON_LABELS, why_text
from .mentors import (
    MentorInput,
    mentor_activate,
    mentor_apply,
    mentor_document_add,
    mentor_leave,
    mentor_screen,
    mentor_set_capacity,
)
from .opening import (
    ChooseView,
    PairView,
    RunView,
    match_messages_open,
    match_open,
    match_run_open,
    match_run_view,
    matches_open,
    mentor_document_open,
    mentor_profile_open,
    survey_open,
)
from .pairs import (
    end_match,
    match_add_second_session,
    match_run_publish,
    match_set_meeting,
    match_taster_decide,
)
from .sessions import (
    ReportInput,
    mentor_hours,
    mentor_hours_export,
    message_send,
    problem_report,
    session_confirm,
    session_rate,
    session_report_file,
    sessions_check_missed,
)
from .surveys import SurveyInput, survey_submit, term_create

__all__ = [
    "REASON_LABELS",
    "RUN_NOTE_LABELS",
    "ChildMentoring",
    "ChooseView",
    "MentorInput",
    "PairView",
    "ReportInput",
    "RunView",
    "SurveyInput",
    "booking_cancel",
    "booking_create",
    "booking_notes_save",
    "child_mentoring_open",
    "counselling_reminders_send",
    "end_match",
    "hour_label",
    "match_add_manual",
    "match_add_second_session",
    "match_adjust",
    "match_messages_open",
    "match_open",
    "match_remove",
    "match_run_compute",
    "match_run_create",
    "match_run_open",
    "match_run_publish",
    "match_run_view",
    "match_set_meeting",
    "match_taster_decide",
    "matches_open",
    "mentor_activate",
    "mentor_apply",
    "mentor_document_add",
    "mentor_document_open",
    "mentor_hours",
    "mentor_hours_export",
    "mentor_leave",
    "mentor_profile_open",
    "mentor_screen",
    "mentor_set_capacity",
    "message_send",
    "problem_report",
    "run_note_text",
    "session_confirm",
    "session_rate",
    "session_report_file",
    "sessions_check_missed",
    "slot_cancel",
    "slot_publish",
    "survey_open",
    "survey_submit",
    "term_create",
    "why_text",
]
