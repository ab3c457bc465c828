"""The role-aware navigation: which pages each role sees in the menu and home page.

Apps add their entries here. An entry whose URL name does not resolve (an app that
is not built yet) is left out rather than breaking the page.

Town services: an entry may name the town service it leads to (``service``, a key of
the towns' service switches such as ``"mentoring"``, ``"counselling"`` or ``"jump"``).
``core`` does not know towns' rules (it imports no app), so an app registers a
*service gate* in its ``AppConfig.ready()`` with :func:`service_gate_register`: a
callable that returns the services offered to a user (Seoul Learn: the switches of
the towns where the user, or a guardian's child, is a live member). The rule, for the menu, the home
page cards and the in-page links that ask :func:`nav_allows`:

- a member (``MEMBER_ROLES``: student, guardian) sees a service's entry only when a
  town of theirs offers the service, so nobody is sent to a page with nothing in it;
- a user who also holds one of the entry's other roles (a counsellor, a town
  officer, an administrator) keeps seeing it as before: they run the service, and
  their page says what their town lacks;
- with no gate registered, nothing is hidden.

The pages themselves still refuse on their own; this only keeps dead-end links out
of sight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Role, User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]
    description: str | Promise = ""
    service: str | None = None
    #: Appended to the page's URL (a list filtered to what the entry names).
    query: str = ""


def _r(*roles: str) -> frozenset[str]:
    return frozenset(roles)


STAFF = _r(Role.ADMINISTRATOR)
# The roles that see a service's entry only where their town offers the service.
MEMBER_ROLES = _r(Role.STUDENT, Role.GUARDIAN)

ServiceGate = Callable[[User], Iterable[str]]
_service_gates: list[ServiceGate] = []


def service_gate_register(gate: ServiceGate) -> None:
    """Add ``gate`` (user -> the services offered to them); registering twice is once."""
    if gate not in _service_gates:
        _service_gates.append(gate)


def services_offered(user: User) -> set[str] | None:
    """The services the user's towns offer; None when no app registered a gate."""
    if not _service_gates:
        return None
    if not user.is_authenticated:
        return set()
    offered: set[str] = set()
    for gate in _service_gates:
        offered.update(gate(user))
    return offered


NAV_ITEMS: list[NavItem] = [
    NavItem(
        "lending:search",
        _("Find equipment"),
        _r(Role.TEACHER, Role.BANK_STAFF, Role.ADMINISTRATOR),
        _("Search the K-STEM Bank and reserve teaching equipment for a class."),
    ),
    NavItem(
        "lending:my_reservations",
        _("My reservations"),
        _r(Role.TEACHER),
        _("Reservations for your school, their status and the calendar feed."),
    ),
    NavItem(
        "lending:board",
        _("Bank daily board"),
        _r(Role.BANK_STAFF, Role.ADMINISTRATOR),
        _("Pickups, returns, overdue loans and approvals waiting."),
    ),
    NavItem(
        "lending:staff_search",
        _("Find a reservation"),
        _r(Role.BANK_STAFF, Role.ADMINISTRATOR),
        _("Search reservations by number, school, teacher, tag, status or dates."),
    ),
    NavItem(
        "lending:research_my",
        _("My research equipment requests"),
        _r(Role.TEACHER),
        _(
            "Idle research equipment of universities and institutes (ZEUS) you asked for."
        ),
    ),
    NavItem(
        "lending:research_review",
        _("Research equipment requests"),
        _r(Role.BANK_STAFF, Role.ADMINISTRATOR),
        _("Review requests for ZEUS research equipment; hand out and take back."),
    ),
    NavItem(
        "learning:student_home",
        _("My learning"),
        _r(Role.STUDENT),
        _("Your lectures, study time, plan and recommendations."),
    ),
    NavItem(
        "learner_model:recommendations",
        _("Recommended for you"),
        _r(Role.STUDENT),
        _("Lessons and questions picked for what you need next."),
    ),
    NavItem(
        "learner_model:my_students",
        _("My students' progress"),
        _r(Role.TEACHER),
        _("Mastery maps by achievement standard for students at your school."),
    ),
    NavItem(
        "learning:apply",
        _("Apply to Seoul Learn"),
        _r(Role.STUDENT, Role.GUARDIAN),
        _("Apply for free online lectures and mentoring."),
    ),
    NavItem(
        "learning:children",
        _("My children"),
        _r(Role.GUARDIAN),
        _("Add a child under 14, follow their study, choose their site and sign-in."),
    ),
    NavItem(
        "learning:review_queue",
        _("Applications to review"),
        _r(Role.TENANT_OFFICER, Role.ADMINISTRATOR),
        _("Review applications of your town's students."),
    ),
    NavItem(
        "learning:town_list",
        _("Town page and rules"),
        _r(Role.TENANT_OFFICER, Role.ADMINISTRATOR),
        _("Your town's page, rules, services, providers and notices; add a town."),
    ),
    NavItem(
        "learning:jump_programmes",
        _("& Jump programmes"),
        _r(Role.TENANT_OFFICER, Role.ADMINISTRATOR),
        _("Reward programmes: applications, shortlist and selection."),
    ),
    NavItem(
        "learning:jump",
        _("& Jump rewards"),
        _r(Role.STUDENT, Role.GUARDIAN),
        _("Reward programmes you can apply to, and consents for your child."),
        service="jump",
    ),
    NavItem(
        "programs:list",
        _("Programmes"),
        _r(
            Role.STUDENT,
            Role.GUARDIAN,
            Role.TEACHER,
            Role.CENTRE_STAFF,
            Role.ADMINISTRATOR,
        ),
        _("Classes, camps, academies and teacher training at the centres."),
    ),
    NavItem(
        "programs:list",
        _("Camps"),
        _r(Role.STUDENT),
        _("Science camps your town runs: dates, places and how to apply."),
        service="camp",
        query="?kind=camp",
    ),
    NavItem(
        "programs:organiser",
        _("Run programmes"),
        _r(Role.CENTRE_STAFF, Role.ADMINISTRATOR),
        _("Applications, selection, attendance and certificates."),
    ),
    NavItem(
        "mentoring:home",
        _("Mentoring"),
        _r(Role.MENTOR, Role.STUDENT, Role.ADMINISTRATOR, Role.TENANT_OFFICER),
        _("Sessions, reports and messages with your mentor or mentees."),
        service="mentoring",
    ),
    NavItem(
        "mentoring:counselling",
        _("Counselling"),
        _r(Role.COUNSELLOR, Role.STUDENT),
        _("Career and admissions consultations."),
        service="counselling",
    ),
    NavItem(
        "learning:provider_home",
        _("Seats and usage"),
        _r(Role.PROVIDER),
        _("Seat assignments and usage reports."),
    ),
    NavItem(
        "insights:dashboard",
        _("Equity dashboard"),
        _r(Role.ADMINISTRATOR, Role.TENANT_OFFICER),
        _("Demand and allocation of scarce resources by need, district and level."),
    ),
    NavItem(
        "insights:research",
        _("Research data"),
        _r(Role.RESEARCHER),
        _("Your approved projects and their de-identified exports."),
    ),
    NavItem(
        "insights:consent",
        _("Research consent"),
        _r(Role.STUDENT, Role.GUARDIAN),
        _("Choose whether de-identified data may be used for research."),
    ),
    NavItem(
        "admin:index",
        _("Administration"),
        _r(Role.ADMINISTRATOR),
        _("The Django admin for platform administrators."),
    ),
]


def _roles_of(user: User) -> set[str]:
    roles = set(user.role_set())
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


class _Visibility:
    """The menu rule for one user; the offered services are read once, if needed."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.roles = _roles_of(user)
        self._offered: set[str] | None = None
        self._read = False

    def offered(self) -> set[str] | None:
        if not self._read:
            self._offered = services_offered(self.user)
            self._read = True
        return self._offered

    def shows(self, item: NavItem) -> bool:
        held = item.roles & self.roles
        if not held:
            return False
        if item.service is None or held - MEMBER_ROLES:
            return True
        offered = self.offered()
        return offered is None or item.service in offered


def nav_allows(user: User, url_name: str) -> bool:
    """Whether the menu shows ``user`` the entry ``url_name`` (role and town service):
    pages ask this before drawing a link to that page. False for no such entry."""
    if not user.is_authenticated:
        return False
    visibility = _Visibility(user)
    return any(
        item.url_name == url_name and visibility.shows(item) for item in NAV_ITEMS
    )


#: The menus made so far, by what decides them: the roles held, the services
#: offered (None: no gate), the language and the script prefix. A menu depends on
#: nothing else, so a kept one is never stale; there are few such combinations.
_MENUS: dict[tuple[object, ...], tuple[dict[str, str], ...]] = {}
_MENUS_MAX = 512
#: Whether the menu of a set of roles depends on the towns' services.
_ASKS: dict[frozenset[str], bool] = {}


def nav_for(user: User) -> list[dict[str, str]]:
    """The menu of ``user``: the entries of their roles and their towns' services.
    The roles and (for a member) the services are read each time: a town's switch
    shows at once; the entries' URLs and labels are made once per combination of
    them and the language (see ``_MENUS``)."""
    if not user.is_authenticated:
        return []
    visibility = _Visibility(user)
    roles = frozenset(visibility.roles)
    offered = visibility.offered() if _asks_services(roles) else None
    key = (
        roles,
        None if offered is None else frozenset(offered),
        get_language(),
        get_script_prefix(),
    )
    menu = _MENUS.get(key)
    if menu is None:
        menu = tuple(_menu(visibility))
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        _MENUS[key] = menu
    return [dict(entry) for entry in menu]


def _asks_services(roles: frozenset[str]) -> bool:
    """Whether the menu of these roles depends on the towns' services: an entry of
    a service that they hold only as members (so a teacher's menu reads no town)."""
    asks = _ASKS.get(roles)
    if asks is None:
        asks = any(
            item.service is not None
            and item.roles & roles
            and not (item.roles & roles) - MEMBER_ROLES
            for item in NAV_ITEMS
        )
        _ASKS[roles] = asks
    return asks


def _menu(visibility: _Visibility) -> list[dict[str, str]]:
    items = []
    for item in NAV_ITEMS:
        if not visibility.shows(item):
            continue
        try:
            url = reverse(item.url_name) + item.query
        except NoReverseMatch:
            continue
        items.append(
            {"url": url, "label": str(item.label), "description": str(item.description)}
        )
    return items
