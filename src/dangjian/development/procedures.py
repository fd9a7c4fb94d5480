"""The shipped procedure templates (一件事): steps, who acts, materials, time windows.

Every step has a stable code (``steps.py``); its number is only its place in the order.
What a step asks for is the pydantic schema of its named validation (``stepdata.py``).

A time window is ``{"rule", "param", "unit", "from", "kind"}``: the bound is the date of
``from`` (an earlier step's code, or a named anchor such as ``"probation_end"`` or
``"term_end"``; templates stored before step codes existed name the step's number) plus
``sign`` × the rule parameter ``param`` in ``unit``; ``kind`` is ``min`` (not before),
``max`` (not after) or ``due`` (a deadline that is reminded of but does not refuse a late
record). No number of a regulation appears here: each comes from
the rule's params in force on the step's date.

``procedure_sync()`` writes these definitions to the database as a new ``Procedure``
version whenever they change, so a running case keeps the version it was opened under.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from dangjian.development.models import Procedure, ProcedureStep
from dangjian.development.steps import ElectionStep, Step, TransferStep


def _w(rule: str, param: str, unit: str, frm: str, kind: str, sign: int = 1) -> dict:
    return {"rule": rule, "param": param, "unit": unit, "from": str(frm), "kind": kind,
            "sign": sign}  # fmt: skip


def _s(number, code, stage, name, actor, *, rules=(), materials=(), windows=(), validation="",
       help="") -> dict:  # fmt: skip
    return {
        "number": number,
        "code": str(code),
        "stage": stage,
        "name": name,
        "actor": actor,
        "rules": list(rules),
        "materials": list(materials),
        "windows": list(windows),
        "validation": validation,
        "help": help,
    }


DEV_STAGES = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}

DEVELOPMENT = [
    _s(
        1,
        Step.APPLICATION,
        1,
        "递交入党申请书",
        "member",
        rules=["DEV-1"],
        materials=["入党申请书"],
        validation="min_age",
        help="以入党申请书落款日期为准，申请人须年满规定年龄。",
    ),
    _s(
        2,
        Step.APPLICATION_TALK,
        1,
        "党组织派人谈话",
        "branch",
        rules=["DEV-2"],
        windows=[_w("DEV-2", "talk_within_months", "months", Step.APPLICATION, "max")],
    ),
    _s(
        3,
        Step.ACTIVIST,
        2,
        "推荐和确定入党积极分子",
        "branch",
        rules=["DEV-3"],
        help="经党员推荐或群团组织推优，支部委员会研究决定。",
    ),
    _s(4, Step.ACTIVIST_FILED, 2, "报上级党委备案", "branch", rules=["DEV-4"]),
    _s(
        5,
        Step.CONTACTS,
        2,
        "指定培养联系人",
        "branch",
        rules=["DEV-5"],
        validation="contacts",
    ),
    _s(
        6,
        Step.ACTIVIST_REVIEW,
        2,
        "培养教育考察",
        "branch",
        rules=["DEV-6"],
        materials=["思想汇报", "考察材料"],
        validation="reviews",
        help="党支部定期对入党积极分子进行考察，每次考察在“考察记录”中登记。",
    ),
    _s(
        7,
        Step.CANDIDATE,
        3,
        "确定发展对象",
        "branch",
        rules=["DEV-7"],
        windows=[_w("DEV-7", "activist_min_years", "years", Step.ACTIVIST, "min")],
        help="听取党员和群众意见，支部委员会讨论同意。",
    ),
    _s(8, Step.CANDIDATE_FILED, 3, "报上级党委备案", "branch", rules=["DEV-8"]),
    _s(
        9,
        Step.SPONSORS,
        3,
        "确定入党介绍人",
        "branch",
        rules=["DEV-9"],
        validation="sponsors",
    ),
    _s(
        10,
        Step.POLITICAL_REVIEW,
        3,
        "进行政治审查",
        "branch",
        rules=["DEV-10"],
        materials=["政治审查材料"],
    ),
    _s(
        11,
        Step.TRAINING,
        3,
        "开展集中培训",
        "branch",
        rules=["DEV-11"],
        validation="training",
    ),
    _s(
        12,
        Step.COMMITTEE_REVIEW,
        4,
        "支部委员会审查",
        "branch",
        rules=["DEV-12", "DEV-L1"],
        validation="notice",
        help="审查前对发展对象进行公示。",
    ),
    _s(
        13,
        Step.PRE_REVIEW,
        4,
        "上级党委预审",
        "superior",
        rules=["DEV-13"],
        validation="leaving",
    ),
    _s(
        14,
        Step.VOLUNTEER_FORM,
        4,
        "填写入党志愿书",
        "member",
        rules=["DEV-14"],
        materials=["入党志愿书"],
    ),
    _s(
        15,
        Step.ADMISSION_MEETING,
        4,
        "支部大会讨论",
        "branch",
        rules=["DEV-15", "DEV-10", "DEV-L2"],
        windows=[
            _w("DEV-L2", "meeting_within_months", "months", Step.PRE_REVIEW, "max"),
            _w("DEV-10", "review_valid_years", "years", Step.POLITICAL_REVIEW, "max"),
        ],
        validation="vote",
    ),
    _s(16, Step.SUPERIOR_TALK, 4, "上级党委派人谈话", "superior", rules=["DEV-16"]),
    _s(
        17,
        Step.ADMISSION_APPROVED,
        4,
        "上级党委审批",
        "superior",
        rules=["DEV-17"],
        windows=[
            _w("DEV-17", "approval_max_months", "months", Step.ADMISSION_MEETING, "max"),
            _w("DEV-17", "approval_within_months", "months", Step.ADMISSION_MEETING, "due"),
        ],
        validation="approval",
    ),
    _s(18, Step.ADMISSION_FILED, 4, "再上一级党委组织部门备案", "superior", rules=["DEV-18"]),
    _s(
        19,
        Step.GROUP,
        4,
        "编入党支部和党小组",
        "branch",
        rules=["DEV-19"],
        validation="group",
    ),
    _s(20, Step.OATH, 4, "入党宣誓", "branch", rules=["DEV-20"]),
    _s(21, Step.PROBATION_EDUCATION, 5, "继续教育考察", "branch", rules=["DEV-21"]),
    _s(
        22,
        Step.FULL_APPLICATION,
        5,
        "提出转正申请",
        "member",
        rules=["DEV-22"],
        materials=["转正申请书"],
        windows=[_w("DEV-22", "probation_years", "years", "probation_end", "due", 0)],
    ),
    _s(
        23,
        Step.FULL_MEETING,
        5,
        "支部大会讨论转正",
        "branch",
        rules=["DEV-23", "DEV-22"],
        windows=[_w("DEV-22", "probation_years", "years", "probation_end", "min", 0)],
        validation="vote",
    ),
    _s(
        24,
        Step.FULL_APPROVED,
        5,
        "上级党委审批转正",
        "superior",
        rules=["DEV-24"],
        windows=[_w("DEV-24", "approval_within_months", "months", Step.FULL_MEETING, "max")],
    ),
    _s(
        25,
        Step.ARCHIVED,
        5,
        "材料归档",
        "branch",
        rules=["DEV-25"],
        validation="materials_complete",
    ),
]

TRANSFER = [
    _s(
        1,
        TransferStep.APPLIED,
        1,
        "申请转出",
        "member",
        rules=["TRF-2"],
        validation="transfer_target",
        help="本系统内转入其他党组织，或转往系统外。",
    ),
    _s(
        2,
        TransferStep.LETTER,
        1,
        "开具组织关系介绍信",
        "branch",
        rules=["TRF-1", "TRF-3"],
        validation="letter",
        help="介绍信注明有效期和党费交至月份。",
    ),
    _s(
        3,
        TransferStep.RECEIVED,
        1,
        "接收方党组织接收",
        "receiver",
        rules=["TRF-1", "TRF-2"],
        windows=[_w("TRF-1", "letter_valid_months", "months", TransferStep.LETTER, "max")],
        help="在介绍信有效期内办理；转往系统外的，由原党组织登记回执。",
    ),
]

# The election is due by the end of the current term (ELE-1), from the first step on.
TERM_DUE = _w("ELE-1", "shift_max_years", "years", "term_end", "due", 0)

ELECTION = [
    _s(
        1,
        ElectionStep.REQUEST,
        1,
        "提出换届请示",
        "branch",
        rules=["ELE-1"],
        validation="seats",
        windows=[TERM_DUE],
    ),
    _s(
        2,
        ElectionStep.PLAN_APPROVED,
        1,
        "上级党委批复选举方案",
        "superior",
        rules=["ELE-1"],
        windows=[TERM_DUE],
    ),
    _s(
        3,
        ElectionStep.CANDIDATES,
        1,
        "确定候选人",
        "branch",
        rules=["ELE-5", "ELE-2"],
        validation="candidates",
        windows=[TERM_DUE],
    ),
    _s(
        4,
        ElectionStep.VOTE,
        1,
        "召开党员大会选举",
        "branch",
        rules=["ELE-1", "ELE-2", "ELE-3", "ELE-4"],
        windows=[
            _w("ELE-1", "shift_max_years", "years", "term_end", "min", -1),
            _w("ELE-1", "shift_max_years", "years", "term_end", "max"),
            TERM_DUE,
        ],
        validation="election_vote",
    ),
    _s(
        5,
        ElectionStep.RESULT_APPROVED,
        1,
        "上级党委批复选举结果",
        "superior",
        rules=["ELE-4"],
        validation="board",
        help="批复后登记新一届班子及任期，原班子成员离任。",
    ),
]

DEFINITIONS = {
    Procedure.Code.DEVELOPMENT: ("发展党员（五个阶段二十五个步骤）", DEVELOPMENT, DEV_STAGES),
    Procedure.Code.TRANSFER: ("党员组织关系转接", TRANSFER, {1: "组织关系转接"}),
    Procedure.Code.ELECTION: ("党组织换届选举", ELECTION, {1: "换届选举"}),
}


def _digest(title: str, steps: list[dict], stages: dict) -> str:
    payload = json.dumps([title, steps, stages], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def procedure_sync() -> list[Procedure]:
    """Make the database hold the shipped definitions; a changed one becomes a new version."""
    out = []
    for code, (title, steps, stages) in DEFINITIONS.items():
        digest = _digest(title, steps, stages)
        current = Procedure.objects.filter(code=code, is_current=True).first()
        if current is not None and current.digest == digest:
            out.append(current)
            continue
        version = (
            Procedure.objects.filter(code=code)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
            or 0
        ) + 1
        Procedure.objects.filter(code=code, is_current=True).update(is_current=False)
        proc = Procedure.objects.create(
            code=code, version=version, title=title, digest=digest, is_current=True
        )
        ProcedureStep.objects.bulk_create(
            [
                ProcedureStep(
                    procedure=proc,
                    number=s["number"],
                    code=s["code"],
                    stage=s["stage"],
                    stage_name=stages.get(s["stage"], ""),
                    name=s["name"],
                    actor=s["actor"],
                    materials=s["materials"],
                    rules=s["rules"],
                    windows=s["windows"],
                    validation=s["validation"],
                    help=s["help"],
                )
                for s in steps
            ]
        )
        out.append(proc)
    return out


def procedure_current(code: str) -> Procedure:
    proc = Procedure.objects.filter(code=code, is_current=True).first()
    if proc is None or proc.digest != _digest(*DEFINITIONS[code]):
        procedure_sync()
        proc = Procedure.objects.get(code=code, is_current=True)
    return proc
