"""Staff pages of 宣传发布: articles and role models (list, write, edit, the DSC-1 steps),
the yearly 党务公开 (assemble, edit items, the same steps). Notices: ``notice_views``;
member pages: ``phone``; the public portal: ``public``. Thin: the gate, then a selector or a
service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible
from dangjian.publicity import selectors, services
from dangjian.publicity.forms import (
    ArticleForm,
    DisclosureForm,
    FilterForm,
    ItemForm,
    RoleModelForm,
    StepForm,
)
from dangjian.publicity.models import Article, Disclosure, Publication, RoleModel, Scope, Status
from dangjian.publicity.services.workflow import detail_url


def _filters(request, form_class=FilterForm):
    form = form_class(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {
        "q": data.get("q") or "",
        "org": data.get("org"),
        "status": data.get("status") or "",
        "sort": data.get("sort") or "",
    }


def _list(request, template: str, selector, **extra):
    form, d = _filters(request)
    page = paginate(request, selector(request.user, **d))
    ctx = {"form": form, "page": page, "query": query_without_page(request), **extra}
    return render(request, template, ctx)


def _is_manager(model, user, pk: int) -> bool:
    return model.objects.manageable_by(user).filter(pk=pk).exists()


def _file(field, name: str):
    if not field:
        raise Http404("没有图片")
    return FileResponse(field.open("rb"), filename=name)


# --- the DSC-1 steps, shared ----------------------------------------------------------


def _step(request, model, pk: int):
    item = get_manageable(model.objects.select_related("org"), request.user, pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "操作无效，请刷新页面后重试")
        return redirect(detail_url(item))
    d = form.cleaned_data
    try:
        step = d["step"]
        if step == "submit":
            services.publication_submit(actor=request.user, item=item)
            done = "已提交审核"
        elif step == "review":
            services.publication_review(
                actor=request.user,
                item=item,
                approve=bool(d["approve"]),
                secrecy_checked=d["secrecy_checked"],
                note=d["note"],
            )
            done = "审核通过，已转审批" if d["approve"] else "已退回修改"
        elif step == "approve":
            services.publication_approve(actor=request.user, item=item)
            done = "已审批并发布"
        elif step == "withdraw":
            services.publication_withdraw(actor=request.user, item=item, reason=d["reason"])
            done = "已撤回"
        else:
            services.publication_reopen(actor=request.user, item=item)
            done = "已转为草稿，可修改后重新提交"
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(detail_url(item))


def _detail_ctx(request, item: Publication, model) -> dict:
    manager = _is_manager(model, request.user, item.pk)
    return {
        "item": item,
        "manager": manager,
        "step_form": StepForm() if manager else None,
        "people": list(item.people.all()) if item.scope == Scope.PEOPLE else [],
        "Status": Status,
    }


# --- articles ---------------------------------------------------------------------------


@manager_required
def articles(request):
    return _list(request, "publicity/articles.html", selectors.article_list)


def _people(form):
    return list(form.cleaned_data.get("people") or [])


@manager_required
def article_new(request):
    form = ArticleForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            article = services.article_create(
                actor=request.user,
                org=d["org"],
                title=d["title"],
                body=d["body"],
                scope=d["scope"],
                category=d["category"],
                summary=d["summary"],
                cover=d.get("cover"),
                people=_people(form),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "文章已保存为草稿，可提交审核")
            return redirect("publicity:article", article.pk)
    return render(request, "publicity/article_form.html", {"form": form, "item": None})


@login_required
def article(request, publicity_article_id: int):
    item = get_visible(Article.objects.select_related("org"), request.user, pk=publicity_article_id)
    return render(request, "publicity/article.html", _detail_ctx(request, item, Article))


@manager_required
def article_edit(request, publicity_article_id: int):
    item = get_manageable(
        Article.objects.select_related("org"), request.user, pk=publicity_article_id
    )
    initial = {
        "title": item.title,
        "org": item.org,
        "category": item.category,
        "scope": item.scope,
        "summary": item.summary,
        "body": item.body,
        "people": list(item.people.all()),
    }
    form = ArticleForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    form.fields["org"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.article_update(
                actor=request.user,
                article=item,
                title=d["title"],
                body=d["body"],
                scope=d["scope"],
                category=d["category"],
                summary=d["summary"],
                cover=d.get("cover"),
                people=_people(form),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "修改已保存")
            return redirect("publicity:article", item.pk)
    return render(request, "publicity/article_form.html", {"form": form, "item": item})


@require_POST
@manager_required
def article_step(request, publicity_article_id: int):
    return _step(request, Article, publicity_article_id)


@login_required
def article_cover(request, publicity_article_id: int):
    item = get_visible(Article.objects.all(), request.user, pk=publicity_article_id)
    return _file(item.cover, f"cover-{item.pk}")


# --- role models ----------------------------------------------------------------------------


@manager_required
def role_models(request):
    return _list(request, "publicity/role_models.html", selectors.role_model_list)


@manager_required
def role_model_new(request):
    form = RoleModelForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.role_model_create(
                actor=request.user,
                org=d["org"],
                member=d["member"],
                title=d["title"],
                deeds=d["deeds"],
                consent_on=d["consent_on"],
                consent_note=d["consent_note"],
                honour=d["honour"],
                scope=d["scope"],
                photo=d.get("photo"),
                people=_people(form),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "身边榜样已保存为草稿，可提交审核")
            return redirect("publicity:role_model", item.pk)
    return render(request, "publicity/role_model_form.html", {"form": form, "item": None})


@login_required
def role_model(request, role_model_id: int):
    item = get_visible(
        RoleModel.objects.select_related("org", "member"), request.user, pk=role_model_id
    )
    return render(request, "publicity/role_model.html", _detail_ctx(request, item, RoleModel))


@manager_required
def role_model_edit(request, role_model_id: int):
    item = get_manageable(
        RoleModel.objects.select_related("org", "member"), request.user, pk=role_model_id
    )
    initial = {
        "title": item.title,
        "org": item.org,
        "honour": item.honour,
        "scope": item.scope,
        "consent_on": item.consent_on,
        "consent_note": item.consent_note,
        "deeds": item.deeds,
        "people": list(item.people.all()),
    }
    form = RoleModelForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=initial,
        with_member=False,
    )
    form.fields["org"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.role_model_update(
                actor=request.user,
                item=item,
                title=d["title"],
                deeds=d["deeds"],
                consent_on=d["consent_on"],
                consent_note=d["consent_note"],
                honour=d["honour"],
                scope=d["scope"],
                photo=d.get("photo"),
                people=_people(form),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "修改已保存")
            return redirect("publicity:role_model", item.pk)
    return render(request, "publicity/role_model_form.html", {"form": form, "item": item})


@require_POST
@manager_required
def role_model_step(request, role_model_id: int):
    return _step(request, RoleModel, role_model_id)


@login_required
def role_model_photo(request, role_model_id: int):
    item = get_visible(RoleModel.objects.all(), request.user, pk=role_model_id)
    return _file(item.photo, f"photo-{item.pk}")


# --- 党务公开 -----------------------------------------------------------------------------


@manager_required
def disclosures(request):
    return _list(request, "publicity/disclosures.html", selectors.disclosure_list)


@manager_required
def disclosure_new(request):
    form = DisclosureForm(
        request.POST or None,
        user=request.user,
        initial={"year": timezone.localdate().year - (1 if timezone.localdate().month < 7 else 0)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.disclosure_assemble(
                actor=request.user, org=d["org"], year=d["year"], scope=d["scope"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已根据平台记录生成公开事项，请核对修改后提交审核")
            return redirect("publicity:disclosure", item.pk)
    return render(request, "publicity/disclosure_form.html", {"form": form})


@login_required
def disclosure(request, publicity_disclosure_id: int):
    item = get_visible(
        Disclosure.objects.select_related("org"), request.user, pk=publicity_disclosure_id
    )
    ctx = _detail_ctx(request, item, Disclosure)
    ctx["items"] = list(item.items.all())
    ctx["item_form"] = ItemForm() if ctx["manager"] and item.editable else None
    return render(request, "publicity/disclosure.html", ctx)


@require_POST
@manager_required
def disclosure_item(request, publicity_disclosure_id: int):
    item = get_manageable(
        Disclosure.objects.select_related("org"), request.user, pk=publicity_disclosure_id
    )
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写事项和内容")
        return redirect("publicity:disclosure", item.pk)
    d = form.cleaned_data
    row = item.items.filter(pk=d["item"]).first() if d["item"] else None
    try:
        if row is not None and request.POST.get("regenerate"):
            services.disclosure_item_regenerate(actor=request.user, disclosure=item, item=row)
        else:
            services.disclosure_item_save(
                actor=request.user,
                disclosure=item,
                item=row,
                kind=d["kind"],
                title=d["title"],
                content=d["content"],
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "公开事项已保存")
    return redirect("publicity:disclosure", item.pk)


@require_POST
@manager_required
def disclosure_step(request, publicity_disclosure_id: int):
    return _step(request, Disclosure, publicity_disclosure_id)
