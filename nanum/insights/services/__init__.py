"""Every write of insights: need index imports, equity facts, research data."""

from .agreements import (
    ProjectInput,
    research_project_approve,
    research_project_revoke,
    research_project_update,
)
from .deidentify import (
    KResult,
    birth_band,
    k_anonymise,
    person_export,
    project_key,
    pseudonym,
)
from .equity import (
    equity_refresh,
    equity_refresh_request,
    quintile_cuts,
    quintile_of,
    term_of,
)
from .need_index import (
    LIMITS as NEED_INDEX_LIMITS,
)
from .need_index import (
    REQUIRED as NEED_INDEX_COLUMNS,
)
from .need_index import (
    ImportResult,
    need_index_import,
    need_index_import_file,
    need_index_roll_year,
)
from .research import (
    EXPORT_DAYS,
    Group,
    check_agreement,
    consenting_people,
    key_for,
    old_enough,
    research_aggregate,
    research_consent_set,
    research_export_create,
    research_export_download,
    research_exports_expire,
)

__all__ = [
    "EXPORT_DAYS",
    "NEED_INDEX_COLUMNS",
    "NEED_INDEX_LIMITS",
    "Group",
    "ImportResult",
    "KResult",
    "ProjectInput",
    "birth_band",
    "check_agreement",
    "consenting_people",
    "equity_refresh",
    "equity_refresh_request",
    "k_anonymise",
    "key_for",
    "need_index_import",
    "need_index_import_file",
    "need_index_roll_year",
    "old_enough",
    "person_export",
    "project_key",
    "pseudonym",
    "quintile_cuts",
    "quintile_of",
    "research_aggregate",
    "research_consent_set",
    "research_export_create",
    "research_export_download",
    "research_exports_expire",
    "research_project_approve",
    "research_project_revoke",
    "research_project_update",
    "term_of",
]
