"""Generating a year's tables: kept as generated, regenerated with an audit entry, other years
untouched; bad input gets a clear message."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.members import services as members
from dangjian.statistics.models import AnnualReport
from dangjian.statistics.services import report_generate
from tests.factories import SYSTEM
from tests.statistics.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_generating_keeps_the_tables_and_audits(book):
    report = report_generate(actor=SYSTEM, org=book.c, year=YEAR)
    assert report.as_of == dt.date(2026, 12, 31)
    assert report.figures["members"]["total"] == 6
    assert report.passed and len(report.checks) == 12
    entry = AuditEntry.objects.get(verb="生成党内统计年报")
    assert entry.changes["total"] == 6


def test_a_kept_year_stays_as_generated_until_regenerated(book):
    kept = report_generate(actor=SYSTEM, org=book.c, year=2025)
    assert kept.figures["members"]["total"] == 6  # 甲 乙 丁 己 庚 壬 at the end of 2025
    report_generate(actor=SYSTEM, org=book.c, year=YEAR)
    members.member_leave(actor=SYSTEM, member=book.m["甲"], on=dt.date(2025, 6, 1), reason="病故")
    kept.refresh_from_db()
    assert kept.figures["members"]["total"] == 6
    again = report_generate(actor=SYSTEM, org=book.c, year=2025)
    assert again.pk == kept.pk and again.times == 2
    assert again.figures["members"]["total"] == 5
    entry = AuditEntry.objects.get(verb="重新生成党内统计年报")
    assert entry.changes["total"] == [6, 5]
    assert AnnualReport.objects.count() == 2


def test_generating_the_same_tables_again_records_nothing(book):
    first = report_generate(actor=SYSTEM, org=book.c, year=YEAR)
    again = report_generate(actor=SYSTEM, org=book.c, year=YEAR)
    assert again.changed is False and again.times == 1 and again.pk == first.pk
    assert AuditEntry.objects.filter(verb__contains="党内统计年报").count() == 1


def test_a_year_in_the_future_is_refused(book):
    with pytest.raises(DomainError, match="年度应在"):
        report_generate(actor=SYSTEM, org=book.c, year=2999)


def test_a_date_outside_the_year_is_refused(book):
    with pytest.raises(DomainError, match="截止日期须在所选年度之内"):
        report_generate(actor=SYSTEM, org=book.c, year=2026, as_of=dt.date(2025, 12, 31))


def test_a_group_is_refused(book):
    with pytest.raises(DomainError, match="党小组"):
        report_generate(actor=SYSTEM, org=book.ga, year=YEAR)
