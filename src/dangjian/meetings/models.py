"""Organizational life: meetings (三会一课, 主题党日, 组织生活会, 谈心谈话)."""

from __future__ import annotations

from django.db import models

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


class MeetingQuerySet(ScopedQuerySet):
    def held(self):
        return self.filter(status=Meeting.Status.HELD)


class Meeting(TimeStamped):
    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", "支部党员大会"
        BOARD_MEETING = "board_meeting", "支部委员会会议"
        GROUP_MEETING = "group_meeting", "党小组会"
        PARTY_LECTURE = "party_lecture", "党课"
        THEME_DAY = "theme_day", "主题党日"
        LIFE_MEETING = "life_meeting", "组织生活会"
        HEART_TALK = "heart_talk", "谈心谈话"

    class Status(models.TextChoices):
        PLANNED = "planned", "计划"
        HELD = "held", "已召开"
        CANCELLED = "cancelled", "已取消"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="meetings", verbose_name="党组织"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    topic = models.CharField("主题", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField("计划日期", null=True, blank=True)
    held_at = models.DateTimeField("召开时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)

    objects = MeetingQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-held_at", "-planned_on", "-id"]
        verbose_name = "会议"
        indexes = [
            models.Index(fields=["org", "kind", "status", "held_at"], name="meeting_check_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"
