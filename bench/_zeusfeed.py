"""The benchmark's own ZEUS feed (not part of the app, not the tests' fake).

``feed(n)`` builds ``n`` plausible records with the institution REST field names
(``equipNo``, ``korNm``, ``organNm``, ``idleDisuseCd``...), the same for the same
``n``; ``serve(records)`` answers them as JSON pages (``total``, ``page``,
``pageSize``, ``items``) on 127.0.0.1 at ``<url>/equipments?serviceKey=...&page=...``,
refusing any other key. Only what bench/zeus_sync.py needs: no error modes (the tests
have their own fake, nanum/lending/tests/fake_zeus.py, with errors and timeouts).
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

KEY = "bench-key"
OWNERS = [
    ("서울대학교", "관악구 관악로 1", "08826"),
    ("연세대학교", "서대문구 연세로 50", "03722"),
    ("고려대학교", "성북구 안암로 145", "02841"),
    ("한국과학기술연구원", "성북구 화랑로14길 5", "02792"),
    ("서울과학기술대학교", "노원구 공릉로 232", "01811"),
    ("한양대학교", "성동구 왕십리로 222", "04763"),
    ("이화여자대학교", "서대문구 이화여대길 52", "03760"),
    ("한국표준과학연구원 서울분원", "강서구 마곡중앙로 1", "07789"),
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


def record(i: int) -> dict[str, str]:
    """Item ``i`` of the feed: one owner of eight, one kind of twelve, a tenth sole
    use only, a third in use (the rest idle)."""
    rng = random.Random(i)
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
        "installPlace": f"{owner[1]} {1 + i % 30}동 {100 + i % 400}호",
        "zipCd": owner[2],
        "rentPsblYn": "Y" if i % 4 else "O",
        "eduNeedYn": "Y" if i % 5 == 0 else "N",
        "equipSpec": f"{kind[1]}, model {rng.randint(100, 999)}",
    }


def feed(n: int) -> list[dict[str, str]]:
    return [record(i) for i in range(n)]


def _page(records: list[dict[str, str]], page: int, size: int) -> bytes:
    doc: dict[str, Any] = {
        "resultCode": "00",
        "total": len(records),
        "page": page,
        "pageSize": size,
        "items": records[(page - 1) * size : page * size],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def _handler(records: list[dict[str, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            code, ctype, body = 200, "application/json", b""
            if not url.path.endswith("/equipments"):
                code, ctype, body = 404, "text/plain", b"not found"
            elif q.get("serviceKey") != KEY:
                code, ctype, body = 401, "text/plain", b"key refused"
            else:
                try:
                    page = max(int(q.get("page", "1")), 1)
                    size = max(int(q.get("pageSize", "100")), 1)
                except ValueError:
                    code, ctype, body = 400, "text/plain", b"bad paging"
                else:
                    body = _page(records, page, size)
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve(records: list[dict[str, str]]) -> Iterator[str]:
    """Serve ``records`` on 127.0.0.1 (a free port) for the ``with`` block; yields
    the base URL to give the client."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(records))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/openapi"
    finally:
        server.shutdown()
        server.server_close()
