"""法规问答 pages: /standards/ask/ in the staff shell, /standards/m/ask/ in the member's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from dangjian.core.htmx import render
from dangjian.core.working import working_org
from dangjian.standards.ask.answers import EXAMPLES, ask
from dangjian.standards.ask.forms import AskForm


@login_required
@require_GET
def ask_page(request):
    return _ask(request, "standards/ask.html")


@login_required
@require_GET
def my_ask(request):
    return _ask(request, "standards/m_ask.html")


def _ask(request, template: str):
    form = AskForm(request.GET if "q" in request.GET else None)
    result = None
    more = request.GET.get("more") == "1"
    if form.is_valid():
        # The org whose standing is shown: the one chosen in the switcher, else the top
        # of the user's reach (none for a plain member).
        result = ask(
            form.cleaned_data["q"],
            user=request.user,
            org=working_org(request),
            limit=20 if more else None,
        )
    return render(
        request,
        template,
        {"form": form, "result": result, "examples": EXAMPLES, "more": more},
    )
