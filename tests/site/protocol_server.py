"""A collection server for the site's tests, built to the collection protocol (docs/site-hooks.md
#sending): a Starlette app served by uvicorn on 127.0.0.1 that checks the bearer token, reads
the body with the command line's own loader against a bank, writes the file atomically under
``answers/`` (``web-ID.json`` for a respondent id, the previous version moved to
``answers/.history/``) and answers 201, 401, 413 or 422 with the protocol's JSON bodies."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import re
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from audit.errors import InputError
from audit.model import Bank
from audit.read.answers import load_responses

RESPONDENT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
LIMIT = 256 * 1024


@dataclass
class Collector:
    """What the server holds: its folder, bank and token (tests may change the last two)."""

    project: Path
    bank: Bank
    token: str
    received: list[dict[str, str]] = field(default_factory=list)

    @property
    def answers(self) -> Path:
        return self.project / "answers"


def _problems(*lines: str) -> dict[str, list[str]]:
    return {"problems": list(lines)}


def make_app(collector: Collector) -> Starlette:
    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def responses(request: Request) -> JSONResponse:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {collector.token}".encode()):
            return JSONResponse(_problems("wrong or missing token"), status_code=401)
        body = await request.body()
        if len(body) > LIMIT:
            return JSONResponse(_problems(f"the body is over {LIMIT} bytes"), status_code=413)
        try:
            json.loads(body)
        except ValueError as exc:
            return JSONResponse(_problems(f"line 1: not JSON: {exc}"), status_code=422)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "body.json"
            path.write_bytes(body)
            try:
                load_responses([path], collector.bank)
            except InputError as exc:
                return JSONResponse(_problems(*(f"line {p.line}: {p.message}" for p in exc.problems)),
                                    status_code=422)
        ident = request.headers.get("x-respondent-id")
        name = f"web-{ident}.json" if ident and RESPONDENT_ID.fullmatch(ident) else f"web-{uuid.uuid4().hex}.json"
        collector.answers.mkdir(parents=True, exist_ok=True)
        target = collector.answers / name
        if target.exists():
            history = collector.answers / ".history"
            history.mkdir(exist_ok=True)
            os.replace(target, history / f"{target.stem}-{time.time_ns()}.json")
        partial = target.with_suffix(".json.part")
        partial.write_bytes(body)
        os.replace(partial, target)
        received = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        collector.received.append({"file": name, "received": received})
        return JSONResponse({"file": name, "received": received}, status_code=201)

    return Starlette(routes=[Route("/health", health), Route("/responses", responses, methods=["POST"])],
                     middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                            allow_headers=["Authorization", "Content-Type", "X-Respondent-Id"],
                                            expose_headers=["Retry-After"])])


@contextmanager
def serve(collector: Collector) -> Iterator[str]:
    """The server on a free port of 127.0.0.1, for the duration of the block; yields its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(make_app(collector), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
