# A stale mark names the year whose kept findings it makes stale (closed years are kept
# too) and whether the org's subtree or only its own findings are stale.

import datetime as dt
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models


def this_year(apps, schema_editor):
    """The marks set before carried no year: they were of this year (Beijing time)."""
    year = dt.datetime.now(ZoneInfo("Asia/Shanghai")).year
    apps.get_model("standards", "StaleMark").objects.update(year=year)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_org_kind_index"),
        ("standards", "0006_kept_finding_due"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stalemark",
            name="org",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.org"
            ),
        ),
        migrations.AddField(
            model_name="stalemark",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="评估年度"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stalemark",
            name="whole",
            field=models.BooleanField(default=True, verbose_name="整个下级范围"),
        ),
        migrations.RunPython(this_year, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stalemark",
            constraint=models.UniqueConstraint(
                fields=("org", "year"), name="stale_mark_unique_org_year"
            ),
        ),
    ]
