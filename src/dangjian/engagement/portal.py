"""Sections of the public portal (``core.portal``): ask a question, follow it, read the FAQ."""

from dangjian.core.portal import section

section("consult", "我要咨询", "engagement_public:ask", icon="chat-dots", order=40)
section("track", "办理查询", "engagement_public:track", icon="search", order=41)
section("faq", "常见问题", "engagement_public:faq", icon="question-circle", order=42)
