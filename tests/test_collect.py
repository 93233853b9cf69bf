"""``loyalty-audit collect``: the real server, in a process of its own on 127.0.0.1.

Each test starts ``python -m audit collect PROJECT --port 0`` as a consultant would, reads
the address and the token it prints, and talks to it over HTTP: what it acknowledges is on
the disk, whole, and scores in the CLI as the body does; what it refuses leaves nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import json
import re
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import yaml

from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.run import inbox
from audit.run.collect import collect_app
from audit.run.inbox import Inbox

from .conftest import DEMO, ROOT, cli
from .site.site_support import mkdocs_build

BANK = load_bank(ROOT / "questions")
T = TypeVar("T")
RESPONDENT = "3f0c1d2e-aaaa-4bbb-8ccc-0123456789ab"  # what crypto.randomUUID() gives


def demo_body(index: int = 0, note: str | None = None) -> bytes:
    """A demo respondent's answers as the site exports them (JSON); ``note`` makes it unique."""
    files = sorted(DEMO.glob("*.yaml"))
    data: dict[str, Any] = yaml.safe_load(files[index % len(files)].read_text(encoding="utf-8"))
    if note is not None:
        data.setdefault("comments", {})["fo-shop-window"] = note
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)`` on a thread of its own: a browser test run earlier in this process
    (Playwright's sync API) keeps an event loop running on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass
class Server:
    """A running ``loyalty-audit collect``: its address, its token, its process."""

    url: str
    token: str
    process: subprocess.Popen[str]
    announcement: str
    answers: Path

    def auth(self, respondent: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if respondent is not None:
            headers["X-Respondent-Id"] = respondent
        return headers

    def post(self, body: bytes, respondent: str | None = None, **headers: str) -> httpx.Response:
        return httpx.post(f"{self.url}/responses", content=body, headers={**self.auth(respondent), **headers})

    def stop(self, sig: int = signal.SIGTERM) -> tuple[str, str]:
        """Stop it with ``sig``: it must end cleanly; its remaining stdout and its stderr."""
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        return out, err


@contextmanager
def collecting(project: Path, *args: str) -> Iterator[Server]:
    proc = subprocess.Popen([sys.executable, "-m", "audit", "collect", str(project), "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        assert proc.stdout is not None
        while not any("collect_token:" in line for line in lines):
            line = proc.stdout.readline()
            assert line, f"the server stopped: {proc.communicate()[1]}"
            lines.append(line)
        announcement = "".join(lines)
        url = re.search(r"collect_url: (\S+)", announcement)
        token = re.search(r"collect_token: (\S+)", announcement)
        assert url and token, announcement
        server = Server(url.group(1), token.group(1), proc, announcement, project / "answers")
        assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}
        yield server
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "alba"
    assert cli("init", str(folder), "--client", "Muebles Alba S.L.").returncode == 0
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def scores(*paths: Path) -> Any:
    run = cli("score", "--format", "json", *map(str, paths))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


# -- what is acknowledged is kept ------------------------------------------------------

def test_a_good_body_is_written_whole_and_scores_as_the_body(project: Path, tmp_path: Path) -> None:
    body = demo_body(1)
    with collecting(project, "--token", "a-token-of-our-own-0123") as server:
        assert server.token == "a-token-of-our-own-0123"
        sent = server.post(body, RESPONDENT, Origin="null")
        assert sent.status_code == 201, sent.text
        assert sent.headers["access-control-allow-origin"] == "*"
        reply = sent.json()
        assert reply["file"] == f"web-{RESPONDENT}.json"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", reply["received"])
        out, err = server.stop()
    assert (project / "answers" / reply["file"]).read_bytes() == body
    assert files_in(project / "answers") == ["README.md", reply["file"]]
    copy = tmp_path / "sent.json"
    copy.write_bytes(body)
    assert scores(project / "answers") == scores(copy)
    # one log line for the submission, with no answer in it; the consultant is told it stopped
    logged = [line for line in err.splitlines() if "POST /responses" in line]
    assert len(logged) == 1 and " 201 " in logged[0] and reply["file"] in logged[0]
    assert "Lucía" not in err and "fo-shop-window" not in err
    assert f"the answers are in {project / 'answers'}/" in out


def test_sending_again_replaces_the_file_and_keeps_every_earlier_version(project: Path) -> None:
    leftover = project / "answers" / f".web-{RESPONDENT}.json.k2j4h5.tmp"  # a killed server's, never acknowledged
    leftover.write_bytes(b'{"bank": "loyalty-')
    versions = [demo_body(0, f"version {n}") for n in range(3)]
    with collecting(project) as server:
        assert "removed 1 unfinished temporary file" in server.announcement
        assert "a new token was made" in server.announcement
        for body in versions:
            assert server.post(body, RESPONDENT).status_code == 201
        anonymous = [server.post(demo_body(2)).json()["file"] for _ in range(2)]
        server.stop()
    answers = project / "answers"
    assert not leftover.exists()
    assert (answers / f"web-{RESPONDENT}.json").read_bytes() == versions[-1]
    history = sorted((answers / ".history").iterdir())
    assert [p.read_bytes() for p in history] == versions[:2]  # named by the time each was received
    assert all(p.name.startswith(f"web-{RESPONDENT}.") for p in history)
    assert len(set(anonymous)) == 2 and all(re.fullmatch(r"sent-\d{8}T\d{12}Z-[0-9a-f]{8}\.json", n)
                                            for n in anonymous)
    assert files_in(answers) == sorted(["README.md", f"web-{RESPONDENT}.json", *anonymous,
                                        *(f".history/{p.name}" for p in history)])
    # the CLI reads the latest version once and the anonymous ones, never .history/ nor a temporary file
    (answers / f".web-{RESPONDENT}.json.x7y8z9.tmp").write_bytes(b'{"bank": "loyalty-')
    assert scores(answers)["respondents"] == 3
    assert load_responses([answers / ".history"], BANK).respondents[0].comments["fo-shop-window"] == "version 0"


# -- what is refused leaves nothing ------------------------------------------------------

def test_refusals_are_json_problems_and_write_nothing(project: Path, tmp_path: Path) -> None:
    bad = (b'{\n  "bank": "loyalty-audit",\n  "answers": {\n    "fo-shop-window": 9,\n'
           b'    "fo-sign": 1\n  },\n  "respondent": {"department": "marketting"}\n}\n')
    with collecting(project) as server:
        refused = server.post(bad, RESPONDENT)
        assert refused.status_code == 422
        assert refused.headers["content-language"] == "en"  # the site marks the sentences as English
        assert refused.json() == {"problems": [
            "line 4: '9' is not an option of question 'fo-shop-window'; expected one of: 0, 1, 2, 3, 4",
            "line 5: unknown question 'fo-sign'; did you mean 'fo-signage'?",
            "line 7: unknown department 'marketting'; did you mean 'marketing'?"]}
        # the CLI's own words for the same file, the path in place of "line"
        as_file = tmp_path / "bad.json"
        as_file.write_bytes(bad)
        by_cli = cli("score", str(as_file))
        assert by_cli.returncode == 2
        assert by_cli.stderr.splitlines() == [f"{as_file}:{p[len('line '):]}" for p in refused.json()["problems"]]
        not_json = server.post(b"answers=3&name=Ana")
        assert not_json.status_code == 422
        assert not_json.json() == {"problems": ["line 1: malformed JSON: Expecting value; expected valid JSON"]}
        assert server.post(b"  \n").json() == {"problems": [
            "line 1: the file is empty; expected a YAML or JSON mapping"]}
        bad_id = server.post(demo_body(), "../../etc/passwd")
        assert (bad_id.status_code, bad_id.json()) == (422, {"problems": [
            "header X-Respondent-Id: expected 16 to 64 letters, digits, '-' or '_'"]})

        for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"},
                        {"Authorization": f"Basic {server.token}"}, {"Authorization": f"Bearer {server.token}x"}):
            denied = httpx.post(f"{server.url}/responses", content=demo_body(), headers=headers)
            assert denied.status_code == 401
            assert denied.headers["www-authenticate"] == "Bearer"
            assert denied.headers["content-language"] == "en"
            assert denied.json()["problems"][0].startswith("wrong or missing token")

        oversize = server.post(b'{"answers": {}, "comments": {"fo-shop-window": "' + b"x" * 300_000 + b'"}}')
        assert oversize.status_code == 413
        assert oversize.json() == {"problems": ["the answers are larger than 262,144 bytes; expected a smaller "
                                                "response"]}

        def chunks() -> Iterator[bytes]:  # no Content-Length: the size is counted as it streams in
            yield b'{"answers": {}, "comments": {"fo-shop-window": "'
            for _ in range(40):
                yield b"x" * 10_000
            yield b'"}}'

        streamed = httpx.post(f"{server.url}/responses", content=chunks(), headers=server.auth())
        assert streamed.status_code == 413
        missing = httpx.get(f"{server.url}/answers")
        assert (missing.status_code, missing.json()) == (404, {"problems": ["not found"]})
        assert httpx.get(f"{server.url}/responses").status_code == 405
        server.stop(signal.SIGINT)  # Ctrl+C: as clean as SIGTERM
    assert files_in(project / "answers") == ["README.md"]


def test_a_flood_from_one_client_gets_429_with_retry_after(project: Path) -> None:
    with collecting(project, "--rate", "3") as server:
        statuses = [server.post(demo_body(), RESPONDENT).status_code for _ in range(3)]
        assert statuses == [201, 201, 201]
        flooded = server.post(demo_body(), RESPONDENT)
        assert flooded.status_code == 429
        assert 1 <= int(flooded.headers["retry-after"]) <= 60
        assert flooded.json()["problems"] == [f"more than 3 submissions a minute from this address; expected a "
                                              f"pause of {flooded.headers['retry-after']} s before the next"]
        # a wrong token counts too (it is how a token would be guessed), and health is not limited
        assert httpx.post(f"{server.url}/responses", content=b"{}").status_code == 429
        assert httpx.get(f"{server.url}/health").status_code == 200
        server.stop()


PREFLIGHT = {"Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type, x-respondent-id"}


def test_cors_lets_file_pages_send_and_narrows_to_chosen_origins(project: Path) -> None:
    with collecting(project) as server:
        allowed = httpx.options(f"{server.url}/responses", headers={"Origin": "null", **PREFLIGHT})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "*"
        assert {"authorization", "content-type", "x-respondent-id"} <= {
            h.strip().lower() for h in allowed.headers["access-control-allow-headers"].split(",")}
        assert "POST" in allowed.headers["access-control-allow-methods"]
        refused = server.post(b"{", Origin="null")  # an error the page can read, too
        assert refused.status_code == 422 and refused.headers["access-control-allow-origin"] == "*"
        assert refused.headers["access-control-expose-headers"] == "Retry-After"
        server.stop()
    # narrowed: only the origin given may send (the same application, in this process)
    narrowed = collect_app(Inbox(project / "answers"), BANK, "a-token-of-our-own-0123",
                           allow_origins=("https://audit.example.com",))

    async def preflights() -> tuple[httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=narrowed), base_url="http://test") as client:
            return (await client.options("/responses", headers={"Origin": "https://audit.example.com", **PREFLIGHT}),
                    await client.options("/responses", headers={"Origin": "null", **PREFLIGHT}))

    ok, refused_origin = run_async(preflights())
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://audit.example.com"
    assert refused_origin.status_code == 400


def test_bad_settings_exit_2_before_listening(tmp_path: Path, project: Path) -> None:
    run = cli("collect", str(tmp_path / "nowhere"))
    assert run.returncode == 2
    assert run.stderr == f"{tmp_path / 'nowhere'}:1: not a client project; expected a folder with an answers/ " \
                         "folder, as 'loyalty-audit init' makes it\n"
    run = cli("collect", str(project), "--token", "short")
    assert run.returncode == 2 and "--token: expected at least 16 letters" in run.stderr
    run = cli("collect", str(project), "--allow-origin", "*.example.com")
    assert run.returncode == 2 and "--allow-origin *.example.com: expected an origin" in run.stderr
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        run = cli("collect", str(project), "--port", str(port))
    assert run.returncode == 2
    assert run.stderr == f"{project}:1: cannot listen on 127.0.0.1 port {port} (address already in use); expected " \
                         "a free port (--port) on an address of this machine (--host)\n"


# -- init --collect-url: the site's options, and the server that goes with them ----------

def test_init_collect_url_writes_options_the_site_builds_with(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    run = cli("init", str(folder), "--client", "Acme", "--collect-url", "http://127.0.0.1:8765/")
    assert run.returncode == 0, run.stderr
    options = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"][0]["loyalty-audit"]
    token = options["collect_token"]
    assert options["collect_url"] == "http://127.0.0.1:8765"
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert f"loyalty-audit collect {folder} --token {token}" in run.stdout
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "## How the answers arrive" in readme
    assert "`loyalty-audit collect .`" in readme and "import-form" in readme and "Export answers" in readme
    built = mkdocs_build(folder / "mkdocs.yml", folder / "site")
    assert built.returncode == 0, built.stderr
    # with no --token, the server takes the project's: the site built above is answered
    with collecting(folder) as server:
        assert server.token == token
        assert "the token is the project's" in server.announcement
        assert server.post(demo_body(), RESPONDENT).status_code == 201
        server.stop()

    given = cli("init", str(tmp_path / "lan"), "--client", "Acme", "--collect-url", "http://192.168.1.20:9000",
                "--collect-token", "our-own-token-0123456789")
    assert given.returncode == 0, given.stderr
    assert "collect_token: our-own-token-0123456789" in (tmp_path / "lan" / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"loyalty-audit collect {tmp_path / 'lan'} --host 0.0.0.0 --port 9000 --token our-own-token-0123456789" \
        in given.stdout
    plain = cli("init", str(tmp_path / "plain"), "--client", "Acme")
    assert "collect_" not in (tmp_path / "plain" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "## How the answers arrive" in (tmp_path / "plain" / "README.md").read_text(encoding="utf-8")
    assert plain.returncode == 0
    for args, problem in ((["--collect-url", "ftp://x"], "--collect-url ftp://x: not an http:// or https://"),
                          (["--collect-token", "our-own-token-0123456789"], "--collect-token goes with --collect-url"),
                          (["--collect-url", "http://x", "--collect-token", "a b"], "--collect-token: expected")):
        refused = cli("init", str(tmp_path / "refused"), "--client", "Acme", *args)
        assert refused.returncode == 2 and problem in refused.stderr, refused.stderr
        assert not (tmp_path / "refused").exists()


# -- load, and a stop in the middle of it ------------------------------------------------

RESPONDENTS = 50
VERSIONS = 4


def load_bodies() -> list[tuple[str, bytes]]:
    """200 submissions: 50 respondents, 4 versions each, interleaved."""
    return [(f"respondent-{r:04d}-{'x' * 8}", demo_body(r, f"respondent {r} version {v}"))
            for v in range(VERSIONS) for r in range(RESPONDENTS)]


async def send_all(url: str, token: str, bodies: list[tuple[str | None, bytes]], on_ack: Any = None,
                   connections: int | None = None) -> list[int | None]:
    """Every body at once, over ``connections`` (default: one each); the status of each (None:
    the connection failed)."""
    limits = httpx.Limits(max_connections=connections or len(bodies))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        async def send(respondent: str | None, body: bytes) -> int | None:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            if respondent is not None:
                headers["X-Respondent-Id"] = respondent
            try:
                reply = await client.post("/responses", content=body, headers=headers)
            except httpx.TransportError:
                return None
            if reply.status_code == 201 and on_ack is not None:
                on_ack()
            return reply.status_code

        return list(await asyncio.gather(*(send(r, b) for r, b in bodies)))


def assert_whole(answers: Path) -> None:
    """No temporary file anywhere, and every file in answers/ and .history/ loads."""
    assert not [p for p in answers.rglob("*") if p.name.endswith(".tmp")]
    for folder in (answers, answers / ".history"):
        if folder.is_dir() and any(p.suffix == ".json" for p in folder.iterdir()):
            load_responses([folder], BANK)


def test_200_concurrent_submissions_from_50_respondents_lose_nothing(project: Path) -> None:
    bodies = load_bodies()
    with collecting(project, "--rate", "0") as server:
        statuses = run_async(send_all(server.url, server.token, list(bodies)))
        server.stop()
    assert statuses == [201] * len(bodies)
    answers = project / "answers"
    assert_whole(answers)
    latest = sorted(p.name for p in answers.glob("web-*.json"))
    assert latest == sorted(f"web-{r}.json" for r in {r for r, _ in bodies})
    history = Counter(p.read_bytes() for p in (answers / ".history").iterdir())
    for respondent in {r for r, _ in bodies}:
        versions = Counter(b for r, b in bodies if r == respondent)
        current = (answers / f"web-{respondent}.json").read_bytes()
        assert current in versions  # one of them is the latest, the others are all in .history/, once each
        assert history[current] == 0
        assert {b: history[b] for b in versions if b != current} == {b: 1 for b in versions if b != current}
    assert sum(history.values()) == len(bodies) - RESPONDENTS
    assert scores(answers)["respondents"] == RESPONDENTS


def test_sigterm_during_a_load_keeps_every_acknowledged_submission(project: Path) -> None:
    bodies: list[tuple[str | None, bytes]] = [*load_bodies()[:100],
                                              *((None, demo_body(n, f"anonymous {n}")) for n in range(100))]
    with collecting(project, "--rate", "0") as server:
        acknowledged = 0

        def stop_after_some() -> None:  # SIGTERM while most submissions are still on their way
            nonlocal acknowledged
            acknowledged += 1
            if acknowledged == 20:
                server.process.send_signal(signal.SIGTERM)

        # ten connections: when the signal comes, most submissions are not sent yet
        statuses = run_async(send_all(server.url, server.token, bodies, stop_after_some, connections=10))
        out, err = server.process.communicate(timeout=60)
        assert server.process.returncode == 0, err
        assert "stopped" in out and "Shutting down" in err
    assert 20 <= statuses.count(201) < len(bodies)  # the stop did cut the load short
    assert set(statuses) <= {201, None}
    answers = project / "answers"
    assert_whole(answers)
    on_disk = Counter(p.read_bytes() for p in [*answers.glob("*.json"), *(answers / ".history").glob("*.json")])
    for (_, body), status in zip(bodies, statuses, strict=True):
        if status == 201:
            assert on_disk[body] == 1, body[:80]


def test_a_folder_that_cannot_be_written_is_a_500_and_nothing_is_acknowledged(tmp_path: Path) -> None:
    gone = tmp_path / "answers"  # removed while the server runs (as root, a read-only folder would not stop it)
    token = "a-token-of-our-own-0123"
    app = collect_app(Inbox(gone), BANK, token)

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await client.post("/responses", content=demo_body(),
                                     headers={"Authorization": f"Bearer {token}", "X-Respondent-Id": RESPONDENT})

    reply = run_async(send())
    assert reply.status_code == 500
    assert reply.json() == {"problems": ["the server cannot save answers now (no such file or directory); nothing "
                                         "was saved: expected another try later"]}
    assert not gone.exists()


def test_without_hard_links_the_answers_and_their_history_are_whole_copies(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system without hard links (os.link refused), what a save keeps is copied whole."""
    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(inbox.os, "link", refuse)
    folder = tmp_path / "answers"
    folder.mkdir()
    box = Inbox(folder)
    received = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    first, second = b'{"answers": {"q1": 1}}', b'{"answers": {"q1": 2}}'
    assert box.save(first, RESPONDENT, received).kept is None
    saved = box.save(second, RESPONDENT, received)
    assert saved.kept is not None and (folder / saved.kept).read_bytes() == first
    assert (folder / saved.name).read_bytes() == second
    anonymous = box.save(first, None, received)
    assert anonymous.name.startswith("sent-") and (folder / anonymous.name).read_bytes() == first
    assert box.leftovers() == []
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted([saved.name, anonymous.name])
