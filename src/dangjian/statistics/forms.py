"""Forms of the 党内统计 pages: the org and year picker (orgs from the gate) and generate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from dangjian.core.forms import BootstrapMixin
from dangjian.core.scope import org_tree
from dangjian.orgs.models import Org


class PickForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=Org.objects.none(), label="党组织", empty_label=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user).order_by("path")
        this = timezone.localdate().year
        self.fields["year"].choices = [(y, f"{y}年") for y in range(this, this - 10, -1)]
