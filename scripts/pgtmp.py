#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster, then remove it.

    python scripts/pgtmp.py -- pytest -q

Creates a cluster with initdb in a temporary directory, starts it with pg_ctl on a
free loopback port (socket in the same directory), creates a database, runs the
command with DATABASE_URL set, and always stops and deletes the cluster afterwards.
As root, the server runs as the ``postgres`` system user (PostgreSQL refuses root).
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_pg(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: pgtmp.py -- COMMAND ...", file=sys.stderr)
        return 2
    for tool in ("initdb", "pg_ctl"):
        if shutil.which(tool) is None:
            print(f"pgtmp: {tool} not found", file=sys.stderr)
            return 3
    base = tempfile.mkdtemp(prefix="nanum-pg-")
    data = os.path.join(base, "data")
    log = os.path.join(base, "server.log")
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    started = False
    try:
        subprocess.run(
            _as_pg(
                [
                    "initdb",
                    "-D",
                    data,
                    "-U",
                    "nanum",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        opts = (
            f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=200 -c shared_buffers=128MB"
        )
        subprocess.run(
            _as_pg(
                ["pg_ctl", "-D", data, "-l", log, "-o", opts, "-w", "-t", "60", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "nanum",
                "-d",
                "postgres",
                "-q",
                "-c",
                "CREATE DATABASE nanum",
            ],
            check=True,
        )
        env = dict(os.environ)
        env["DATABASE_URL"] = f"postgres://nanum@127.0.0.1:{port}/nanum"
        env["NANUM_PG_PORT"] = str(port)
        # DATABASE_URL without NANUM_DEBUG counts as production, which needs explicit
        # keys: a throwaway database gets throwaway keys (unless some are given).
        env.setdefault("NANUM_SECRET_KEY", secrets.token_urlsafe(50))
        env.setdefault(
            "NANUM_FIELD_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode()
        )
        proc = subprocess.Popen(argv, env=env)

        def _forward(signum: int, _frame: object) -> None:
            # `timeout` (scripts/test.sh) or CI ends us with SIGTERM: pass it on, so the
            # command ends and the cluster below is still stopped and removed
            proc.send_signal(signum)

        signal.signal(signal.SIGTERM, _forward)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            return proc.wait()
    finally:
        if started:
            subprocess.run(
                _as_pg(["pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
