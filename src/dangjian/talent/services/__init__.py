"""Every write of the talent app (issue 16, parts 1 and 2)."""

from dangjian.talent.services.pool import (
    assignment_close,
    assignment_create,
    can_review,
    certificate_add,
    skill_add,
    skills_named,
    talent_confirm,
    talent_consent,
    talent_nominate,
    talent_retire,
    talent_review,
)
from dangjian.talent.services.tracks import (
    position_full_time_set,
    track_create,
    track_hours_set,
    track_item_add,
    unit_staff_count_set,
)

__all__ = [
    "assignment_close",
    "assignment_create",
    "can_review",
    "certificate_add",
    "position_full_time_set",
    "skill_add",
    "skills_named",
    "talent_confirm",
    "talent_consent",
    "talent_nominate",
    "talent_retire",
    "talent_review",
    "track_create",
    "track_hours_set",
    "track_item_add",
    "unit_staff_count_set",
]
