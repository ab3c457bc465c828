"""Load generation and CPU accounting for the lending benchmarks (not part of the app).

One asyncio event loop plays every client, so the load generator costs little CPU and
no client waits for a Python thread to be scheduled before it notices its answer.
Each request opens its own connection (gunicorn's sync workers close after each
response) and sends ``Connection: close``.

* ``closed_loop``: every client sends its next request as soon as the previous answer
  arrives. This finds the maximum sustained throughput; latency is then queueing
  (Little's law: clients / throughput) and says little about the server.
* ``open_loop``: requests follow a fixed schedule (the offered rate), and latency is
  measured from the *scheduled* send time, so a slow answer that delays a client's
  next send is still counted against the server (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# (client index, request number) -> (bearer token, JSON body)
MakeRequest = Callable[[int, int], tuple[str, dict[str, Any]]]


@dataclass
class Result:
    status: int  # HTTP status, 0 when the connection failed
    code: str  # "created" for 201, else the problem document's code or the status
    latency: (
        float  # seconds from the scheduled (open loop) or actual send to the answer
    )
    service: float  # seconds from the actual send to the answer
    done: float  # loop time of the answer


async def post_json(
    port: int, path: str, token: str, body: dict[str, Any], timeout: float = 60
) -> tuple[int, Any]:
    """POST a JSON body to 127.0.0.1:port over a fresh connection."""
    data = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nAccept-Language: ko\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(head + data)
            return await reader.read()  # the server closes after the answer
        finally:
            writer.close()

    raw = await asyncio.wait_for(exchange(), timeout)
    header, _, payload = raw.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    try:
        return status, json.loads(payload) if payload else None
    except ValueError:
        return status, None


def _code(status: int, payload: Any) -> str:
    if status == 201:
        return "created"
    if isinstance(payload, dict) and payload.get("code"):
        return str(payload["code"])
    return str(status)


async def _one(
    port: int, path: str, token: str, body: dict[str, Any], scheduled: float
) -> Result:
    loop = asyncio.get_running_loop()
    sent = loop.time()
    try:
        status, payload = await post_json(port, path, token, body)
        code = _code(status, payload)
    except (TimeoutError, OSError, ValueError, IndexError) as exc:
        status, code = 0, type(exc).__name__
    done = loop.time()
    return Result(status, code, done - scheduled, done - sent, done)


def closed_loop(
    port: int, path: str, clients: int, per_client: int, make: MakeRequest
) -> tuple[list[Result], float]:
    """Every client sends ``per_client`` requests back to back. Returns results, seconds."""

    async def run() -> tuple[list[Result], float]:
        loop = asyncio.get_running_loop()
        results: list[Result] = []

        async def client(i: int) -> None:
            for k in range(per_client):
                token, body = make(i, k)
                results.append(await _one(port, path, token, body, loop.time()))

        t0 = loop.time()
        await asyncio.gather(*(client(i) for i in range(clients)))
        return results, loop.time() - t0

    return asyncio.run(run())


def open_loop(
    port: int,
    path: str,
    clients: int,
    per_client: int,
    rate: float,
    make: MakeRequest,
) -> tuple[list[Result], float]:
    """Offer ``rate`` requests/s in all, client i sending at (i + clients·k) / rate.

    A client whose previous answer comes late sends at once, but its latency still
    counts from the scheduled time. Returns results and seconds from the first
    scheduled send to the last answer.
    """

    async def run() -> tuple[list[Result], float]:
        loop = asyncio.get_running_loop()
        results: list[Result] = []
        t0 = loop.time() + 0.1

        async def client(i: int) -> None:
            for k in range(per_client):
                scheduled = t0 + (i + clients * k) / rate
                delay = scheduled - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                token, body = make(i, k)
                results.append(await _one(port, path, token, body, scheduled))

        await asyncio.gather(*(client(i) for i in range(clients)))
        return results, max(r.done for r in results) - t0

    return asyncio.run(run())


# --- CPU accounting ----------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, CPU seconds of its ended and reaped children)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    f = [int(x) for x in raw.rpartition(")")[2].split()[1:15]]
    return f[0], (f[10] + f[11]) / _TICK, (f[12] + f[13]) / _TICK


def children_cpu(parent: int) -> dict[int, float]:
    """CPU seconds used so far by each child of ``parent`` (Linux /proc only).

    Key 0 holds what children that have already ended used (the parent's cutime), so
    a PostgreSQL backend or gunicorn worker replaced during a run is still counted.
    """
    proc = Path("/proc")
    own = _stat(parent)
    if own is None or not proc.exists():
        return {}
    out = {0: own[2]}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None and st[0] == parent:
                out[int(entry.name)] = st[1]
    return out


def postmaster_pid() -> int | None:
    """The PostgreSQL server process behind Django's connection (same machine only)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = int(cur.fetchone()[0])
    st = _stat(backend)
    return st[0] if st else None


class CpuMeter:
    """CPU seconds spent by gunicorn's workers and PostgreSQL's processes."""

    def __init__(self, gunicorn_pid: int, postmaster: int | None) -> None:
        self.parents = {"gunicorn": gunicorn_pid, "postgres": postmaster}

    def snapshot(self) -> dict[str, dict[int, float]]:
        return {
            name: children_cpu(pid) if pid else {} for name, pid in self.parents.items()
        }

    @staticmethod
    def used(
        before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
    ) -> dict[str, float]:
        """Seconds used between two snapshots (ended children included)."""
        return {
            name: sum(after[name].values()) - sum(before[name].values())
            for name in after
        }
