"""A local fake of the ZEUS Open API (http.server in a thread): never the internet.

It serves recorded-shape pages of records as JSON or XML (``type`` parameter), with
``total``, ``page`` and ``pageSize``, checks the key, and can be told to answer a
page with an error (``500``), a refusal (``403`` or a refusal code in the body), a
timeout (``slow``), a malformed body, a throttle (``429``/``503`` with the
``Retry-After`` in ``retry_after``), an answer that is not HTTP (``garbage``), or a
page that is wrong but well formed: ``empty``, ``short`` (half its records),
``shifted`` (one record back: the previous page's last again, its own last lost);
``totals`` makes a page report another ``total``. Used by the tests only
(bench/zeus_sync.py has its own feed, bench/_zeusfeed.py).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

KEY = "test-key"
OWNERS = [
    ("서울대학교", "Seoul National University", "관악구 관악로 1", "08826"),
    ("연세대학교", "Yonsei University", "서대문구 연세로 50", "03722"),
    ("고려대학교", "Korea University", "성북구 안암로 145", "02841"),
    ("한국과학기술연구원", "KIST", "성북구 화랑로14길 5", "02792"),
    ("서울과학기술대학교", "SeoulTech", "노원구 공릉로 232", "01811"),
    ("한양대학교", "Hanyang University", "성동구 왕십리로 222", "04763"),
    ("이화여자대학교", "Ewha Womans University", "서대문구 이화여대길 52", "03760"),
    ("한국표준과학연구원 서울분원", "KRISS Seoul", "강서구 마곡중앙로 1", "07789"),
]
KINDS = [
    ("주사전자현미경", "Scanning electron microscope"),
    ("원자힘현미경", "Atomic force microscope"),
    ("적외선 분광기", "FT-IR spectrometer"),
    ("자외선-가시광선 분광광도계", "UV-Vis spectrophotometer"),
    ("공초점 레이저 현미경", "Confocal laser microscope"),
    ("가스 크로마토그래피", "Gas chromatograph"),
    ("오실로스코프", "Digital oscilloscope"),
    ("열화상 카메라", "Thermal imaging camera"),
    ("3D 스캐너", "3D scanner"),
    ("원심분리기", "Centrifuge"),
    ("PCR 장비", "PCR thermal cycler"),
    ("분광 형광 광도계", "Spectrofluorometer"),
]


def record(i: int, rng: random.Random | None = None) -> dict[str, str]:
    """One plausible ZEUS record (institution REST field names)."""
    rng = rng or random.Random(i)
    owner = OWNERS[i % len(OWNERS)]
    kind = KINDS[(i // len(OWNERS)) % len(KINDS)]
    year = 2010 + i % 14
    return {
        "equipId": f"Z{i:07d}",
        "equipNo": f"NFEC-{year}-{1 + i % 12:02d}-{100000 + i:06d}",
        "fixedAsetNo": f"A{year}-{i:06d}",
        "korNm": kind[0],
        "engNm": kind[1],
        "organNm": owner[0],
        "organCd": f"ORG{i % len(OWNERS):03d}",
        "useScopeCd": "1" if i % 10 == 0 else "2",
        "idleDisuseCd": "2" if i % 3 else "4",
        "statusCd": "A",
        "registDt": f"{year}0{1 + i % 9}15",
        "modifyDt": "20260101",
        "chargerNm": "김연구",
        "chargerEmail": f"equip{i % 50}@lab.example.ac.kr",
        "chargerTelno": "02-880-0000",
        "installPlace": f"{owner[2]} {1 + i % 30}동 {100 + i % 400}호",
        "zipCd": owner[3],
        "rentPsblYn": "Y" if i % 4 else "O",
        "eduNeedYn": "Y" if i % 5 == 0 else "N",
        "equipSpec": f"{kind[1]}, model {rng.randint(100, 999)}",
    }


def feed(n: int) -> list[dict[str, str]]:
    return [record(i) for i in range(n)]


class FakeZeus:
    """The server's state: records, behaviour per page, what it was asked."""

    def __init__(self, records: list[dict[str, str]] | None = None) -> None:
        self.records = records if records is not None else feed(25)
        self.key = KEY
        self.fail: dict[int, str] = {}  # page -> 500 / slow / malformed / refused...
        self.fail_times: dict[int, int] = {}  # page -> how many times to fail
        self.asked: Counter[int] = Counter()
        self.slow_seconds = 1.0
        self.retry_after: str | None = None  # sent with a 429 or 503
        self.totals: dict[int, int] = {}  # page -> the total it reports instead
        self.url = ""

    def body(self, page: int, size: int, fmt: str) -> tuple[int, str, bytes]:
        self.asked[page] += 1
        mode = self.fail.get(page, "")
        chunk = self.records[(page - 1) * size : page * size]
        if mode and self.fail_times.get(page, 1_000) > 0:
            self.fail_times[page] = self.fail_times.get(page, 1_000) - 1
            if mode in ("500", "429", "503"):
                return int(mode), "text/plain", b"busy"
            if mode == "empty":
                chunk = []
            if mode == "short":
                chunk = chunk[: len(chunk) // 2]
            if mode == "shifted":
                chunk = self.records[(page - 1) * size - 1 : page * size - 1]
            if mode == "refused":
                return 403, "text/plain", b"forbidden"
            if mode == "slow":
                time.sleep(self.slow_seconds)
            if mode == "malformed":
                return 200, f"application/{fmt}", b"<response><body><items><item>"
            if mode == "refused_code":
                refusal = {
                    "resultCode": "30",
                    "resultMsg": "SERVICE KEY IS NOT REGISTERED",
                }
                return 200, "application/json", json.dumps(refusal).encode()
        total = self.totals.get(page, len(self.records))
        if fmt == "xml":
            items = "".join(
                "<item>"
                + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in r.items())
                + "</item>"
                for r in chunk
            )
            xml = (
                "<?xml version='1.0' encoding='UTF-8'?><response><header>"
                "<resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg>"
                f"</header><body><total>{total}</total><page>{page}</page>"
                f"<pageSize>{size}</pageSize><items>{items}</items></body></response>"
            )
            return 200, "application/xml; charset=utf-8", xml.encode()
        doc: dict[str, Any] = {
            "resultCode": "00",
            "total": total,
            "page": page,
            "pageSize": size,
            "items": chunk,
        }
        return 200, "application/json", json.dumps(doc, ensure_ascii=False).encode()


def _handler(state: FakeZeus) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if not url.path.endswith("/equipments"):
                code, ctype, body = 404, "text/plain", b"not found"
            elif state.fail.get(int(q.get("page", "1"))) == "garbage":
                self.wfile.write(b"NOT HTTP AT ALL\r\n\r\n")
                return
            elif q.get("serviceKey") != state.key:
                code, ctype, body = 401, "text/plain", b"key refused"
            else:
                code, ctype, body = state.body(
                    int(q.get("page", "1")),
                    int(q.get("pageSize", "100")),
                    q.get("type", "json"),
                )
            try:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if code in (429, 503) and state.retry_after is not None:
                    self.send_header("Retry-After", state.retry_after)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

    return Handler


@contextmanager
def serve(state: FakeZeus | None = None) -> Iterator[FakeZeus]:
    """Run the fake on 127.0.0.1 (a free port) for the ``with`` block."""
    state = state or FakeZeus()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/openapi"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
