"""K-STEM Bank data: catalogue, assets, reservations, allocations, circulation.

Split by responsibility; every model and helper is re-exported here so
``from nanum.lending.models import X`` keeps working.
"""

from nanum.lending.models.catalogue import (
    Asset,
    Category,
    Consumable,
    EquipmentModel,
    TrainingRecord,
)
from nanum.lending.models.operations import (
    BankPolicy,
    CalendarFeed,
    DamageReport,
    ImportJob,
    MaintenanceTicket,
    Transfer,
)
from nanum.lending.models.research import (
    LOCAL_CONDITIONS,
    ResearchItem,
    ResearchRequest,
    ResearchVisitSlot,
    ZeusSync,
)
from nanum.lending.models.reservations import (
    Allocation,
    AllocationRound,
    ConsumableIssue,
    Inspection,
    Reservation,
    term_of,
)

__all__ = [
    "LOCAL_CONDITIONS",
    "Allocation",
    "AllocationRound",
    "Asset",
    "BankPolicy",
    "CalendarFeed",
    "Category",
    "Consumable",
    "ConsumableIssue",
    "DamageReport",
    "EquipmentModel",
    "ImportJob",
    "Inspection",
    "MaintenanceTicket",
    "ResearchItem",
    "ResearchRequest",
    "ResearchVisitSlot",
    "Reservation",
    "TrainingRecord",
    "Transfer",
    "ZeusSync",
    "term_of",
]
