"""Every write of Seoul Learn, one module per area (see docs/CONVENTIONS.md §1).

Other apps use the names re-exported here (the mentoring tests build members with
``application_submit`` and ``application_approve``; the learner model records answers
with ``answer_record``).
"""

from nanum.core.services.documents import BadDocument

from ._school import GuardianChecksMissing
from .access import (
    ApplicationFilter,
    DecisionInput,
    application_decide,
    application_open,
    applications_export_open,
    applications_open,
    document_open,
    reward_candidates_open,
)
from .applications import (
    ApplicationInput,
    DuplicateApplication,
    NotEligible,
    application_add_documents,
    application_approve,
    application_reject,
    application_request_documents,
    application_submit,
    application_withdraw,
)
from .children import (
    CODE_TTL as CHILD_CODE_TTL,
)
from .children import (
    ChildNotConfirmed,
    child_code_issue,
    child_code_redeem,
    child_handoff_link,
    child_password_set,
    child_seat_choose,
)
from .guardians import child_register
from .home import home_touch
from .jump import (
    ProgrammeInput,
    reward_apply,
    reward_programme_create,
    reward_select,
    reward_shortlist_make,
    reward_travel_consent,
)
from .lectures import LectureImport, lecture_catalogue_import, lecture_rows_read
from .membership import (
    application_renew,
    application_request_renewal,
    memberships_expire,
    renewal_reminders_send,
    restriction_lift,
)
from .privacy import my_data, my_data_zip, retention_purge
from .provider_staff import (
    town_provider_staff_deactivate,
    town_provider_staff_password,
    town_provider_staff_reactivate,
)
from .quota import places_allocate
from .rewards import recommendation_add, reward_decide, reward_shortlist_build
from .seats import (
    SeatsFull,
    handoff_link,
    handoff_verify,
    seat_choose,
    seats_assign_bulk,
    seats_fill,
)
from .study import (
    answer_record,
    goal_set,
    lesson_complete,
    lesson_start,
    plan_entry_add,
    plan_entry_remove,
)
from .town_providers import (
    ProviderInput,
    StaffAccount,
    town_provider_add,
    town_provider_secret,
    town_provider_staff_add,
    town_provider_update,
)
from .towns import (
    TownInput,
    TownPage,
    TownRules,
    town_create,
    town_logo_update,
    town_notice_add,
    town_notice_delete,
    town_page_update,
    town_rules_update,
    town_seats_update,
)
from .usage import (
    inactivity_sweep,
    monthly_minimum_check,
    usage_import,
    usage_parse_csv,
)

__all__ = [
    "CHILD_CODE_TTL",
    "ApplicationFilter",
    "ApplicationInput",
    "BadDocument",
    "ChildNotConfirmed",
    "DecisionInput",
    "DuplicateApplication",
    "GuardianChecksMissing",
    "LectureImport",
    "NotEligible",
    "ProgrammeInput",
    "ProviderInput",
    "SeatsFull",
    "StaffAccount",
    "TownInput",
    "TownPage",
    "TownRules",
    "answer_record",
    "application_add_documents",
    "application_approve",
    "application_decide",
    "application_open",
    "application_reject",
    "application_renew",
    "application_request_documents",
    "application_request_renewal",
    "application_submit",
    "application_withdraw",
    "applications_export_open",
    "applications_open",
    "child_code_issue",
    "child_code_redeem",
    "child_handoff_link",
    "child_password_set",
    "child_register",
    "child_seat_choose",
    "document_open",
    "goal_set",
    "handoff_link",
    "handoff_verify",
    "home_touch",
    "inactivity_sweep",
    "lecture_catalogue_import",
    "lecture_rows_read",
    "lesson_complete",
    "lesson_start",
    "memberships_expire",
    "monthly_minimum_check",
    "my_data",
    "my_data_zip",
    "places_allocate",
    "plan_entry_add",
    "plan_entry_remove",
    "recommendation_add",
    "renewal_reminders_send",
    "restriction_lift",
    "retention_purge",
    "reward_apply",
    "reward_candidates_open",
    "reward_decide",
    "reward_programme_create",
    "reward_select",
    "reward_shortlist_build",
    "reward_shortlist_make",
    "reward_travel_consent",
    "seat_choose",
    "seats_assign_bulk",
    "seats_fill",
    "town_create",
    "town_logo_update",
    "town_notice_add",
    "town_notice_delete",
    "town_page_update",
    "town_provider_add",
    "town_provider_secret",
    "town_provider_staff_add",
    "town_provider_staff_deactivate",
    "town_provider_staff_password",
    "town_provider_staff_reactivate",
    "town_provider_update",
    "town_rules_update",
    "town_seats_update",
    "usage_import",
    "usage_parse_csv",
]
