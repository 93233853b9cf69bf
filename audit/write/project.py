"""The files of a new client project (``loyalty-audit init``), and writing them whole.

```
acme/
  README.md      what to do next, for the consultant
  mkdocs.yml     the client's questionnaire site (the loyalty-audit MkDocs plugin)
  pages/         extra pages or images for the site (optional)
  brand.yaml     the consultancy's brand on the report
  answers/       the team's exported response files go here
  baseline/      the previous audit's answers (only with --baseline)
  bank/          a copy of the bank to customise (only with --copy-bank)
  .gitignore
```
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import printable
from ..model import Bank

# Words of the scaffolded files that depend on the report's language; others fall back to English.
_SUBTITLE = {"es": "Informe de auditoría de fidelización para {client}",
             "en": "Loyalty audit report for {client}"}


# Left as they are by json.dumps, but not printable in YAML (DEL, C1 controls, lone surrogates,
# U+FFFE and U+FFFF) or a line break to YAML (NEL, the line and paragraph separators)
_YAML_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML) for text typed by a user;
    whatever YAML would refuse or fold is written as an escape, so the file always parses."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _comment(value: str) -> str:
    """Text for a YAML comment: one line, nothing YAML refuses."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(value))


def _mkdocs_yml(client: str, bank: Bank, lang: str, copied: bool) -> str:
    bank_line = "      bank: bank                    # the customised copy of the bank\n" if copied else \
                "      # bank: bank                  # a customised bank folder (default: the packaged bank)\n"
    return (
        f"# The self-assessment site of {_comment(client)}'s loyalty audit.\n"
        "#   mkdocs build --strict    writes site/: open site/index.html, or put site/ on any static host\n"
        "#   mkdocs serve             live preview while you edit the bank\n"
        f"site_name: {_yaml_string(client)}\n"
        "docs_dir: pages\n"
        "site_dir: site\n"
        "use_directory_urls: false           # plain .html links: the site also works from file://\n"
        "\n"
        "theme:\n"
        "  name: material\n"
        f"  language: {lang}\n"
        "  font: false                       # no web fonts: nothing is fetched from another site\n"
        "  palette:\n"
        "    primary: indigo\n"
        "    accent: indigo\n"
        "\n"
        "plugins:\n"
        "  - loyalty-audit:\n"
        + bank_line +
        f"      language: {lang}                  # the language at the site's root\n"
        f"      organisation: {_yaml_string(client)}   # filled in for every respondent\n"
    )


def _brand_yml(client: str, bank: Bank, consultancy: str | None, consultant: str | None) -> str:
    lines = [f"# The consultancy's brand on the report for {_comment(client)}.",
             "# Every key is optional; file paths are relative to this file and must stay in this folder.",
             "# See the loyalty-audit README (\"The PDF report\") for fonts, footer and dimensions."]
    lines.append(f"consultancy: {_yaml_string(consultancy)}" if consultancy else "# consultancy: Norte Consultores")
    lines.append(f"consultant: {_yaml_string(consultant)}" if consultant else "# consultant: Laura Pérez")
    lines.append("subtitle:")
    for lang in bank.languages:
        lines.append(f"  {lang}: {_yaml_string(_SUBTITLE.get(lang, _SUBTITLE['en']).format(client=client))}")
    lines += ["# logo: logo.svg                  # .svg, .png, .jpg or .gif, beside this file",
              "# colours: {primary: \"#16324f\", accent: \"#c0562f\"}",
              "# footer: {es: Confidencial, en: Confidential}", ""]
    return "\n".join(lines)


_README = """\
# Loyalty audit: {client}

This folder holds one client's audit. Everything below runs from this folder.

1. **Publish the questionnaire.** `mkdocs build --strict` writes `site/`. Send the client's
   teams `site/index.html` (zipped) or put `site/` on any static host; nothing is fetched
   from elsewhere and answers stay in each browser until exported. People who will not use
   a website can fill in a PDF form instead: `loyalty-audit form --lang {lang} -o questionnaire.pdf`
   {bank_flag}then `loyalty-audit import-form{bank_opt} filled.pdf -o answers/NAME.json`.
2. **Collect the answers.** Put every exported file (`.json`, or `.yaml` written by hand
   from `loyalty-audit template{bank_opt} -o answers/NAME.yaml`) into `answers/`.
3. **Check and score them.** `loyalty-audit score{bank_opt} answers/` (add `--format json`
   or `--format csv`; `loyalty-audit export{bank_opt} answers/ -o audit.xlsx` for a spreadsheet).
   Bad input is reported as `file:line: problem` and nothing is written.
4. **Write the report.** `loyalty-audit report --batch .` writes `report.pdf` here, using
   `brand.yaml`, `plan.yaml` and `baseline/` when they exist{bank_note}. Or by hand:
   `loyalty-audit report{bank_opt} --brand brand.yaml --lang {lang} -o report.pdf answers/`.

Optional:
- **Action plan.** Write `plan.yaml` to link recommendations (by question id) to costed
  actions: `id`, `title`, `questions`, `owner`, `quarter` (YYYY-Qn), `one_off_cost`,
  `yearly_cost`, `yearly_benefit`, optional `internal_hours`, `yearly_internal_hours`,
  `benefit_basis` and `notes`, under `currency`, `hourly_cost` (what an hour of your
  client's staff costs), optional `assumptions` and `actions`. The report then shows each
  action's payback and the whole plan's, operational costs and staff time included, with
  the cash flow by year and the payback if the benefit were 30 % lower.
- **Follow-up audit.** Put the previous audit's answers in `baseline/` (or start a new
  folder with `loyalty-audit init NEW --client ... --baseline OLD/answers`); the report
  then shows the change and the progress to target since then, and so does
  `loyalty-audit score{bank_opt} --baseline baseline answers/`.
{bank_section}"""

_BANK_SECTION = """\
- **The bank.** `bank/` is this client's copy of the question bank: edit it, then run
  `loyalty-audit validate bank` before building the site or scoring.
"""


def _readme(client: str, lang: str, copied: bool) -> str:
    bank_opt = " --bank bank" if copied else ""
    return _README.format(client=client, lang=lang, bank_opt=bank_opt,
                          bank_flag="--bank bank, " if copied else "",
                          bank_note=" and the bank in `bank/`" if copied else "",
                          bank_section=_BANK_SECTION if copied else "")


_ANSWERS_README = """\
# Answers

Put the team's response files here: the `.json` files the questionnaire site exports, or
`.yaml` files filled in by hand. Every `.json`, `.yaml` and `.yml` file in this folder is
read, in name order, as one respondent (or several); other files are ignored.
"""

_GITIGNORE = "/site/\n/report.pdf\n"


def project_files(client: str, bank: Bank, lang: str, copied: bool, consultancy: str | None,
                  consultant: str | None) -> dict[str, str]:
    """Path in the project -> text, for every file ``init`` writes."""
    return {
        "README.md": _readme(client, lang, copied),
        "mkdocs.yml": _mkdocs_yml(client, bank, lang, copied),
        "brand.yaml": _brand_yml(client, bank, consultancy, consultant),
        "answers/README.md": _ANSWERS_README,
        ".gitignore": _GITIGNORE,
        "pages/.gitkeep": "",
    }


def write_project(target: Path, files: dict[str, str], bank_dir: Path | None, baseline: list[Path]) -> list[Path]:
    """Write the project folder whole or not at all: made beside ``target``, then renamed.

    ``bank_dir``: a bank folder copied into ``bank/``; ``baseline``: answer files copied
    into ``baseline/``. ``target`` must not exist or be empty.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, text in files.items():
            path = work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if bank_dir is not None:
            shutil.copytree(bank_dir, work / "bank",
                            ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyc", ".*"))
        if baseline:
            (work / "baseline").mkdir()
            for i, path in enumerate(baseline, 1):
                shutil.copy2(path, work / "baseline" / f"{i:02d}-{path.name}")
        for path in work.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(work, 0o755)
        if target.is_dir():
            target.rmdir()  # empty, checked before
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sorted(p for p in target.rglob("*") if p.is_file())
