"""Demo learning data: two published micro-courses for the whole tree, with real short
media made here (a bar chart drawn with Pillow, a few seconds of tone written with the
``wave`` module; nothing downloaded), and for some members of the featured branch a
finished course in the study-hour ledger. Exams: ``build_exams`` (``exam_demo``)."""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
import wave

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.actors import SYSTEM
from dangjian.core.demo import DemoContext
from dangjian.learning import progress, services
from dangjian.learning.models import Course, Lesson, StudySession

WAV_RATE = 8000


def chart_png(values: list[int], title_colour=(200, 22, 29)) -> bytes:
    """A small bar chart as PNG bytes."""
    from PIL import Image, ImageDraw

    width, height = 320, 180
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    top = max(values) or 1
    bar = width // (len(values) * 2)
    for i, v in enumerate(values):
        x = bar // 2 + i * bar * 2
        h = int((height - 30) * v / top)
        draw.rectangle([x, height - 10 - h, x + bar, height - 10], fill=title_colour)
    draw.line([0, height - 10, width, height - 10], fill=(80, 80, 80), width=2)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def tone_wav(seconds: float, hz: float = 440.0) -> bytes:
    """A mono 8-bit WAV of a soft tone, ``seconds`` long."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(WAV_RATE)
        frames = bytes(
            128 + int(40 * math.sin(2 * math.pi * hz * i / WAV_RATE))
            for i in range(int(seconds * WAV_RATE))
        )
        w.writeframes(frames)
    return out.getvalue()


def wav_seconds(data: bytes) -> int:
    rate = struct.unpack("<I", data[24:28])[0]
    return round((len(data) - 44) / rate)


COURSES = [
    (
        "微党课：党员教育管理工作条例要点",
        True,
        [
            (
                "条例概述",
                "text",
                "<h3>为什么学</h3><p>《中国共产党党员教育管理工作条例》规定党员每年集中学习培训一般不少于32学时。</p><ul><li>学习形式：集中培训、网络学习、组织生活</li><li>年老体弱、生病的党员不作硬性要求</li></ul>",
            ),
            ("图解：近五年学习培训情况", "image", "<p>各年度参加集中学习培训的人次。</p>"),
            ("音频导读", "audio", "<p>听一段导读（演示用的合成音频）。</p>"),
        ],
    ),
    (
        "微课堂：如何开好主题党日",
        False,
        [
            ("主题党日的基本流程", "text", "<p>重温入党誓词、学习研讨、志愿服务、交纳党费……</p>"),
            ("音频：一个支部的做法", "audio", "<p>演示用的合成音频。</p>"),
        ],
    ),
]


def build(ctx: DemoContext) -> None:
    year = ctx.today.year
    seconds = 3 if ctx.small else 8
    made = []
    for title, required, lessons in COURSES:
        specs = []
        for i, (name, kind, body) in enumerate(lessons):
            spec = {"title": name, "kind": kind, "body": body, "duration_s": 0}
            if kind == "image":
                png = chart_png([ctx.random.randint(20, 100) for _ in range(5)])
                spec["media"] = SimpleUploadedFile(f"chart{i}.png", png)
            elif kind == "audio":
                wav = tone_wav(seconds, hz=330 + 110 * i)
                spec["media"] = SimpleUploadedFile(f"tone{i}.wav", wav)
                spec["duration_s"] = wav_seconds(wav)
            specs.append(spec)
        course = services.course_create(
            actor=ctx.actor,
            org=ctx.work_committee,
            title=title,
            year=year,
            required=required,
            summary="演示课程：媒体为程序生成。",
            lessons=specs,
        )
        made.append(services.course_publish(actor=ctx.actor, course=course))
    ctx.say(f"学习课程 {len(made)} 门")
    _study(ctx, made[0])


def _study(ctx: DemoContext, course: Course) -> None:
    """Some members of the featured branch study the first course, heartbeat by heartbeat
    (explicit times, as a person would), so the ledger has real course credits."""
    if ctx.featured is None:
        return
    members = ctx.party_members(ctx.featured.pk)[:: 2 if ctx.small else 1][:6]
    lessons = list(Lesson.objects.filter(course=course).order_by("position"))
    start = timezone.make_aware(dt.datetime.combine(ctx.today - dt.timedelta(days=3), dt.time(9)))
    now = start
    for n, member in enumerate(members):
        now = start + dt.timedelta(hours=n)
        for lesson in lessons:
            session = progress.session_start(member=member, lesson=lesson, now=now)
            length = max(lesson.duration_s, 70)
            for t in range(10, length + 11, 10):
                now += dt.timedelta(seconds=10)
                progress.heartbeat(session=session, position_s=min(t, lesson.duration_s), now=now)
    StudySession.objects.filter(ended_at__isnull=True).update(ended_at=now)
    ctx.say(f"学习记录 {len(members)} 名党员")


def build_exams(ctx: DemoContext) -> None:
    """A question bank and an exam, taken by some members (``exam_demo``)."""
    from dangjian.learning import exam_demo

    exam_demo.build(ctx)


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def trainings(ctx: DemoContext) -> None:
    """A training class of the featured branch held a fortnight ago (notice, attendance with
    one member missing an hour and one absent), one planned for this week, outside records
    (one approved, one waiting), and the 党课 / 主题党日 hours of the year."""
    from dangjian.learning import trainings as services_t

    if ctx.featured is None:
        return
    members = list(ctx.party_members(ctx.featured.pk))
    day = ctx.today - dt.timedelta(days=14)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    held = services_t.training_create(
        actor=ctx.actor,
        org=ctx.featured,
        title="学习贯彻党的创新理论集中培训",
        kind="concentrated",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        hours="8",
        place="机关党校 301 教室",
        notice="请携带笔记本，按时签到。",
    )
    services_t.training_notify(actor=ctx.actor, training=held)
    for i, member in enumerate(members):
        status, absent = "present", 0
        if i == 1:
            absent = 1
        elif i == 2:
            status = "absent"
        elif i == 3:
            status = "leave"
        services_t.training_attendance_mark(
            actor=ctx.actor, training=held, member=member, status=status, absent_hours=absent
        )
    soon = timezone.make_aware(
        dt.datetime.combine(ctx.today + dt.timedelta(days=2), dt.time(14, 30))
    )
    services_t.training_create(
        actor=ctx.actor,
        org=ctx.featured,
        title="专题党课：以案为鉴 警钟长鸣",
        kind="lecture",
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=2),
        hours="2",
        place="三楼会议室",
    )
    outside = []
    for member, title, hours in zip(
        members[:2], ("市委党校处级干部轮训", "网络安全专题培训"), ("16", "4"), strict=False
    ):
        outside.append(
            services_t.outside_record_file(
                actor=SYSTEM,  # filed on the member's behalf: the demo, like an import
                member=member,
                title=title,
                organizer="市委党校",
                starts_on=ctx.today - dt.timedelta(days=30),
                ends_on=ctx.today - dt.timedelta(days=29),
                hours=hours,
                evidence=SimpleUploadedFile("证明.pdf", DEMO_PDF),
            )
        )
    if outside:
        services_t.outside_record_decide(actor=ctx.actor, record=outside[0], approve=True)
    added = services_t.meeting_hours_credit(actor=ctx.actor, year=ctx.today.year)
    ctx.say(f"培训班 2 个，外出培训记录 {len(outside)} 条，党课和主题党日学时 {added} 条")
