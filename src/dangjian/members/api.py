from typing import Annotated

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from dangjian.api.paging import page_of
from dangjian.api.types import Id, Page
from dangjian.core.errors import DomainError
from dangjian.core.exporters import XLSX_TYPE
from dangjian.core.scope import get_manageable, get_visible
from dangjian.core.uploads import accept
from dangjian.members import imports, selectors, services
from dangjian.members.models import Member
from dangjian.members.schemas import (
    EventOut,
    ImportResult,
    MemberIn,
    MemberOut,
    MemberPage,
    MemberPatch,
    RevealOut,
)
from dangjian.orgs.models import Org, Unit

router = Router(tags=["党员"])


class MemberFilter(Schema):
    org: Id | None = None
    q: str = ""
    status: Member.Status | None = None
    order: str = "name"
    page: Page = 1
    page_size: Annotated[int, Field(le=10_000)] = 50


def _refs(request, data: dict) -> dict:
    """Turn ids in the payload into objects, through the gate."""
    if data.get("org") is not None:
        data["org"] = get_object_or_404(Org.objects.visible_to(request.user), pk=data["org"])
    if "group" in data and data["group"] is not None:
        data["group"] = get_object_or_404(Org.objects.visible_to(request.user), pk=data["group"])
    if "unit" in data and data["unit"] is not None:
        data["unit"] = get_object_or_404(Unit, pk=data["unit"])
    if "education" in data and data["education"] is None:
        data["education"] = ""
    if "cadre_level" in data and data["cadre_level"] is None:
        data["cadre_level"] = ""
    return data


@router.get("", response=MemberPage, summary="党员列表（组织及其下级，可见范围内）")
def member_list(request, filters: Query[MemberFilter]):
    if filters.q.strip() and selectors.search_url_value(filters.q) == "":
        # A full ID number in a URL ends up in access logs: it is searched by POST.
        raise DomainError("按完整身份证号查询请用 POST /members/search，不要写在网址中", field="q")
    return _member_page(request, filters)


@router.post("/search", response=MemberPage, summary="党员查询（条件在请求体中，可按完整身份证号）")
def member_search(request, filters: MemberFilter):
    return _member_page(request, filters)


def _member_page(request, filters: MemberFilter) -> dict:
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    qs = selectors.member_rows(
        user=request.user, q=filters.q, status=filters.status or "", org=org, order=filters.order
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("", response={201: MemberOut}, summary="新建党员档案")
def member_create(request, payload: MemberIn):
    data = _refs(request, payload.dict())
    return Status(201, services.member_create(actor=request.user, **data))


@router.get("/import-template", summary="下载导入模板 (.xlsx)")
def member_import_template(request):
    resp = HttpResponse(imports.template_xlsx(), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = imports.template_disposition()
    return resp


@router.post("/import", response={201: ImportResult}, summary="批量导入（全部成功或全部不导入）")
def member_import(request, file: File[UploadedFile]):
    accept(file)
    created = imports.member_import(actor=request.user, data=file.read())
    return Status(201, {"created": len(created), "ids": [m.pk for m in created]})


@router.get("/{member_id}", response=MemberOut, summary="党员详情（身份证号脱敏）")
def member_detail(request, member_id: Id):
    return get_visible(Member.objects.select_related("org"), request.user, pk=member_id)


@router.patch("/{member_id}", response=MemberOut, summary="修改党员信息")
def member_update(request, member_id: Id, payload: MemberPatch):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    for key in ("name", "gender", "birth_date", "org", "status"):
        if key in data and data[key] is None:
            raise DomainError("此项不能为空", field=key)
    return services.member_update(
        actor=request.user, member=member, reason=reason, **_refs(request, data)
    )


@router.get("/{member_id}/history", response=list[EventOut], summary="身份与组织变动记录")
def member_history(request, member_id: Id):
    member = get_visible(Member.objects, request.user, pk=member_id)
    return list(selectors.member_history(user=request.user, member=member))


@router.post("/{member_id}/reveal-id", response=RevealOut, summary="查看完整身份证号（留痕）")
def member_reveal_id(request, member_id: Id):
    member = get_visible(Member.objects.select_related("org"), request.user, pk=member_id)
    return {"id_number": services.member_reveal_id(actor=request.user, member=member)}
