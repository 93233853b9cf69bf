"""``loyalty-audit init``: one folder per client, ready to build its site and its report.

Every input is checked before anything is written, and the folder is written whole or not
at all (:func:`audit.write.project.write_project`). The names typed on the command line go
into YAML files and the terminal: a control character in them (a line break, an escape
sequence, a bidirectional override) is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UNPRINTABLE, InputError, Problem, printable
from ..model import Bank
from ..read.answers import load_responses, response_files
from ..read.bank import load_bank
from ..resources import default_bank_dir
from ..write.project import project_files, write_project
from .collect import collect_command, new_token, plugin_lines, token_problem, url_problem
from .options import language


@dataclass
class Scaffold:
    """What :func:`init_project` wrote."""

    root: Path
    files: list[Path]
    bank: Bank
    language: str
    collect_url: str | None = None
    collect_token: str | None = None


def _check_target(target: Path) -> list[Problem]:
    if target.is_symlink():
        return [Problem(str(target), 1, f"a symbolic link (to '{target.readlink()}'); expected a new or empty "
                                        "folder: give the folder itself or a new name")]
    if target.exists() and not target.is_dir():
        return [Problem(str(target), 1, "a file of that name exists; expected a new or empty folder")]
    if target.is_dir() and any(target.iterdir()):
        return [Problem(str(target), 1, "this folder is not empty; expected a new or empty folder, "
                                        "so that nothing in it is overwritten")]
    return []


_NONCHARACTERS = frozenset((0xFFFE, 0xFFFF))


def _check_name(target: Path, flag: str, name: str | None) -> list[Problem]:
    """A name for the project's files: no control characters (a line break, an escape sequence)."""
    bad = sorted({c for c in name or "" if ord(c) in UNPRINTABLE or ord(c) in _NONCHARACTERS})
    if not bad:
        return []
    shown = ", ".join(printable(c) if ord(c) in UNPRINTABLE else f"\\u{ord(c):04x}" for c in bad)
    return [Problem(str(target), 1, f"{flag} contains control characters ({shown}); expected a name of "
                                    "printable characters on one line")]


def init_project(target: Path, client: str, *, bank_dir: Path | None = None, copy_bank: bool = False,
                 lang: str | None = None, consultancy: str | None = None, consultant: str | None = None,
                 baseline: list[Path] | None = None, collect_url: str | None = None,
                 collect_token: str | None = None) -> Scaffold:
    """Scaffold the audit project of ``client`` in ``target`` (new or empty).

    ``collect_url``: the collection server's address, written with ``collect_token`` (a new
    one when not given) into the site's options, so that the site sends its answers there.
    """
    target = Path(target)
    problems = _check_target(target)
    if not client.strip():
        problems.append(Problem(str(target), 1, "--client is empty; expected the client's name"))
    for flag, name in (("--client", client), ("--consultancy", consultancy), ("--consultant", consultant)):
        problems += _check_name(target, flag, name)
    problems += _check_collection(target, collect_url, collect_token)
    source_bank = Path(bank_dir) if bank_dir is not None else default_bank_dir()
    bank = load_bank(source_bank)
    try:
        chosen = language(bank, lang)
    except InputError as exc:
        problems += exc.problems
        chosen = bank.languages[0]
    baseline_files: list[Path] = []
    if baseline:
        baseline_files, missing = response_files(list(baseline))
        problems += missing
        if not missing:
            load_responses(list(baseline), bank, match_by_id=True)  # refuse bad answers before writing anything
    if problems:
        raise InputError(problems)
    client = client.strip()
    files = project_files(client, bank, chosen, copy_bank, consultancy, consultant)
    if collect_url is not None:
        collect_url = collect_url.rstrip("/")
        collect_token = collect_token or new_token()
    files = with_arrivals(files, collect_url, collect_token, copy_bank, chosen)
    written = write_project(target, files, source_bank if copy_bank else None, baseline_files)
    return Scaffold(target, written, bank, chosen, collect_url, collect_token)


def _check_collection(target: Path, url: str | None, token: str | None) -> list[Problem]:
    if url is None:
        return [Problem(str(target), 1, "--collect-token goes with --collect-url; expected both, or neither")] \
            if token is not None else []
    problems = []
    if (why := url_problem(url)) is not None:
        problems.append(Problem(str(target), 1, f"--collect-url {printable(url)}: {why}"))
    if token is not None and (why := token_problem(token)) is not None:
        problems.append(Problem(str(target), 1, f"--collect-token: {why}"))
    return problems


_ARRIVALS = """
## How the answers arrive

Every answer file ends up in `answers/`, in one of three ways; `score` and `report` read
them all alike.

- **Sent from the site.** {sent}
  Each respondent's latest answers are `answers/web-ID.json` (ID: one per browser); when
  someone sends again, the earlier version is kept in `answers/.history/`, which scoring
  ignores. Nothing is lost and nobody is counted twice.
- **An exported file.** Respondents who cannot reach the server press *Export answers
  (JSON)* on the results page and e-mail you the file: save it in `answers/`.
- **A PDF form.** For those who will not use a website: `loyalty-audit form{bank_opt} --lang {lang}
  -o questionnaire.pdf`, then `loyalty-audit import-form{bank_opt} filled.pdf -o answers/NAME.json`.
"""

_SENT_ON = """The site's send button posts the answers to the collection server
  at {url} (`collect_url` and `collect_token` in `mkdocs.yml`). Keep the server running
  while the teams answer; it takes its token from `mkdocs.yml`:
  `{command}` ({where})."""

_SENT_OFF = """Start a collection server with `loyalty-audit collect .`, paste the
  two lines it prints (`collect_url`, `collect_token`) under `- loyalty-audit:` in
  `mkdocs.yml` and build the site again: it gains a send button."""


def with_arrivals(files: dict[str, str], url: str | None, token: str | None, copied: bool,
                  lang: str) -> dict[str, str]:
    """The project's files with the collection server's options in mkdocs.yml (when ``url``
    is given) and, in its README, the three ways answers arrive."""
    files = dict(files)
    if url is not None and token is not None:
        mkdocs = files["mkdocs.yml"]
        anchor = "  - loyalty-audit:\n"
        assert anchor in mkdocs, "the plugin's options are where the collection's go"
        files["mkdocs.yml"] = mkdocs.replace(anchor, anchor + "\n".join(
            line + comment for line, comment in zip(plugin_lines(json.dumps(url), token),
                                                    ("   # loyalty-audit collect: the site's send button",
                                                     "   # the server's token"), strict=True)) + "\n", 1)
        where = "see docs/collect.md of loyalty-audit to put it behind HTTPS" \
            if urlsplit(url).scheme == "https" else "respondents' browsers must reach that address"
        sent = _SENT_ON.format(url=url, command=collect_command(".", url), where=where)
    else:
        sent = _SENT_OFF
    bank_opt = " --bank bank" if copied else ""
    files["README.md"] = files["README.md"] + _ARRIVALS.format(sent=sent, bank_opt=bank_opt, lang=lang)
    return files

