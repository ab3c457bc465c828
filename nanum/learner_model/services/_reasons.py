"""A recommendation's reason as a sentence in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _


def reason_text(reason: Mapping[str, Any], names: Mapping[str, str]) -> str:
    skill = str(reason.get("skill", ""))
    label = names.get(skill) or skill
    code = reason.get("code")
    if code == "review":
        text = _(
            "You answered %(correct)s of %(answered)s “%(skill)s” questions correctly; "
            "this lesson reviews it."
        ) % {
            "correct": reason.get("correct", 0),
            "answered": reason.get("answered", 0),
            "skill": label,
        }
    elif code == "prerequisite":
        unlocks = str(reason.get("unlocks", ""))
        text = _(
            "“%(skill)s” comes before “%(next)s”, which you are finding hard; "
            "this lesson builds that base."
        ) % {"skill": label, "next": names.get(unlocks) or unlocks}
    elif code == "diagnostic":
        text = _("A short quiz tells us where to start.")
    else:
        text = _(
            "You have not practised “%(skill)s” yet; this lesson introduces it."
        ) % {"skill": label}
    extras = []
    if reason.get("goal"):
        extras.append(_("It is in your study plan."))
    if reason.get("provider"):
        extras.append(_("Your lecture site also covers this subject."))
    return " ".join([text, *extras])
