"""Every read of insights that has rules (scope, role, project membership)."""

from .cells import Hidden, cells_to_hide, is_small
from .equity import (
    DIMENSIONS,
    EXPORT_HEADER,
    Cell,
    Dashboard,
    EquityFilters,
    ResourceView,
    equity_dashboard,
    equity_rows,
    equity_terms,
    priority_share,
)
from .need import need_history, school_get, school_list
from .research import (
    consent_members,
    consent_of,
    consenting_member_ids,
    export_get,
    export_list,
    is_researcher,
    project_get,
    project_list,
)
from .scope import MIN_CELL, EquityScope, can_see_equity, equity_scope

__all__ = [
    "DIMENSIONS",
    "EXPORT_HEADER",
    "MIN_CELL",
    "Cell",
    "Dashboard",
    "EquityFilters",
    "EquityScope",
    "Hidden",
    "ResourceView",
    "can_see_equity",
    "cells_to_hide",
    "consent_members",
    "consent_of",
    "consenting_member_ids",
    "equity_dashboard",
    "equity_rows",
    "equity_scope",
    "equity_terms",
    "export_get",
    "export_list",
    "is_researcher",
    "is_small",
    "need_history",
    "priority_share",
    "project_get",
    "project_list",
    "school_get",
    "school_list",
]
