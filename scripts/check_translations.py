#!/usr/bin/env python3
"""Every user-visible string has Korean: extract the messages of a copy of the project
(the same ``makemessages`` runs as ``scripts/messages.sh``, so the tree is not touched)
and fail on any Korean entry that is empty or fuzzy (a fuzzy entry is not compiled, so
the page would show English).

    .venv/bin/python scripts/check_translations.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("lending", "learning", "programs", "mentoring", "learner_model", "insights")
ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def entries(po: Path) -> Iterator[tuple[str, bool, bool]]:
    """(msgid, fuzzy, untranslated) of every live entry."""
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or any(line.startswith("#~") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            m = ENTRY.match(line)
            if m:
                current = m.group(1)
                fields[current] = m.group(2)
            elif current and line.startswith('"'):
                fields[current] += line[1:-1]
        msgid = fields.get("msgid", "")
        if not msgid:
            continue  # the header
        strs = [v for k, v in fields.items() if k.startswith("msgstr")]
        yield msgid, fuzzy, all(s == "" for s in strs)


def extract(copy: Path) -> None:
    admin = str(ROOT / ".venv" / "bin" / "django-admin")
    env = dict(
        os.environ, DJANGO_SETTINGS_MODULE="nanum.settings", PYTHONPATH=str(copy)
    )
    ignore = [a for app in (*APPS, "*/tests") for a in ("--ignore", f"{app}/*")]
    run = [admin, "makemessages", "-l", "ko", "--no-location", "--no-obsolete"]
    subprocess.run(
        [*run, "--ignore", "*/tests/*", *ignore],
        cwd=copy / "nanum",
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for app in APPS:
        if (copy / "nanum" / app / "locale").is_dir():
            subprocess.run(
                [*run, "--ignore", "tests/*"],
                cwd=copy / "nanum" / app,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )


def main() -> int:
    if shutil.which("xgettext") is None:
        print("check_translations: xgettext (gettext) not found; skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="nanum-i18n-") as tmp:
        copy = Path(tmp)
        shutil.copytree(
            ROOT / "nanum",
            copy / "nanum",
            ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
        )
        extract(copy)
        missing = [
            f"{po.relative_to(copy)}: {'fuzzy' if fuzzy else 'no Korean'}: {msgid!r}"
            for po in sorted(copy.glob("nanum/**/locale/ko/LC_MESSAGES/django.po"))
            for msgid, fuzzy, empty in entries(po)
            if fuzzy or empty
        ]
    for line in missing:
        print(line)
    if missing:
        print(
            f"{len(missing)} string(s) without Korean: add them to the app's "
            "locale/ko/LC_MESSAGES/django.po (scripts/messages.sh extracts them)"
        )
        return 1
    print("every string has Korean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
