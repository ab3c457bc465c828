"""The page shell keeps the CSP and stays light: no inline styles in any template, and
htmx only on the pages that use it (docs/CONVENTIONS.md, §4 Templates)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

NANUM = Path(__file__).resolve().parent.parent / "nanum"
TEMPLATES = sorted(NANUM.rglob("templates/**/*.html"))
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
HX_ATTR = re.compile(r"\shx-(?!headers)[a-z-]+\s*=")


def _name(path: Path) -> str:
    return str(path.relative_to(NANUM))


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_no_inline_styles(path: Path) -> None:
    """The CSP (style-src 'self') refuses style attributes and <style> elements."""
    text = path.read_text(encoding="utf-8")
    assert not STYLE_ATTR.search(text), f"{_name(path)} has a style attribute"
    assert not STYLE_ELEMENT.search(text), f"{_name(path)} has a <style> element"


def test_htmx_is_loaded_only_by_the_pages_that_use_it() -> None:
    base = (NANUM / "templates" / "base.html").read_text(encoding="utf-8")
    assert "htmx" not in base.replace("{% block htmx %}", "")
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        uses = bool(HX_ATTR.search(text))
        loads = '{% include "htmx.html" %}' in text
        page = "{% extends" in text  # not a fragment swapped into a page
        assert loads == (uses and page), (
            f"{_name(path)}: a page loads htmx exactly when it has hx- attributes"
        )


@pytest.mark.django_db
def test_a_page_without_htmx_does_not_load_it(client: Client) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert "htmx" not in body
    assert 'rel="icon"' in body
