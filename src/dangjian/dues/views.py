"""Dues pages: the branch's monthly sheet (print, PDF, Excel), recording payments, a
member's dues (back office and phone), profiles, arrears, yearly summary, certificate and
the yearly disclosure. Thin: the gate, then a selector or a service."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.audit import audit
from dangjian.core.calendar import add_months
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.models import AuditEntry
from dangjian.core.pagecache import kept_per_user
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.pdf import pdf_response
from dangjian.core.scope import get_manageable, get_visible, reach_of
from dangjian.core.working import default_org
from dangjian.dues import exports, selectors, services
from dangjian.dues.forms import (
    DisclosureForm,
    PaymentForm,
    ProfileForm,
    SheetFilterForm,
    VoidForm,
)
from dangjian.dues.models import DuesDisclosure, DuesPayment
from dangjian.dues.rates import RateBook, month_label, parse_month
from dangjian.members.models import Member
from dangjian.members.selectors import unread_count_of
from dangjian.orgs.models import Org


def _require_manager(request) -> None:
    if not reach_of(request.user).is_manager:
        raise Http404


def _orgs(user):
    return Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)


def _pick_org(request, orgs) -> Org:
    """The org asked for (through the gate: 404 outside reach), else the one the user works
    in (the top bar's switcher), else the top of their reach."""
    org_id = request.GET.get("org")
    if org_id:
        return get_manageable(Org.objects.active(), request.user, pk=org_id)
    org = default_org(request, orgs)
    if org is None:
        raise Http404
    return org


def _month(request, key: str = "month") -> dt.date:
    value = request.GET.get(key)
    if not value:
        return selectors.current_month()
    try:
        return parse_month(value)
    except DomainError:
        return selectors.current_month()


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= timezone.localdate().year else timezone.localdate().year


# --- the monthly sheet --------------------------------------------------------------------


def _branch_totals(sheet: selectors.Sheet) -> list[tuple[Org, selectors.Totals]]:
    by_org: dict[int, selectors.Totals] = {}
    for line in sheet.lines:
        by_org.setdefault(line.org_id, selectors.Totals()).add(line)
    orgs = Org.objects.filter(pk__in=list(by_org)).order_by("path")
    return [(o, by_org[o.pk]) for o in orgs]


@login_required
def sheet(request):
    """The branch's monthly sheet; for a committee, the collection of each branch."""
    if not reach_of(request.user).is_manager:
        return redirect("dues:mine")
    orgs = _orgs(request.user)
    org = _pick_org(request, orgs)
    month = _month(request)
    form = SheetFilterForm(initial={"org": org, "month": month}, orgs=orgs)
    data = selectors.monthly_sheet(org=org, month=month)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        audit(
            actor=request.user,
            action=AuditEntry.Action.EXPORT,
            obj=org,
            verb="导出党费收缴表",
            changes={"month": month_label(month), "rows": len(data.lines)},
        )
        return exports.SheetExporter(data).response(f"党费收缴表-{org.name}-{month:%Y-%m}", fmt)
    if fmt == "pdf":
        return pdf_response(
            "dues/sheet_pdf.html",
            {"sheet": data, "printed_on": timezone.localdate()},
            request=request,
            filename=f"党费收缴表-{org.name}-{month:%Y-%m}",
        )
    is_branch = org.kind == Org.Kind.BRANCH
    return render(
        request,
        "dues/sheet.html",
        {
            "rules_note": _rules_note(month),
            "form": form,
            "org": org,
            "month": month,
            "sheet": data,
            "is_branch": is_branch,
            "branches": None if is_branch else _branch_totals(data),
            "prev": month_label(add_months(month, -1, first=True)),
            "next": month_label(add_months(month, 1, first=True)),
        },
        partial="sheet",
    )


@login_required
@require_POST
def collect(request):
    """Cash collected on the collection day: one payment per ticked member for the month."""
    org = get_manageable(Org.objects.active(), request.user, pk=request.POST.get("org") or 0)
    try:
        month = parse_month(request.POST.get("month"))
        paid_on = dt.date.fromisoformat(request.POST.get("paid_on") or "")
    except (DomainError, ValueError):
        messages.error(request, "请填写正确的月份和交纳日期")
        return redirect("dues:sheet")
    back = reverse("dues:sheet") + f"?org={org.pk}&month={month_label(month)}"
    ids = [int(x) for x in request.POST.getlist("member") if x.isdigit()]
    members = (
        Member.objects.manageable_by(request.user)
        .in_subtree(org)
        .filter(pk__in=ids)
        .select_related("org")
    )
    if not members:
        messages.error(request, "请勾选要登记的党员")
        return redirect(back)
    done, failed = [], []
    for person in members:
        try:
            services.dues_payment_record(
                actor=request.user,
                member=person,
                months=[month],
                paid_on=paid_on,
                method="cash",
                note="集中收缴",
            )
        except DomainError as exc:
            failed.append(f"{person.name}：{exc.message}")
        else:
            done.append(person.name)
    if done:
        messages.success(request, f"已登记 {len(done)} 人现金交纳：{'、'.join(done)}")
    for text in failed:
        messages.error(request, text)
    return redirect(back)


ROUNDING_LABELS = {
    "half_up": "四舍五入",
    "up": "进位",
    "down": "舍去",
    "half_even": "四舍六入五成双",
}
QUANTUM_LABELS = {"0.01": "精确到分", "0.1": "精确到角", "1": "精确到元"}


def _rules_note(month: dt.date) -> str:
    """The collection day (DUE-12) and rounding (DUE-2) in force, in words."""
    book = RateBook(("DUE-2", "DUE-12"))
    parts = []
    try:
        params = book.rule("DUE-2", month).params
        quantum = str(params.get("quantum", "0.01"))
        rounding = params.get("rounding", "half_up")
        parts.append(
            f"金额{QUANTUM_LABELS.get(quantum, f'按 {quantum} 元')}、"
            f"{ROUNDING_LABELS.get(rounding, rounding)}（DUE-2）"
        )
        day = book.rule("DUE-12", month).params.get("collection_day")
        if day:
            parts.append(f"每月 {day} 日为收缴日（DUE-12，本地默认值，可在标准库调整）")
    except DomainError as exc:
        parts.append(exc.message)
    return "；".join(parts)


# --- payments -----------------------------------------------------------------------------


def _month_choices(member: Member, selected: dt.date | None):
    """Owed months, unpaid, from 24 months back to 3 months ahead, with their amounts."""
    today = selectors.current_month()
    dues = selectors.member_dues(
        member=member,
        first=add_months(today, -24, first=True),
        last=add_months(today, 3, first=True),
    )
    choices = []
    for line in sorted(dues.lines, key=lambda x: x.month):
        if line.state == "unpaid":
            label = f"{line.month:%Y年%-m月}　{line.amount} 元"
            if line.month < today:
                label += "（补交）"
            choices.append((month_label(line.month), label))
    return dues, choices


@login_required
def payment_new(request, member_id: int):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    selected = _month(request) if request.GET.get("month") else None
    dues, choices = _month_choices(member, selected)
    initial = {"paid_on": timezone.localdate(), "method": "cash"}
    if selected:
        initial["months"] = [month_label(selected)]
    form = PaymentForm(request.POST or None, initial=initial, month_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.dues_payment_record(
                actor=request.user,
                member=member,
                kind=data["kind"],
                months=data["months"] if data["kind"] == "regular" else [],
                paid_on=data["paid_on"],
                method=data["method"],
                amount=data["amount"] or None,
                reference=data["reference"],
                receipt_no=data["receipt_no"],
                proxy_payer=data["proxy_payer"],
                proxy_consent=data["proxy_consent"],
                note=data["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: f.split(".")[0])
        else:
            text = f"已记录 {member.name} 交纳党费 {payment.amount} 元"
            if payment.months_label:
                text += f"（{payment.months_label}）"
            messages.success(request, text)
            if payment.back_payment:
                messages.warning(request, "本次补交超过规定月数（DUE-9），已标记，请注明原因")
            if payment.remit_to_centre:
                messages.info(request, "一次性自愿多交达到上缴标准（DUE-8），已标记为全额上缴中央")
            month = payment.last_month or selectors.current_month()
            return redirect(
                reverse("dues:sheet") + f"?org={member.org_id}&month={month_label(month)}"
            )
    return render(
        request,
        "dues/payment_form.html",
        {"form": form, "member": member, "dues": dues},
    )


@login_required
def payment_detail(request, payment_id: int):
    payment = get_visible(
        DuesPayment.objects.select_related("member", "org", "recorded_by"),
        request.user,
        pk=payment_id,
    )
    can_void = reach_of(request.user).covers(payment.org.path) and payment.voided_at is None
    return render(
        request,
        "dues/payment.html",
        {
            "payment": payment,
            "months": payment.months.order_by("month"),
            "void_form": VoidForm() if can_void else None,
            "base_template": _base(request),
        },
    )


@login_required
@require_POST
def payment_void(request, payment_id: int):
    payment = get_manageable(DuesPayment.objects.select_related("org"), request.user, pk=payment_id)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写作废原因")
        return redirect("dues:payment", payment_id=payment.pk)
    try:
        services.dues_payment_void(
            actor=request.user, payment=payment, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "交纳记录已作废，所涉月份恢复为未交")
    return redirect("dues:payment", payment_id=payment.pk)


# --- a member's dues ----------------------------------------------------------------------


def _base(request) -> str:
    return "base/layout.html" if reach_of(request.user).is_manager else "base/mobile.html"


@login_required
def member(request, member_id: int):
    person = get_visible(Member.objects.select_related("org"), request.user, pk=member_id)
    reach = reach_of(request.user)
    if not reach.covers(person.org.path):
        return redirect("dues:mine")  # a plain member looking at their own record
    dues = selectors.member_dues(member=person)
    return render(
        request,
        "dues/member.html",
        {"person": person, "dues": dues, "mode": selectors.base_mode()},
    )


@login_required
def profile_edit(request, member_id: int):
    person = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    today = selectors.current_month()
    rule = RateBook(("DUE-1",)).rule("DUE-1", today)
    initial = {"effective_month": today, "category": "retired" if person.is_retired else None}
    current = person.dues_profiles.order_by("-effective_month", "-id").first()
    if current is not None:  # start from the profile in force: usually one figure changes
        initial |= {
            "category": current.category,
            "base": current.base,
            "farmer_amount": current.farmer_amount,
            "adjustment": current.adjustment,
            "adjusted_amount": current.adjusted_amount,
            "branch_decided_on": current.branch_decided_on,
            "approved_on": current.approved_on,
            "approval_ref": current.approval_ref,
        }
    form = ProfileForm(
        request.POST or None,
        initial=initial,
        included=list(rule.params.get("included") or []),
        excluded=list(rule.params.get("excluded") or []),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_items = data["base_source"] == "components"
        try:
            services.dues_profile_set(
                actor=request.user,
                member=person,
                category=data["category"],
                effective_month=data["effective_month"],
                base=None if by_items else (data["base"] or None),
                components=form.components() if by_items else None,
                income_tax=data["income_tax"] or None,
                farmer_amount=data["farmer_amount"] or None,
                adjustment=data["adjustment"],
                adjusted_amount=data["adjusted_amount"] or None,
                branch_decided_on=data["branch_decided_on"],
                approved_on=data["approved_on"],
                approval_ref=data["approval_ref"],
                note=data["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: f.split(".")[0])
        else:
            messages.success(request, f"已更新 {person.name} 的党费档案")
            return redirect("dues:member", member_id=person.pk)
    return render(
        request,
        "dues/profile_form.html",
        {"form": form, "person": person, "rule": rule, "mode": selectors.base_mode()},
    )


@login_required
def certificate(request, member_id: int):
    """党费交纳证明: the paid-to month, for a transfer (TRF-3)."""
    person = get_visible(Member.objects.select_related("org", "unit"), request.user, pk=member_id)
    dues = selectors.member_dues(member=person)
    ctx = {"person": person, "dues": dues, "issued_on": timezone.localdate()}
    if request.GET.get("format") == "pdf":
        audit(
            actor=request.user,
            action=AuditEntry.Action.EXPORT,
            obj=person,
            verb="开具党费交纳证明",
            changes={"paid_to": dues.paid_to},
        )
        return pdf_response(
            "dues/certificate.html", ctx, request=request, filename=f"党费交纳证明-{person.name}"
        )
    return render(request, "dues/certificate.html", ctx)


@login_required
@kept_per_user(selectors.mine_stamp)
def mine(request):
    """The member's phone page: what they owe each month, what they paid, and why."""
    if not request.user.member_id:
        if reach_of(request.user).is_manager:
            return redirect("dues:sheet")
        raise Http404
    members = Member.objects.select_related("org").annotate(unread=unread_count_of(request.user))
    person = get_visible(members, request.user, pk=request.user.member_id)
    book = RateBook()
    dues = selectors.member_dues(member=person, book=book)
    disclosures = selectors.disclosures_for(user=request.user, org=person.org)[:3]
    try:
        lapse = book.rule("DUE-10", selectors.current_month()).params.get("violation_months")
    except DomainError:  # the rule not loaded: the page says less, never fails
        lapse = None
    return render(
        request,
        "dues/mine.html",
        {
            "person": person,
            "dues": dues,
            "disclosures": disclosures,
            "lapse_months": lapse,  # DUE-10: months unpaid that count as leaving the party
            "unread_count": person.unread,  # the tab bar's badge, counted with the member
        },
    )


# --- arrears, summary, disclosure ---------------------------------------------------------


@login_required
def arrears(request):
    _require_manager(request)
    orgs = _orgs(request.user)
    org = _pick_org(request, orgs)
    today = selectors.current_month()
    month = _month(request)
    as_of = selectors.closed_month(month, today)
    book = RateBook()
    params = book.rule("DUE-10", as_of).params
    rows = selectors.arrears(org=org, as_of=as_of, min_months=1, book=book)
    names = dict(Org.objects.in_subtree(org).values_list("pk", "name"))
    warn, violation = int(params["warn_months"]), int(params["violation_months"])
    page = paginate(request, rows)
    if request.method == "POST":
        from dangjian.dues.tasks import dues_remind_arrears

        org_id, label = org.pk, month_label(as_of)
        transaction.on_commit(lambda: dues_remind_arrears.enqueue(org_id=org_id, as_of=label))
        messages.success(request, "已安排向欠交党员及所在支部书记发送提醒")
        return redirect(reverse("dues:arrears") + f"?org={org.pk}&month={month_label(month)}")
    return render(
        request,
        "dues/arrears.html",
        {
            "form": SheetFilterForm(initial={"org": org, "month": month}, orgs=orgs),
            "org": org,
            "as_of": as_of,
            "page": page,
            "query": query_without_page(request),
            "rows": [(a, names.get(a.org_id, "")) for a in page],
            "warn": warn,
            "violation": violation,
            "counts": {
                "warning": sum(1 for a in rows if warn <= a.months < violation),
                "violation": sum(1 for a in rows if a.months >= violation),
                "all": len(rows),
            },
        },
    )


@login_required
def summary(request):
    """Yearly summary per branch and for the subtree: 应交 / 实交 / 人数 / rate."""
    _require_manager(request)
    orgs = _orgs(request.user)
    org = _pick_org(request, orgs)
    year = _year(request)
    rows = selectors.yearly_summary(org=org, year=year)
    if request.GET.get("format") in ("xlsx", "csv"):
        return exports.SummaryExporter(rows).response(
            f"党费年度汇总-{org.name}-{year}", request.GET["format"]
        )
    return render(
        request,
        "dues/summary.html",
        {
            "orgs": orgs,
            "org": org,
            "year": year,
            "rows": rows[:-1],
            "total": rows[-1],
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        },
    )


@login_required
def disclosures(request):
    """The yearly disclosure of collection and use (DUE-12): published list; publish form."""
    reach = reach_of(request.user)
    form = None
    if reach.is_manager:
        branches = _orgs(request.user).filter(kind=Org.Kind.BRANCH)
        form = DisclosureForm(
            request.POST or None,
            initial={"year": timezone.localdate().year, "org": branches.first()},
            orgs=branches,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                disclosure = services.dues_disclosure_publish(
                    actor=request.user, org=data["org"], year=data["year"], usage=data["usage"]
                )
            except DomainError as exc:
                add_domain_errors(form, exc, field_map=lambda f: f.split(".")[0])
            else:
                messages.success(request, f"已公开 {disclosure}")
                return redirect("dues:disclosure", disclosure_id=disclosure.pk)
    elif request.method == "POST":
        raise Http404
    page = paginate(request, selectors.disclosures_for(user=request.user))
    return render(
        request,
        "dues/disclosures.html",
        {"page": page, "form": form, "base_template": _base(request)},
    )


@login_required
def disclosure(request, disclosure_id: int):
    item = get_visible(
        DuesDisclosure.objects.select_related("org", "published_by"),
        request.user,
        pk=disclosure_id,
    )
    return render(request, "dues/disclosure.html", {"item": item, "base_template": _base(request)})
