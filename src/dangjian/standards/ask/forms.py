from __future__ import annotations

from django import forms

from dangjian.core.errors import DomainError
from dangjian.core.forms import BootstrapMixin
from dangjian.standards.ask.answers import EXAMPLES, clean_question


class AskForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label="问题",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": f"例如：{EXAMPLES[0]}", "autocomplete": "off", "type": "search"}
        ),
    )

    def clean_q(self) -> str:
        try:
            return clean_question(self.cleaned_data.get("q"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message)
