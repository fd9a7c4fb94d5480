from collections.abc import Iterable

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dangjian.core.models import AuditEntry
from dangjian.core.scope import org_tree


class BootstrapMixin:
    """Give every widget Bootstrap's class (form-control / form-select / form-check-input for
    checkboxes, radio buttons and lists of them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field, error):
        """Mark every field with an error ``is-invalid`` (Bootstrap's red border), whether the
        error came from the field's own cleaning or from a service (``add_domain_errors``)."""
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", "").split():
                    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, required=False, label="组织")
    actor = forms.CharField(required=False, label="操作人")
    action = forms.ChoiceField(
        choices=[("", "全部动作"), *AuditEntry.Action.choices], required=False, label="动作"
    )
    date_from = forms.DateField(
        required=False, label="起始日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="截止日期", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


def add_domain_errors(form, exc, *, field_map=None) -> None:
    """Put a DomainError's messages on the form: each on its field when the form has that
    field (after ``field_map``, e.g. "params.min" → "p_min"), otherwise above the form."""
    for err in exc.errors or [{"field": None, "message": exc.message}]:
        field = err.get("field") or ""
        if field_map is not None:
            field = field_map(field)
        form.add_error(field if field in form.fields else None, err["message"])


def option_tags(choices: Iterable[tuple[int, str]], selected: int | None) -> SafeString:
    """``<option>``s of (id, label) pairs, ``selected`` marked, drawn in one pass of
    f-strings: a few hundred orgs through a template loop, the form widget's templates or
    ``format_html`` cost more than the rest of the page (the member list's org filter, the
    驾驶舱 picker). Every label is escaped here."""
    return mark_safe(
        "".join(
            f'<option value="{pk}"{" selected" if pk == selected else ""}>{escape(label)}</option>'
            for pk, label in choices
        )
    )
