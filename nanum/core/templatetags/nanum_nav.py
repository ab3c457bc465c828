"""``{% nav_links %}``: the main menu's links, drawn once per page.

The page shows the same menu twice (the phone's menu button and the wide screen's
bar, one of them hidden by CSS); the second use takes the HTML the first drew."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context: Any) -> SafeString:
    drawn: SafeString | None = context.render_context.get("nanum_nav_links")
    if drawn is None:  # a template's output is already escaped (a SafeString)
        drawn = context.template.engine.get_template("nav_links.html").render(context)
        context.render_context["nanum_nav_links"] = drawn
    return drawn
