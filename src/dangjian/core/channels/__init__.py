"""Outgoing channels (多平台融合): an org's WeChat Work, DingTalk and Feishu robots, generic
webhooks and mailboxes, which receive a copy of what is published to the org.

- ``formats``: each provider's native message and signature (pure functions);
- ``services``: creating, changing, disabling and testing a channel; queuing deliveries;
- ``selectors``: reads through the gate;
- ``receivers``: the receiver of ``core.signals.published``;
- ``delivery``: the worker's side: the task ``deliver``, one attempt, retries;
- ``views`` / ``api``: the pages (``/channels/``) and ``/api/v1/channels``.
"""
