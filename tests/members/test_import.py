import io

import pytest
from openpyxl import Workbook, load_workbook

from dangjian.core.models import AuditEntry
from dangjian.members.imports import COLUMNS, template_xlsx
from dangjian.members.models import Member
from tests.factories import id_number_for

pytestmark = pytest.mark.django_db


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([c[0] for c in COLUMNS])
    for row in rows:
        sheet.append([row.get(c[0]) for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a user may type it
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "members.xlsx"
    return out


def row(org, name="周杰", born="1992-08-08", gender="男", **extra):
    import datetime as dt

    number = id_number_for(dt.date.fromisoformat(born), "male" if gender == "男" else "female")
    return {
        "姓名": name,
        "性别": gender,
        "出生日期": born,
        "身份证号": number,
        "所在党组织": org.name,
        "人员类别": "入党申请人",
        "申请入党日期": "2024-01-02",
        "手机号": "13600001111",
        **extra,
    }


def test_template_has_every_column():
    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in sheet[1]] == [c[0] for c in COLUMNS]


def test_template_sample_id_is_valid_and_the_file_is_named_in_chinese(world, client_for):
    import datetime as dt
    from urllib.parse import unquote

    from django.urls import reverse

    from dangjian.core.idnumber import validate_id_number

    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    sample = dict(zip([c[0] for c in COLUMNS], [c.value for c in sheet[2]], strict=True))
    born = dt.date.fromisoformat(sample["出生日期"])
    assert validate_id_number(sample["身份证号"], birth_date=born, gender="male")
    resp = client_for(world.user("sec_a")).get(reverse("members:import_template"))
    assert unquote(resp["Content-Disposition"]).endswith("党员信息导入模板.xlsx")


def test_good_file_imports_every_row(api_for, world):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import",
        {"file": workbook([row(world.a), row(world.a, "林芳", gender="女")])},
    )
    assert resp.status_code == 201, resp.json()
    assert resp.json()["created"] == 2
    assert Member.objects.filter(name__in=["周杰", "林芳"], org=world.a).count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_one_bad_row_imports_nothing_and_names_every_problem(api_for, world):
    good = row(world.a)
    bad_id = row(world.a, "错号")
    bad_id["身份证号"] = bad_id["身份证号"][:-1] + ("1" if bad_id["身份证号"][-1] != "1" else "2")
    no_name = row(world.a, None)
    dup = dict(good, 姓名="重复")
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import", {"file": workbook([good, bad_id, no_name, dup])}
    )
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {
        (3, "身份证号"),
        (4, "姓名"),
        (5, "身份证号"),
    }
    assert "与第 2 行的身份证号重复" in next(e["message"] for e in errors if e["row"] == 5)
    assert not Member.objects.filter(name="周杰").exists()


def test_existing_id_number_is_reported_as_duplicate(api_for, world):
    client = api_for(world.user("sec_a"))
    first = row(world.a)
    assert client.post("/api/v1/members/import", {"file": workbook([first])}).status_code == 201
    again = client.post("/api/v1/members/import", {"file": workbook([first])})
    assert again.status_code == 422
    assert "重复" in again.json()["errors"][0]["message"]
    assert Member.objects.filter(name="周杰").count() == 1


def test_org_outside_reach_is_a_row_error(api_for, world):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import", {"file": workbook([row(world.b)])}
    )
    assert resp.status_code == 422
    assert "不在您的管理范围内" in resp.json()["errors"][0]["message"]


def test_not_an_excel_file(api_for, world):
    upload = io.BytesIO(b"not a workbook")
    upload.name = "x.xlsx"
    resp = api_for(world.user("sec_a")).post("/api/v1/members/import", {"file": upload})
    assert resp.status_code == 422
    assert "不是有效的 Excel" in resp.json()["detail"]


def cut_sheet_in_half(upload) -> io.BytesIO:
    """The same workbook with its first sheet's XML cut off in the middle."""
    import zipfile

    src = zipfile.ZipFile(upload)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    out.seek(0)
    out.name = "members.xlsx"
    return out


def test_sheet_xml_cut_in_half_is_422_and_imports_nothing(api_for, world):
    upload = cut_sheet_in_half(workbook([row(world.a, name=f"周{i}") for i in range(40)]))
    before = Member.objects.count()
    resp = api_for(world.user("sec_a")).post("/api/v1/members/import", {"file": upload})
    assert resp.status_code == 422
    assert "不是有效的 Excel" in resp.json()["detail"]
    assert Member.objects.count() == before


# --- Units: a secretary names existing ones; the work committee may create them ---


def test_secretary_import_cannot_create_a_unit(api_for, world):
    from dangjian.orgs.models import Unit

    before = Unit.objects.count()
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import",
        {"file": workbook([row(world.a), row(world.a, "林芳", gender="女", 工作单位="=1+1单位")])},
    )
    assert resp.status_code == 422
    [error] = resp.json()["errors"]
    assert (error["row"], error["column"]) == (3, "工作单位")
    assert "平台中没有工作单位“=1+1单位”" in error["message"]
    assert Unit.objects.count() == before and not Member.objects.filter(name="周杰").exists()


def test_secretary_import_names_an_existing_unit(api_for, world):
    from dangjian.orgs.services import unit_create
    from tests.factories import SYSTEM

    unit = unit_create(actor=SYSTEM, name="市财政局预算处")
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import", {"file": workbook([row(world.a, 工作单位="市财政局预算处")])}
    )
    assert resp.status_code == 201, resp.json()
    assert Member.objects.get(name="周杰").unit == unit


def test_work_committee_import_creates_a_unit_with_an_audit_entry(api_for, world):
    from dangjian.orgs.models import Unit

    resp = api_for(world.user("wc_admin")).post(
        "/api/v1/members/import", {"file": workbook([row(world.a, 工作单位="市审计局")])}
    )
    assert resp.status_code == 201, resp.json()
    assert Member.objects.get(name="周杰").unit == Unit.objects.get(name="市审计局")
    assert AuditEntry.objects.filter(verb="新建单位", object_id=str(Unit.objects.get().pk)).exists()


def test_a_new_unit_may_not_look_like_a_formula(api_for, world):
    from dangjian.orgs.models import Unit

    resp = api_for(world.user("wc_admin")).post(
        "/api/v1/members/import", {"file": workbook([row(world.a, 工作单位="=1+1单位")])}
    )
    assert resp.status_code == 422
    assert "不能以 =、+、-、@ 开头" in resp.json()["errors"][0]["message"]
    assert not Unit.objects.exists()


# --- Size: streaming, blank runs, a row limit ---


def test_reading_stops_after_a_run_of_blank_rows(api_for, world):
    """A sheet that claims a million (styled, empty) rows: the import reads its data and
    stops; text past the blank run (row 1,000,000) is never reached."""
    from openpyxl.styles import Font

    upload = workbook([row(world.a)])
    book = load_workbook(upload)
    sheet = book.active
    sheet.cell(row=1_000_000, column=1, value="远处的文字").font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "members.xlsx"
    resp = api_for(world.user("sec_a")).post("/api/v1/members/import", {"file": out})
    assert resp.status_code == 201, resp.json()
    assert resp.json()["created"] == 1


def test_blank_rows_between_data_rows_are_skipped(api_for, world):
    rows = [row(world.a)] + [{}] * 5 + [row(world.a, "林芳", gender="女")]
    resp = api_for(world.user("sec_a")).post("/api/v1/members/import", {"file": workbook(rows)})
    assert resp.status_code == 201, resp.json()
    assert resp.json()["created"] == 2


def test_more_rows_than_the_limit_is_refused_whole(api_for, world, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [row(world.a, f"党员{i}") for i in range(3)]
    resp = api_for(world.user("sec_a")).post("/api/v1/members/import", {"file": workbook(rows)})
    assert resp.status_code == 422
    assert "超过 2 行" in resp.json()["detail"] and "拆分" in resp.json()["detail"]
    assert not Member.objects.filter(name__startswith="党员").exists()


def test_exactly_the_limit_is_accepted(api_for, world, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [row(world.a, f"党员{i}") for i in range(2)]
    resp = api_for(world.user("sec_a")).post("/api/v1/members/import", {"file": workbook(rows)})
    assert resp.status_code == 201, resp.json()


SECTION_LABEL = "乡科级及以下（含一级主任科员及以下）"


def test_cadre_level_column_is_read_by_label_or_short_name(api_for, world):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import",
        {
            "file": workbook(
                [
                    row(world.a, 干部层级="县处级"),
                    row(world.a, "林芳", gender="女", 干部层级=SECTION_LABEL),
                ]
            )
        },
    )
    assert resp.status_code == 201, resp.json()
    levels = dict(Member.objects.filter(org=world.a).values_list("name", "cadre_level"))
    assert levels["周杰"] == "county" and levels["林芳"] == "section"


def test_unknown_cadre_level_names_the_choices(api_for, world):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/import", {"file": workbook([row(world.a, 干部层级="厅级")])}
    )
    assert resp.status_code == 422
    assert "县处级" in str(resp.json())
