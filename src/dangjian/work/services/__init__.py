"""Every change to 党建+业务 data, by concept:

- ``initiatives``: joint initiatives and their phases, attachments, tasks and their progress;
- ``plans``: the annual key points, their decomposition to every branch, the one feedback;
- ``posts``: vanguard posts, responsibility zones, pledges and their fulfilment;
- ``common``: the checks shared by the above.

The view or API operation has loaded the object through the gate; a service checks the
domain's rules and writes one audit entry.
"""

from dangjian.work.services.initiatives import (
    initiative_advance,
    initiative_attach,
    initiative_create,
    phase_gaps,
    task_assign,
    task_complete,
    task_progress,
)
from dangjian.work.services.plans import feedback_file, plan_create, plan_publish
from dangjian.work.services.posts import POST_MODELS, pledge_fulfil, pledge_make, post_create

__all__ = [
    "POST_MODELS",
    "feedback_file",
    "initiative_advance",
    "initiative_attach",
    "initiative_create",
    "phase_gaps",
    "plan_create",
    "plan_publish",
    "pledge_fulfil",
    "pledge_make",
    "post_create",
    "task_assign",
    "task_complete",
    "task_progress",
]
