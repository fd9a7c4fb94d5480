"""Stable codes of the procedure steps.

Code refers to a step by its code (``Step.ADMISSION_MEETING``), never by its number: the
number is only the step's place in the template (its display order), which a later version
of a template may change. The codes are stored on each ``ProcedureStep`` (``code``) and the
templates in ``procedures.py`` give every step one.
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """The 25 steps of membership development (发展党员)."""

    APPLICATION = "application"  # 递交入党申请书
    APPLICATION_TALK = "application_talk"  # 党组织派人谈话
    ACTIVIST = "activist_confirmed"  # 确定入党积极分子
    ACTIVIST_FILED = "activist_filed"  # 报上级党委备案
    CONTACTS = "contacts_assigned"  # 指定培养联系人
    ACTIVIST_REVIEW = "activist_reviewed"  # 培养教育考察
    CANDIDATE = "candidate_confirmed"  # 确定发展对象
    CANDIDATE_FILED = "candidate_filed"  # 报上级党委备案
    SPONSORS = "sponsors_named"  # 确定入党介绍人
    POLITICAL_REVIEW = "political_review"  # 政治审查
    TRAINING = "training_done"  # 集中培训
    COMMITTEE_REVIEW = "committee_reviewed"  # 支部委员会审查
    PRE_REVIEW = "superior_prereviewed"  # 上级党委预审
    VOLUNTEER_FORM = "volunteer_form"  # 填写入党志愿书
    ADMISSION_MEETING = "admission_meeting"  # 支部大会讨论
    SUPERIOR_TALK = "superior_talk"  # 上级党委派人谈话
    ADMISSION_APPROVED = "admission_approved"  # 上级党委审批
    ADMISSION_FILED = "admission_filed"  # 再上一级党委组织部门备案
    GROUP = "group_assigned"  # 编入党支部和党小组
    OATH = "oath_taken"  # 入党宣誓
    PROBATION_EDUCATION = "probation_education"  # 继续教育考察
    FULL_APPLICATION = "full_application"  # 提出转正申请
    FULL_MEETING = "full_meeting"  # 支部大会讨论转正
    FULL_APPROVED = "full_approved"  # 上级党委审批转正
    ARCHIVED = "archived"  # 材料归档


class TransferStep(StrEnum):
    """The steps of a transfer of membership (组织关系转接)."""

    APPLIED = "transfer_applied"  # 申请转出
    LETTER = "letter_issued"  # 开具组织关系介绍信
    RECEIVED = "received"  # 接收方党组织接收


class ElectionStep(StrEnum):
    """The steps of an org's election (换届选举)."""

    REQUEST = "election_requested"  # 提出换届请示
    PLAN_APPROVED = "plan_approved"  # 上级党委批复选举方案
    CANDIDATES = "candidates_named"  # 确定候选人
    VOTE = "election_held"  # 召开党员大会选举
    RESULT_APPROVED = "result_approved"  # 上级党委批复选举结果
