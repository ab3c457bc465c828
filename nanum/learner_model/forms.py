from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import DiagnosticItem


class DiagnosticForm(forms.Form):
    """One radio group per diagnostic question."""

    def __init__(
        self, *args: Any, items: Sequence[DiagnosticItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.prompt,
                choices=list(enumerate(item.choices or [])),
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(v not in (None, "") for v in data.values()):
            raise forms.ValidationError(_("Answer at least one question."))
        return data

    def answers(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for item in self.items:
            value = self.cleaned_data.get(f"item_{item.pk}")
            if value not in (None, ""):
                out.append((item.pk, int(value)))
        return out
