"""``loyalty-audit collect``: a server that receives the site's answers into a project's ``answers/``.

The protocol (docs/collect.md): ``POST /responses`` with ``Authorization: Bearer TOKEN``, an
optional ``X-Respondent-Id`` and one response (SPEC §2) as a JSON body, checked by the CLI's
own loader against the project's bank. ``201 {"file", "received"}`` once the file is on the
disk; ``422``, ``401``, ``413`` and ``429`` (with ``Retry-After``) otherwise, every error as
``{"problems": [...]}``; ``GET /health``. CORS is open to any origin (``file://`` pages send
``Origin: null``): the token, not the origin, is the gate.

The server holds nothing but its folder (:class:`~audit.run.inbox.Inbox`) and, in memory,
the rate counters and a queue per respondent. On SIGINT or SIGTERM it stops accepting, lets
the submissions under way finish, and exits: every file is whole, and every answer it
acknowledged is on the disk.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import hmac
import logging
import math
import re
import secrets
import shlex
import signal
import socket
import time
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import UNPRINTABLE, InputError, Problem
from ..model import Bank
from ..read.answers import load_response_bytes
from ..read.bank import load_bank
from ..read.project import find_project, plugin_options
from ..resources import default_bank_dir
from .inbox import RESPONDENT_ID, Inbox

DEFAULT_PORT = 8765
DEFAULT_RATE = 30  # submissions a minute from one client
DEFAULT_MAX_BODY = 256 * 1024  # bytes
BODY_NAME = "body"  # what the loader calls the request's body; problems come out as "line N: ..."
#: RFC 6750's b64token, at least 16 characters: a token fit for an HTTP header and hard to guess.
TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{16,}=*")
ALLOWED_HEADERS = ["Authorization", "Content-Type", "X-Respondent-Id"]
_WINDOW = 60.0  # seconds the rate is counted over
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

log = logging.getLogger("audit.collect")


@dataclass(frozen=True)
class Settings:
    """How ``collect`` listens and what it accepts (the command line's options).

    ``token``: None takes the project's ``collect_token`` (mkdocs.yml), else makes one.
    ``rate``: submissions a minute per client, 0 for no limit. ``allow_origins``: the
    origins browsers may send from (empty: any).
    """

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str | None = None
    rate: int = DEFAULT_RATE
    allow_origins: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be a collection token, or None."""
    if TOKEN.fullmatch(token):
        return None
    return ("expected at least 16 letters, digits or '-._~+/' (as 'loyalty-audit collect' makes them), "
            "with nothing else")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def plugin_lines(url: str, token: str) -> list[str]:
    """The two options of the loyalty-audit plugin, as they go under ``- loyalty-audit:`` in mkdocs.yml."""
    return [f"      collect_url: {url}", f"      collect_token: {token}"]


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the site's ``collect_url``, or None."""
    expected = "expected the server's address, such as http://127.0.0.1:8765 or https://collect.example.com"
    if not url or any(ord(c) in UNPRINTABLE or c.isspace() for c in url):
        return f"expected an address with no spaces or control characters; {expected}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError on a port that is not a number
    except ValueError:
        return f"not an address; {expected}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http:// or https:// address; {expected}"
    if parts.query or parts.fragment or parts.username or parts.password:
        return f"an address with a query, a fragment or a user name; {expected}"
    return None


def collect_command(folder: str, url: str, token: str | None = None) -> str:
    """The ``loyalty-audit collect`` command that serves ``url``: its port, and every
    interface unless the address is this machine's. An https:// address, or one with a
    path, is a proxy's; the server listens behind it on its defaults."""
    parts = urlsplit(url)
    args = ["loyalty-audit", "collect", folder]
    if parts.scheme == "http" and parts.path.strip("/") == "":
        if parts.hostname not in _LOOPBACK:
            args += ["--host", "0.0.0.0"]
        if (parts.port or 80) != DEFAULT_PORT:
            args += ["--port", str(parts.port or 80)]
    if token:
        args += ["--token", token]
    return shlex.join(args)


# -- limits -----------------------------------------------------------------------------

class RateLimit:
    """At most ``rate`` requests in any 60 seconds per client (a sliding window)."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._seen: dict[str, deque[float]] = {}

    def wait(self, client: str, now: float | None = None) -> int:
        """0 and the request counted, or the whole seconds until ``client`` may send again."""
        if self.rate <= 0:
            return 0
        now = time.monotonic() if now is None else now
        if len(self._seen) > 10_000:  # forget the clients that have been quiet for a window
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < _WINDOW}
        times = self._seen.setdefault(client, deque())
        while times and now - times[0] >= _WINDOW:
            times.popleft()
        if len(times) >= self.rate:
            return max(1, math.ceil(_WINDOW - (now - times[0])))
        times.append(now)
        return 0


class _Queues:
    """One lock per respondent, first come first served, forgotten once nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def of(self, respondent: str) -> asyncio.Lock:
        lock = self._locks.get(respondent)
        if lock is None:
            lock = self._locks[respondent] = asyncio.Lock()
        return lock


# -- the application --------------------------------------------------------------------

def _problems(status: int, problems: list[str], headers: dict[str, str] | None = None) -> JSONResponse:
    # the problems are the command line's English sentences, and say so: the site marks them as
    # English text on a page in another language (Content-Language is readable across origins)
    return JSONResponse({"problems": problems}, status_code=status,
                        headers={"Content-Language": "en", **(headers or {})})


def _received(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def collect_app(inbox: Inbox, bank: Bank, token: str, *, rate: int = DEFAULT_RATE,
                max_body: int = DEFAULT_MAX_BODY, allow_origins: tuple[str, ...] = ()) -> Starlette:
    """The collection server as an ASGI application writing into ``inbox``."""
    limit = RateLimit(rate)
    queues = _Queues()
    expected = token.encode()

    def submitted(status: int, client: str, size: int, detail: str) -> None:
        # one line per submission: who, how big, what became of it; never the answers
        log.info("%s %d POST /responses from %s, %d bytes: %s", _received(dt.datetime.now(dt.UTC)), status,
                 client, size, detail)

    async def receive(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        wait = limit.wait(client)
        if wait:
            submitted(429, client, 0, f"over {rate} a minute")
            return _problems(429, [f"more than {rate} submissions a minute from this address; expected a "
                                   f"pause of {wait} s before the next"], {"Retry-After": str(wait)})
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
            submitted(401, client, 0, "wrong or missing token")
            return _problems(401, ["wrong or missing token; expected the header 'Authorization: Bearer TOKEN' "
                                   "with this collection's token"], {"WWW-Authenticate": "Bearer"})
        respondent = request.headers.get("x-respondent-id")
        if respondent is not None and not RESPONDENT_ID.fullmatch(respondent):
            submitted(422, client, 0, "bad X-Respondent-Id")
            return _problems(422, ["header X-Respondent-Id: expected 16 to 64 letters, digits, '-' or '_'"])
        too_large = _problems(413, [f"the answers are larger than {max_body:,} bytes; expected a smaller "
                                    "response"])
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body:
            submitted(413, client, int(declared), "too large")
            return too_large
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                submitted(413, client, len(body), "too large")
                return too_large
        raw = bytes(body)
        try:
            await run_in_threadpool(load_response_bytes, raw, BODY_NAME, bank)
        except InputError as exc:
            submitted(422, client, len(raw), f"{len(exc.problems)} problem(s)")
            return _problems(422, [f"line {p.line}: {p.message}" for p in exc.problems])
        received = dt.datetime.now(dt.UTC)
        try:
            if respondent is None:
                saved = await run_in_threadpool(inbox.save, raw, None, received)
            else:
                async with queues.of(respondent):
                    saved = await run_in_threadpool(inbox.save, raw, respondent, received)
        except OSError as exc:
            reason = (exc.strerror or type(exc).__name__).lower()
            submitted(500, client, len(raw), f"not saved: {reason}")
            return _problems(500, [f"the server cannot save answers now ({reason}); nothing was saved: "
                                   "expected another try later"])
        submitted(201, client, len(raw), saved.name + (f", the previous version kept as {saved.kept}"
                                                       if saved.kept else ""))
        return JSONResponse({"file": saved.name, "received": _received(received)}, status_code=201)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _problems(exc.status_code, [str(exc.detail).lower()], dict(exc.headers or {}))

    cors = Middleware(CORSMiddleware, allow_origins=list(allow_origins) or ["*"], allow_methods=["GET", "POST"],
                      allow_headers=ALLOWED_HEADERS, expose_headers=["Retry-After"], max_age=600,
                      allow_private_network=True)  # a public page may send to a collector on the LAN
    return Starlette(routes=[Route("/responses", receive, methods=["POST"]), Route("/health", health)],
                     middleware=[cors], exception_handlers={HTTPException: http_error})


# -- the server -------------------------------------------------------------------------

@dataclass
class Collector:
    """A collection server bound to its address, ready to :meth:`serve`."""

    project: Path
    inbox: Inbox
    bank: Bank
    token: str
    token_from: str  # "option", "mkdocs.yml" or "new"
    settings: Settings
    sock: socket.socket = field(repr=False)
    cleaned: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        shown = self.settings.host if self.settings.host not in ("", "0.0.0.0", "::") else host
        return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"

    def announcement(self) -> list[str]:
        """What to tell the consultant once the server listens."""
        lines = [f"collecting answers for {self.project} into {self.inbox.folder}/ "
                 f"(bank {self.bank.id} {self.bank.version}) at {self.url}/responses"]
        if self.cleaned:
            lines.append(f"removed {len(self.cleaned)} unfinished temporary file(s) of an earlier run")
        if self.token_from == "new":
            lines.append("a new token was made for this run: start the server again with the same --token, "
                         "or the site's send button stops working")
        elif self.token_from == "mkdocs.yml":
            lines.append("the token is the project's (collect_token in mkdocs.yml)")
        lines.append("the site's mkdocs.yml needs these two lines under '- loyalty-audit:' (then rebuild it):")
        lines += plugin_lines(self.url, self.token)
        if self.settings.host in ("", "0.0.0.0", "::"):
            lines.append("(write this machine's address, as respondents reach it, in collect_url)")
        lines.append("each submission is logged on one line; Ctrl+C stops the server")
        return lines

    def serve(self) -> None:
        """Serve until SIGINT or SIGTERM, then finish the submissions under way and return."""
        config = uvicorn.Config(self.app(), log_config=_log_config(), access_log=False, lifespan="off",
                                server_header=False, timeout_graceful_shutdown=30)
        server = uvicorn.Server(config)
        with _stopped_by_signals():
            server.run(sockets=[self.sock])

    def app(self) -> Starlette:
        s = self.settings
        return collect_app(self.inbox, self.bank, self.token, rate=s.rate, max_body=s.max_body,
                           allow_origins=s.allow_origins)


def open_collector(project_dir: Path, settings: Settings) -> Collector:
    """Check the project, its bank and the settings, and bind the address (nothing is served yet)."""
    project_dir = Path(project_dir)
    project = find_project(project_dir) if project_dir.is_dir() else None
    if project is None:
        raise InputError([Problem(str(project_dir), 1, "not a client project; expected a folder with an "
                                                       "answers/ folder, as 'loyalty-audit init' makes it")])
    problems: list[Problem] = []
    token, token_from = settings.token, "option"
    if token is None:
        mkdocs_yml = project.root / "mkdocs.yml"
        found = plugin_options(mkdocs_yml).get("collect_token")
        if isinstance(found, str) and found:
            token, token_from = found, "mkdocs.yml"
            if (why := token_problem(found)) is not None:
                problems.append(Problem(str(mkdocs_yml), 1, f"collect_token: {why}"))
        else:
            token, token_from = new_token(), "new"
    elif (why := token_problem(token)) is not None:
        problems.append(Problem(str(project_dir), 1, f"--token: {why}"))
    for origin in settings.allow_origins:
        if origin != "null" and url_problem(origin) is not None:
            problems.append(Problem(str(project_dir), 1, f"--allow-origin {origin}: expected an origin such "
                                                         "as https://audit.example.com, or null for file:// pages"))
    bank = load_bank(project.bank or default_bank_dir())
    if problems:
        raise InputError(problems)
    inbox = Inbox(project.answers)
    cleaned = inbox.leftovers()
    for path in cleaned:
        path.unlink(missing_ok=True)
    try:
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        sock = socket.create_server((settings.host, settings.port), family=family)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).split(" (while attempting")[0].lower()  # create_server's addition
        raise InputError([Problem(str(project_dir), 1, f"cannot listen on {settings.host} port {settings.port} "
                                                       f"({reason}); expected a free port (--port) on an address "
                                                       "of this machine (--host)")]) from None
    return Collector(project.root, inbox, bank, token, token_from, settings, sock, cleaned)


def _log_config() -> dict[str, Any]:
    """Uvicorn's own logging, with our one line per submission beside its lines."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"][log.name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


class _Stop(Exception):
    pass


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Return normally once uvicorn has shut down on SIGINT or SIGTERM (it raises the signal
    again after its graceful shutdown; here that ends the run instead of the process)."""
    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stop(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except _Stop:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
