"""The member's phone pages (``base/mobile.html``): notices that reach me (opening one
records that I read it, for the sender's information only), and the articles and role models
published to me."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from dangjian.core.htmx import render
from dangjian.core.paging import paginate
from dangjian.core.scope import get_visible
from dangjian.publicity import selectors, services
from dangjian.publicity.models import Article, Notice, RoleModel, Status


@login_required
def my_notices(request):
    page = paginate(request, selectors.my_notices(request.user, today=timezone.localdate()), 20)
    return render(request, "publicity/m_notices.html", {"page": page})


@login_required
def my_notice(request, publicity_notice_id: int):
    item = get_visible(Notice.objects.select_related("org"), request.user, pk=publicity_notice_id)
    services.notice_read(user=request.user, notice=item)
    ctx = {"item": item, "attachments": list(item.attachments.all())}
    return render(request, "publicity/m_notice.html", ctx)


@login_required
def my_articles(request):
    page = paginate(request, selectors.my_articles(request.user), 20)
    models = (
        RoleModel.objects.visible_to(request.user)
        .filter(status=Status.PUBLISHED)
        .select_related("member")
        .order_by("-published_at")[:6]
    )
    return render(request, "publicity/m_articles.html", {"page": page, "role_models": models})


@login_required
def my_article(request, publicity_article_id: int):
    # Members reach published articles only (the gate); staff may preview their own drafts.
    item = get_visible(Article.objects.select_related("org"), request.user, pk=publicity_article_id)
    return render(request, "publicity/m_article.html", {"item": item})
