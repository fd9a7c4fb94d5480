"""Every change to organizational life, by concept:

- ``meetings``: create, update, cancel a meeting, send its notice, attach photos and PDFs;
- ``records``: record a meeting as held (minutes, attendance with exceptions, 补学 asked);
- ``attendance``: sign-in (QR or code), the secretary's marking, leave and its decision,
  make-up study;
- ``votes``: votes on resolutions at the 支部党员大会;
- ``life``: criticism and self-criticism at the 组织生活会, onto the rectification list;
- ``plan``: the annual plan (generate, move, schedule a slot, remind);
- ``appraisals``: the yearly 民主评议党员;
- ``common``: helpers shared by the above (the acting member, Beijing dates, who is told).

Reads (who should attend, voting members, slot statuses) are in ``selectors``. Reach is
checked by the caller through the gate (404); services check the domain's rules.
"""

from dangjian.meetings.services.appraisals import (
    appraisal_finalize,
    appraisal_open,
    appraisal_rate,
    appraisal_self_assess,
)
from dangjian.meetings.services.attendance import (
    attendance_mark,
    leave_decide,
    leave_request,
    makeup_acknowledge,
    meeting_sign_in,
)
from dangjian.meetings.services.common import SIGN_IN_EARLY, SIGN_IN_LATE
from dangjian.meetings.services.life import criticism_add, criticism_to_rectification
from dangjian.meetings.services.meetings import (
    attachment_add,
    attendance_ensure,
    meeting_cancel,
    meeting_create,
    meeting_send_notice,
    meeting_update,
)
from dangjian.meetings.services.plan import (
    plan_generate,
    plan_send_reminders,
    plan_slot_move,
    plan_slot_schedule,
)
from dangjian.meetings.services.records import meeting_record
from dangjian.meetings.services.votes import vote_record

__all__ = [
    "SIGN_IN_EARLY",
    "SIGN_IN_LATE",
    "appraisal_finalize",
    "appraisal_open",
    "appraisal_rate",
    "appraisal_self_assess",
    "attachment_add",
    "attendance_ensure",
    "attendance_mark",
    "criticism_add",
    "criticism_to_rectification",
    "leave_decide",
    "leave_request",
    "makeup_acknowledge",
    "meeting_cancel",
    "meeting_create",
    "meeting_record",
    "meeting_send_notice",
    "meeting_sign_in",
    "meeting_update",
    "plan_generate",
    "plan_send_reminders",
    "plan_slot_move",
    "plan_slot_schedule",
    "vote_record",
]
