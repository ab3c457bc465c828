"""Mentors, matching, sessions and counselling."""

from .choices import (  # noqa: F401
    LEVEL_INDEX,
    MODE_BITS,
    SUBJECT_INDEX,
    USER,
    Gender,
    Level,
    Mode,
    Subject,
    level_labels,
    subject_labels,
)
from .counselling import (  # noqa: F401
    CounsellingBooking,
    CounsellingSlot,
)
from .pairs import (  # noqa: F401
    Match,
    MatchRun,
    Message,
    ProblemReport,
    Session,
    SessionRating,
    SessionReport,
    UnmatchedStudent,
)
from .people import (  # noqa: F401
    MenteeSurvey,
    MentorDocument,
    MentorProfile,
    Term,
)
