"""驾驶舱 (the leadership dashboard): a placeholder, kept on purpose.

Nothing is built yet: the app has no models, no pages and no API. It stays installed so
that its URL prefix (``/dashboard/``, namespace ``dashboard``) exists and the side menu can
show 驾驶舱 as 建设中 (``core.menu``: an entry whose URL name does not resolve is shown as
建设中). The work that fills it will add its pages here (reading the other apps through
their selectors and the workbench figures), without moving anything.
"""
