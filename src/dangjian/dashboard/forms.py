"""The dashboard's picker: the org (within reach) and the year (those with kept figures)."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin
from dangjian.dashboard import selectors
from dangjian.orgs.models import Org


class PickForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=Org.objects.none(), label="党组织", empty_label=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.org_choices(user)
        self.fields["year"].choices = [(y, f"{y}年") for y in selectors.years_kept()]
