"""Stable step codes: every stored template step gets the code of its place in the shipped
template of the same procedure (templates stored so far all have the shipped numbering);
the ``fields`` column goes, since what a step asks for comes from its validation's schema.

The codes are frozen here (not imported from ``steps.py``) so this migration keeps
meaning what it meant when a later release renames or reorders steps.
"""

from django.db import migrations, models
from django.db.models import Q

CODES = {
    "development": [
        "application", "application_talk", "activist_confirmed", "activist_filed",
        "contacts_assigned", "activist_reviewed", "candidate_confirmed", "candidate_filed",
        "sponsors_named", "political_review", "training_done", "committee_reviewed",
        "superior_prereviewed", "volunteer_form", "admission_meeting", "superior_talk",
        "admission_approved", "admission_filed", "group_assigned", "oath_taken",
        "probation_education", "full_application", "full_meeting", "full_approved",
        "archived",
    ],
    "transfer": ["transfer_applied", "letter_issued", "received"],
    "election": [
        "election_requested", "plan_approved", "candidates_named", "election_held",
        "result_approved",
    ],
}  # fmt: skip


def add_codes(apps, schema_editor):
    ProcedureStep = apps.get_model("development", "ProcedureStep")
    for step in ProcedureStep.objects.select_related("procedure").filter(code=""):
        codes = CODES.get(step.procedure.code, [])
        if 1 <= step.number <= len(codes):
            step.code = codes[step.number - 1]
            step.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("development", "0002_material_checksum"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedurestep",
            name="code",
            field=models.CharField(blank=True, max_length=40, verbose_name="步骤代码"),
        ),
        migrations.RunPython(add_codes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="procedurestep",
            name="fields",
        ),
        migrations.AddConstraint(
            model_name="procedurestep",
            constraint=models.UniqueConstraint(
                condition=~Q(code=""),
                fields=("procedure", "code"),
                name="procedure_step_code_unique",
                violation_error_message="同一流程的步骤代码不能重复",
            ),
        ),
    ]
