"""Every change to procedure cases, by concept:

- ``cases``: the engine shared by all three procedures: record a step (order 409, who acts
  403, dates against the step's windows 422 citing the rule, the named validation), correct
  a step, cancel a case; keeps the case's next deadline;
- ``effects``: what a recorded step changes on the member or org (by step code);
- ``development``: open a development case, log activist reviews, extend probation;
- ``transfers``: apply for and return a transfer of membership;
- ``elections``: open an election case;
- ``materials``: upload a step's materials.

Reads (a case's steps and records, step windows, who may act) are in ``selectors``; they
are re-exported here for the callers that import them from services. Reach is checked by
the caller through the gate (404); services check the domain's role rules (``Forbidden``).
"""

from dangjian.development.selectors import can_act, can_correct, probation_end, step_window
from dangjian.development.services.cases import (
    DETAIL_URL,
    EARLIEST_DAY,
    case_cancel,
    case_step_correct,
    case_step_record,
)
from dangjian.development.services.development import (
    case_extend_probation,
    case_review_add,
    development_case_open,
)
from dangjian.development.services.effects import EFFECTS
from dangjian.development.services.elections import election_open
from dangjian.development.services.materials import (
    MATERIAL_TYPES,
    OTHER_MATERIAL,
    material_add,
    material_type,
)
from dangjian.development.services.transfers import transfer_create, transfer_return

__all__ = [
    "DETAIL_URL",
    "EARLIEST_DAY",
    "EFFECTS",
    "MATERIAL_TYPES",
    "OTHER_MATERIAL",
    "can_act",
    "can_correct",
    "case_cancel",
    "case_extend_probation",
    "case_review_add",
    "case_step_correct",
    "case_step_record",
    "development_case_open",
    "election_open",
    "material_add",
    "material_type",
    "probation_end",
    "step_window",
    "transfer_create",
    "transfer_return",
]
