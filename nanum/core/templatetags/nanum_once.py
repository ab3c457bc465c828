"""``{% form_token %}``: a one-time token for a form that writes (see
``nanum.core.idempotency.form_once``): sent twice, the form writes once."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from nanum.core.idempotency import FORM_FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_FIELD, new_form_token()
    )
