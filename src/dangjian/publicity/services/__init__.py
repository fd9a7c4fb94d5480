"""Every change to publicity data, by concept:

- ``notices``: 通知公告, their attachments and read receipts;
- ``articles``: articles and role-model profiles while they are drafts;
- ``disclosure``: 党务公开 assembled from the records, its items;
- ``workflow``: the DSC-1 steps all three share (submit, review, approve, withdraw);
- ``common``: text, rich text, images, rules in force, the ``published`` signal.
"""

from dangjian.publicity.services.articles import (
    article_create,
    article_update,
    role_model_create,
    role_model_update,
)
from dangjian.publicity.services.disclosure import (
    disclosure_assemble,
    disclosure_item_regenerate,
    disclosure_item_save,
    disclosure_update,
)
from dangjian.publicity.services.notices import (
    notice_publish,
    notice_read,
    notice_update,
    notice_withdraw,
)
from dangjian.publicity.services.workflow import (
    publication_approve,
    publication_reopen,
    publication_review,
    publication_submit,
    publication_withdraw,
)

__all__ = [
    "article_create",
    "article_update",
    "disclosure_assemble",
    "disclosure_item_regenerate",
    "disclosure_item_save",
    "disclosure_update",
    "notice_publish",
    "notice_read",
    "notice_update",
    "notice_withdraw",
    "publication_approve",
    "publication_reopen",
    "publication_review",
    "publication_submit",
    "publication_withdraw",
    "role_model_create",
    "role_model_update",
]
