"""Encrypted model fields for sensitive personal data (welfare status, contact...).

Values are encrypted with Fernet (AES-128-CBC + HMAC) using the keys in
``settings.FIELD_ENCRYPTION_KEYS``; the first key encrypts, all keys decrypt, so keys
can be rotated. Encrypted values cannot be searched or ordered in the database.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:  # a wrong key must not pass silently
        raise ValueError("encrypted field could not be decrypted") from exc


class EncryptedTextField(models.TextField):
    """A text field stored encrypted at rest."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON value stored encrypted at rest."""

    # What django-stubs checks on assignment and access: any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    description = "JSON encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))
