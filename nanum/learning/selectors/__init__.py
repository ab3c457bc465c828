"""Reads of Seoul Learn that have rules (town, role). Other apps use these too.

For the mentoring app: ``member_users``, ``is_active_member`` and
``tenant_offers_mentoring`` (the town's "mentoring" service switch). For the learner
model: ``interactions_for`` and the ``skills`` of ``Lesson``/``Item``
(achievement-standard codes such as [9수01-01]).

The reads live in one module per audience (``members``, ``towns``, ``officers``,
``providers``, ``students``; ``study`` for the learner model); this package re-exports
them, so ``nanum.learning.selectors.<name>`` keeps working.
"""

from __future__ import annotations

from ._rules import MINUTES_PER_MILEAGE, is_officer, mileage_of, officer_tenant_ids
from .guardians import (
    child_progress,
    guarded_child_get,
    guardian_checks_for,
    guardian_checks_missing,
)
from .jump import (
    member_town_ids,
    my_reward_applications,
    reward_applications_for_officer,
    reward_programme_member_get,
    reward_programme_officer_get,
    reward_programmes_for_officer,
    reward_programmes_open_to,
    reward_programmes_to_apply,
    student_mileage,
    travel_consents_pending,
)
from .lectures import (
    SeatLecture,
    provider_lectures,
    seat_lecture_url,
    seat_lectures,
)
from .members import (
    interactions_for,
    is_active_member,
    member_users,
    services_offered_to,
    tenant_offers_mentoring,
)
from .officers import (
    application_get,
    application_list,
    document_get,
    officer_applications,
    officer_towns,
    reward_candidate_list,
    seat_stats,
    usage_stats,
)
from .providers import provider_get, provider_seats
from .students import (
    child_get,
    child_links,
    course_list,
    lesson_get,
    my_application_get,
    my_applications,
    streak,
    student_home,
)
from .town_providers import (
    TownProvider,
    town_provider_get,
    town_provider_list,
    town_provider_secret_shown,
    town_provider_staff,
)
from .towns import (
    managed_town_get,
    managed_towns,
    offered_providers,
    open_policies,
    provider_organisations,
    tenant_offers,
    tenant_policy_get,
    town_editor,
    town_notices,
    town_page,
    town_policy_get,
    town_seats,
)

__all__ = [
    "MINUTES_PER_MILEAGE",
    "SeatLecture",
    "TownProvider",
    "application_get",
    "application_list",
    "child_get",
    "child_links",
    "child_progress",
    "course_list",
    "document_get",
    "guarded_child_get",
    "guardian_checks_for",
    "guardian_checks_missing",
    "interactions_for",
    "is_active_member",
    "is_officer",
    "lesson_get",
    "managed_town_get",
    "managed_towns",
    "member_town_ids",
    "member_users",
    "mileage_of",
    "my_application_get",
    "my_applications",
    "my_reward_applications",
    "offered_providers",
    "officer_applications",
    "officer_tenant_ids",
    "officer_towns",
    "open_policies",
    "provider_get",
    "provider_lectures",
    "provider_organisations",
    "provider_seats",
    "reward_applications_for_officer",
    "reward_candidate_list",
    "reward_programme_member_get",
    "reward_programme_officer_get",
    "reward_programmes_for_officer",
    "reward_programmes_open_to",
    "reward_programmes_to_apply",
    "seat_lecture_url",
    "seat_lectures",
    "seat_stats",
    "services_offered_to",
    "streak",
    "student_home",
    "student_mileage",
    "tenant_offers",
    "tenant_offers_mentoring",
    "tenant_policy_get",
    "town_editor",
    "town_notices",
    "town_page",
    "town_policy_get",
    "town_provider_get",
    "town_provider_list",
    "town_provider_secret_shown",
    "town_provider_staff",
    "town_seats",
    "travel_consents_pending",
    "usage_stats",
]
