"""Subjects, levels, modes: the vocabulary of surveys and matching."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Subject(models.TextChoices):
    """Subjects in bit order for the matcher (at most 10)."""

    KOREAN = "korean", _("Korean")
    ENGLISH = "english", _("English")
    MATHS = "maths", _("Maths")
    SCIENCE = "science", _("Science")
    SOCIAL = "social", _("Social studies")
    CODING = "coding", _("Coding")


SUBJECT_INDEX = {code: i for i, code in enumerate(Subject.values)}


class Level(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary school")
    MIDDLE = "middle", _("Middle school")
    HIGH = "high", _("High school")


LEVEL_INDEX = {code: i for i, code in enumerate(Level.values)}


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person")
    EITHER = "either", _("Online or in person")


MODE_BITS: dict[str, int] = {Mode.ONLINE: 1, Mode.OFFLINE: 2, Mode.EITHER: 3}


def subject_labels(codes: list[str]) -> str:
    """Translated subject names, comma-separated, for pages."""
    labels = dict(Subject.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes or [])


def level_labels(codes: list[str]) -> str:
    labels = dict(Level.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes or [])


class Gender(models.TextChoices):
    UNSTATED = "", _("Not stated")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
