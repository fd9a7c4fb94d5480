"""The skill vocabulary the platform ships with (issue 16: 网络技术, 信息安全, 新媒体, 文字写作,
视频制作, 数据分析, 法律 …); an administrator adds more on the skills page."""

from django.db import migrations

DEFAULT_SKILLS = [
    "网络技术",
    "信息安全",
    "新媒体",
    "文字写作",
    "视频制作",
    "数据分析",
    "法律",
    "舆情研判",
    "摄影摄像",
    "宣讲",
]


def add_skills(apps, schema_editor):
    Skill = apps.get_model("talent", "Skill")
    for i, name in enumerate(DEFAULT_SKILLS):
        Skill.objects.get_or_create(name=name, defaults={"sort": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_talent_pool_and_tracks")]

    operations = [migrations.RunPython(add_skills, migrations.RunPython.noop)]
