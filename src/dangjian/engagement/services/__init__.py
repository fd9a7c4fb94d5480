"""Every change to consultation and survey data:

- ``consultations``: asking (member or public), routing, replying, rating, FAQ publication,
  the topics orgs answer for;
- ``surveys``: creating, editing (drafts), opening and closing surveys, one-time tokens,
  answering, results.

The view or API operation has loaded the object through the gate; a service checks the
domain's rules and writes one audit entry.
"""

from dangjian.engagement.services.consultations import (
    consultation_ask,
    consultation_faq,
    consultation_rate,
    consultation_reply,
    normalize_code,
    topic_create,
)
from dangjian.engagement.services.surveys import (
    survey_close,
    survey_create,
    survey_open,
    survey_respond,
    survey_results,
    survey_tokens_issue,
    survey_update,
)

__all__ = [
    "consultation_ask",
    "consultation_faq",
    "consultation_rate",
    "consultation_reply",
    "normalize_code",
    "survey_close",
    "survey_create",
    "survey_open",
    "survey_respond",
    "survey_results",
    "survey_tokens_issue",
    "survey_update",
    "topic_create",
]
