"""Staff pages of the opinion watch: the watch queue (matched words highlighted), an item with
its case form, cases and a case page (answer, closure), sources (added by admins) and keyword
sets. Thin: the gate, then a selector or a service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible
from dangjian.opinion import selectors, services
from dangjian.opinion.forms import (
    AnswerForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    ItemFilterForm,
    ItemForm,
    KeywordSetForm,
    SourceForm,
    synonyms_of,
    words_of,
)
from dangjian.opinion.models import KeywordSet, OpinionCase, OpinionItem, OpinionSource
from dangjian.orgs.models import Org


def _org(user, org):
    return get_manageable(Org.objects.all(), user, pk=org.pk)


def _manages(model, user, pk) -> bool:
    return model.objects.manageable_by(user).filter(pk=pk).exists()


# --- the watch queue ----------------------------------------------------------------------


@manager_required
def items(request):
    form = ItemFilterForm(request.GET or None, user=request.user)
    d = form.cleaned_data if form.is_valid() else {}
    matched = {"1": True, "0": False}.get(d.get("matched") or "")
    qs = selectors.item_list(
        request.user,
        q=d.get("q") or "",
        org=d.get("org"),
        matched=matched,
        status=d.get("status") or "",
        sentiment=d.get("sentiment") or "",
        sort=d.get("sort") or "new",
    )
    ctx = {"form": form, "page": paginate(request, qs), "query": query_without_page(request)}
    return render(request, "opinion/items.html", ctx)


@manager_required
def item_new(request):
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.item_create(
                actor=request.user,
                org=_org(request.user, d["org"]),
                channel=d["channel"],
                title=d["title"],
                summary=d.get("summary") or "",
                url=d.get("url") or "",
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "舆情信息已录入" + ("，命中关注词" if item.matched else ""))
            return redirect("opinion:item", item.pk)
    return render(request, "opinion/item_form.html", {"form": form})


@manager_required
def item(request, opinion_item_id: int):
    item = get_visible(
        OpinionItem.objects.select_related("org", "source"), request.user, pk=opinion_item_id
    )
    manager = _manages(OpinionItem, request.user, item.pk)
    case = OpinionCase.objects.filter(item=item).first()
    form = None
    if manager and case is None:
        form = CaseForm(request.POST or None, initial={"level": "general"})
        if request.method == "POST":
            item = get_manageable(
                OpinionItem.objects.select_related("org"), request.user, pk=item.pk
            )
            if form.is_valid():
                try:
                    case = services.case_open(actor=request.user, item=item, **form.cleaned_data)
                except DomainError as exc:
                    add_domain_errors(form, exc)
                else:
                    messages.success(request, "已立案研判，回应时限已按等级计算")
                    return redirect("opinion:case", case.pk)
    elif request.method == "POST":
        get_manageable(OpinionItem.objects.all(), request.user, pk=item.pk)
        messages.error(request, "该信息已立案研判")
        return redirect("opinion:item", item.pk)
    return render(request, "opinion/item.html", {"item": item, "case": case, "form": form})


@manager_required
@require_POST
def item_dismiss(request, opinion_item_id: int):
    item = get_manageable(
        OpinionItem.objects.select_related("org"), request.user, pk=opinion_item_id
    )
    try:
        services.item_dismiss(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已标记为无需处置")
    return redirect("opinion:item", item.pk)


# --- cases --------------------------------------------------------------------------------


@manager_required
def cases(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.case_list(
        request.user,
        q=d.get("q") or "",
        org=d.get("org"),
        state=d.get("state") or "",
        level=d.get("level") or "",
        sort=d.get("sort") or "due",
    )
    ctx = {"form": form, "page": paginate(request, qs), "query": query_without_page(request)}
    return render(request, "opinion/cases.html", ctx)


def _case_forms(case, data=None):
    initial = {k: getattr(case, k) for k in ("level", "analysis", "response_plan", "responder")}
    return {
        "edit": CaseForm(data, initial=initial, prefix="edit"),
        "answer": AnswerForm(prefix="answer"),
        "close": CloseForm(prefix="close"),
    }


@manager_required
def case(request, opinion_case_id: int):
    case = get_visible(
        OpinionCase.objects.select_related("org", "item", "item__source"),
        request.user,
        pk=opinion_case_id,
    )
    manager = _manages(OpinionCase, request.user, case.pk)
    forms = _case_forms(case, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        case = get_manageable(
            OpinionCase.objects.select_related("org", "item"), request.user, pk=case.pk
        )
        if forms["edit"].is_valid():
            try:
                services.case_update(actor=request.user, case=case, **forms["edit"].cleaned_data)
            except DomainError as exc:
                add_domain_errors(forms["edit"], exc)
            else:
                messages.success(request, "研判已保存")
                return redirect("opinion:case", case.pk)
    ctx = {"case": case, "item": case.item, "manager": manager, **forms}
    return render(request, "opinion/case.html", ctx)


def _case_step(request, opinion_case_id, form_class, prefix, service, done):
    case = get_manageable(
        OpinionCase.objects.select_related("org", "item"), request.user, pk=opinion_case_id
    )
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("opinion:case", case.pk)
    try:
        service(actor=request.user, case=case, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("opinion:case", case.pk)


@manager_required
@require_POST
def case_answer(request, opinion_case_id: int):
    return _case_step(
        request, opinion_case_id, AnswerForm, "answer", services.case_answer, "回应已登记"
    )


@manager_required
@require_POST
def case_close(request, opinion_case_id: int):
    return _case_step(
        request, opinion_case_id, CloseForm, "close", services.case_close, "研判已办结"
    )


# --- sources and keyword sets --------------------------------------------------------------


@manager_required
def sources(request):
    form = SourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.source_create(
                actor=request.user, org=_org(request.user, d["org"]), name=d["name"], url=d["url"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "舆情来源已添加，可点“立即抓取”试一次")
            return redirect("opinion:sources")
    q = request.GET.get("q", "")[:100]
    qs = selectors.source_list(request.user, q=q)
    ctx = {
        "form": form,
        "q": q,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "may_add": request.user.is_superuser or services.may_add_any(request.user),
    }
    return render(request, "opinion/sources.html", ctx)


@manager_required
@require_POST
def source_fetch(request, opinion_source_id: int):
    source = get_manageable(
        OpinionSource.objects.select_related("org"), request.user, pk=opinion_source_id
    )
    try:
        counts = services.source_fetch(actor=request.user, source=source)
    except DomainError as exc:
        messages.error(request, f"{source.name}：{exc.message}")
    else:
        messages.success(
            request,
            f"{source.name}：读取 {counts['fetched']} 条，新增 {counts['new']} 条，"
            f"命中关注词 {counts['matched']} 条",
        )
    return redirect("opinion:sources")


@manager_required
@require_POST
def source_toggle(request, opinion_source_id: int):
    source = get_manageable(
        OpinionSource.objects.select_related("org"), request.user, pk=opinion_source_id
    )
    try:
        services.source_set_active(actor=request.user, source=source, active=not source.active)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("opinion:sources")


def _keyword_args(d) -> dict:
    return {
        "name": d.get("name") or "",
        "words": words_of(d["words"]),
        "synonyms": synonyms_of(d.get("synonyms") or ""),
        "exclude": words_of(d.get("exclude") or ""),
    }


@manager_required
def keyword_sets(request):
    form = KeywordSetForm(request.POST or None, user=request.user, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.keyword_set_create(
                actor=request.user, org=_org(request.user, d["org"]), **_keyword_args(d)
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "关注词组已保存，待研判的信息已按新词组重新匹配")
            return redirect("opinion:keyword_sets")
    q = request.GET.get("q", "")[:100]
    qs = selectors.keyword_set_list(request.user, q=q)
    ctx = {
        "form": form,
        "q": q,
        "page": paginate(request, qs),
        "query": query_without_page(request),
    }
    return render(request, "opinion/keyword_sets.html", ctx)


@manager_required
def keyword_set(request, keyword_set_id: int):
    kset = get_manageable(KeywordSet.objects.select_related("org"), request.user, pk=keyword_set_id)
    initial = {
        "org": kset.org,
        "name": kset.name,
        "words": " ".join(kset.words),
        "synonyms": "\n".join(f"{w}={'、'.join(s)}" for w, s in kset.synonyms.items()),
        "exclude": " ".join(kset.exclude),
        "active": kset.active,
    }
    form = KeywordSetForm(request.POST or None, user=request.user, initial=initial)
    form.fields["org"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.keyword_set_update(
                actor=request.user, kset=kset, active=d.get("active", False), **_keyword_args(d)
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "关注词组已保存")
            return redirect("opinion:keyword_sets")
    return render(request, "opinion/keyword_set.html", {"form": form, "kset": kset})
