"""The ZEUS Open API client: paging, timeouts, retries with back-off, XML or JSON.

The standard library's ``urllib`` is used on purpose: none of the well-kept HTTP
libraries (httpx, requests, urllib3) is a dependency of the web app, and this client
needs only GET with a timeout. Timeouts, connection errors, answers that are not
HTTP and 5xx/429 answers are retried with exponential back-off; a 429 or 503 that
says when to come back (``Retry-After``, in seconds or as an HTTP date) is retried
after that wait instead, capped at ``max_retry_after``. A refused key (401/403, or a
refusal code in the body) and a malformed page are not retried. The key is sent as a
query parameter and never appears in an error message.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from . import zeus_fields as F

MAX_PAGE_BYTES = 16 * 1024 * 1024
MAX_PAGES = 10_000
MAX_RETRY_AFTER = 300.0  # seconds: longer waits asked by the server are cut to this


class ZeusError(Exception):
    """The feed could not be read; ``code``: key_refused, timeout, unreachable,
    http_error, malformed."""

    def __init__(self, code: str, detail: str = "", *, page: int | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.page = page


@dataclass
class FeedPage:
    number: int
    total: int
    records: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ZeusClient:
    base_url: str
    api_key: str
    page_size: int = 500
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_retry_after: float = MAX_RETRY_AFTER
    fmt: str = "json"
    sleep: Callable[[float], None] = time.sleep

    def url(self, page: int) -> str:
        query = urllib.parse.urlencode(
            {
                F.PARAM_KEY: self.api_key,
                F.PARAM_PAGE: page,
                F.PARAM_PAGE_SIZE: self.page_size,
                F.PARAM_TYPE: self.fmt,
            }
        )
        return f"{self.base_url.rstrip('/')}{F.LIST_PATH}?{query}"

    def _get(self, page: int) -> tuple[bytes, str]:
        request = urllib.request.Request(  # noqa: S310 - the configured https base URL
            self.url(page),
            headers={"Accept": "application/json, application/xml;q=0.9"},
        )
        delay = self.backoff
        for attempt in range(self.retries + 1):
            wait: float | None = None  # what the server asked for, if it did
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310
                    body = resp.read(MAX_PAGE_BYTES + 1)
                    if len(body) > MAX_PAGE_BYTES:
                        raise ZeusError("malformed", "page too large", page=page)
                    return body, resp.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    raise ZeusError(
                        "key_refused", f"HTTP {exc.code}", page=page
                    ) from None
                last = ZeusError("http_error", f"HTTP {exc.code}", page=page)
                if exc.code != 429 and exc.code < 500:
                    raise last from None
                if exc.code in (429, 503):
                    wait = retry_after_seconds(
                        exc.headers.get("Retry-After"), cap=self.max_retry_after
                    )
            except TimeoutError:
                last = ZeusError("timeout", f"{self.timeout:g} s", page=page)
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError):
                    last = ZeusError("timeout", f"{self.timeout:g} s", page=page)
                else:
                    last = ZeusError("unreachable", str(exc.reason)[:200], page=page)
            except (ConnectionError, OSError, http.client.HTTPException) as exc:
                last = ZeusError("unreachable", type(exc).__name__, page=page)
            if attempt < self.retries:
                self.sleep(delay if wait is None else wait)
                delay *= 2
        raise last

    def page(self, number: int) -> FeedPage:
        body, content_type = self._get(number)
        return parse_page(body, content_type, number)

    def pages(self) -> Iterator[FeedPage]:
        """Every page of the feed, in order, until ``total`` records were served."""
        number, seen = 1, 0
        while number <= MAX_PAGES:
            page = self.page(number)
            yield page
            seen += len(page.records)
            if not page.records or seen >= page.total:
                return
            number += 1
        raise ZeusError("malformed", "too many pages", page=number)


def retry_after_seconds(
    value: str | None, *, cap: float, now: datetime | None = None
) -> float | None:
    """The wait a ``Retry-After`` header asks for (delay-seconds or an HTTP date),
    between 0 and ``cap``; None when there is none or it cannot be read."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        seconds = float(text)
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), cap)


def _int(value: Any, page: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ZeusError(
            "malformed", "page numbers are not numbers", page=page
        ) from None


def _check_result(code: str, message: str, page: int) -> None:
    if code in F.KEY_REFUSED_CODES:
        raise ZeusError("key_refused", f"{code} {message}"[:200], page=page)
    if code not in F.OK_CODES:
        raise ZeusError("http_error", f"{code} {message}"[:200], page=page)


def _flat(record: Any) -> dict[str, str]:
    if not isinstance(record, dict):
        raise ValueError("record")
    return {
        str(k): "" if v is None else str(v)
        for k, v in record.items()
        if not isinstance(v, (dict, list))
    }


def _find_list(doc: dict[str, Any]) -> list[Any] | None:
    for holder in (doc, doc.get("body"), doc.get("response"), doc.get("result")):
        if not isinstance(holder, dict):
            continue
        for name in F.ITEM_LISTS:
            value = holder.get(name)
            if isinstance(value, dict) and isinstance(value.get("item"), list):
                value = value["item"]
            if isinstance(value, list):
                return value
    return None


def _meta(doc: dict[str, Any], names: tuple[str, ...]) -> Any:
    for holder in (doc, doc.get("body"), doc.get("header"), doc.get("response")):
        if isinstance(holder, dict):
            for name in names:
                if name in holder:
                    return holder[name]
    return None


def _parse_json(body: bytes, number: int) -> FeedPage:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ZeusError("malformed", "not JSON", page=number) from None
    if not isinstance(doc, dict):
        raise ZeusError("malformed", "not a JSON object", page=number)
    code = _meta(doc, F.RESULT_CODE)
    if code is not None:
        _check_result(str(code), str(_meta(doc, F.RESULT_MESSAGE) or ""), number)
    items = _find_list(doc)
    total = _meta(doc, F.PAGE_TOTAL)
    if items is None or total is None:
        raise ZeusError("malformed", "no items or no total", page=number)
    try:
        records = [_flat(r) for r in items]
    except ValueError:
        raise ZeusError("malformed", "an item is not an object", page=number) from None
    return FeedPage(number=number, total=_int(total, number), records=records)


def _parse_xml(body: bytes, number: int) -> FeedPage:
    head = body[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in body.upper():
        raise ZeusError("malformed", "DTDs are not accepted", page=number)
    try:
        root = ET.fromstring(body)  # noqa: S314 - no DTD, no entities (checked above)
    except ET.ParseError:
        raise ZeusError("malformed", "not well-formed XML", page=number) from None

    def text(names: tuple[str, ...]) -> str | None:
        for name in names:
            found = root.find(f".//{name}")
            if found is not None:
                return (found.text or "").strip()
        return None

    code = text(F.RESULT_CODE)
    if code is not None:
        _check_result(code, text(F.RESULT_MESSAGE) or "", number)
    total = text(F.PAGE_TOTAL)
    if total is None:
        raise ZeusError("malformed", "no total", page=number)
    records = [
        {child.tag: (child.text or "").strip() for child in item}
        for item in root.iter(F.XML_ITEM_TAG)
    ]
    return FeedPage(number=number, total=_int(total, number), records=records)


def parse_page(body: bytes, content_type: str, number: int) -> FeedPage:
    """One page of the feed, JSON or XML (by content type, else by its first byte)."""
    start = body.lstrip()[:1]
    if "xml" in content_type or start == b"<":
        return _parse_xml(body, number)
    return _parse_json(body, number)
