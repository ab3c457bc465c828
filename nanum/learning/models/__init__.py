"""Seoul Learn data: towns' rules, applications, seats and usage, lessons and activity."""

from .applications import (
    LIVE_STATUSES,
    REVIEWABLE,
    Application,
    Document,
    GuardianLink,
    Status,
)
from .content import (
    Course,
    Interaction,
    Item,
    Lesson,
    LessonProgress,
    PlanEntry,
    Recommendation,
    RewardCandidate,
    StudyDay,
    WeeklyGoal,
)
from .home import HomeSummary
from .jump import RewardApplication, RewardProgramme
from .lectures import ProviderLecture
from .seats import ProviderCourse, ProviderProfile, Seat, SeatAllocation, UsageRecord
from .towns import (
    LOGO_CONTENT_TYPES,
    OFFICIAL_RECORD_CATEGORIES,
    SERVICE_CHOICES,
    Category,
    ChangeWindow,
    SchoolLevel,
    TenantNotice,
    TenantPolicy,
)

__all__ = [
    "LIVE_STATUSES",
    "LOGO_CONTENT_TYPES",
    "OFFICIAL_RECORD_CATEGORIES",
    "REVIEWABLE",
    "SERVICE_CHOICES",
    "Application",
    "Category",
    "ChangeWindow",
    "Course",
    "Document",
    "GuardianLink",
    "HomeSummary",
    "Interaction",
    "Item",
    "Lesson",
    "LessonProgress",
    "PlanEntry",
    "ProviderCourse",
    "ProviderLecture",
    "ProviderProfile",
    "Recommendation",
    "RewardApplication",
    "RewardCandidate",
    "RewardProgramme",
    "SchoolLevel",
    "Seat",
    "SeatAllocation",
    "Status",
    "StudyDay",
    "TenantNotice",
    "TenantPolicy",
    "UsageRecord",
    "WeeklyGoal",
]
