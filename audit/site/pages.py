"""The pages of the self-assessment site, made from a bank: Markdown text and the JSON the
browser scores with. No MkDocs machinery here (the plugin adds that), so the same pages
can also be written out as plain files.

Every language of the bank gets the same set of pages; the default language sits at the
site's root and the others under ``<lang>/``. Templates come from ``templates/site/`` (or a
folder given first, whose files win).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from babel.numbers import get_decimal_symbol
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from ..model import Bank, Section, kind_of, text_of
from ..model.kinds import KINDS
from ..resources import packaged_templates
from ..write.formats import LONG_DATE, base_language, locale_of, long_date
from ..write.messages import Messages, Words
from ..write.report.html import sandboxed

PAGE_KINDS = ("home", "about", "sections", "finish", "results", "team")
ASSETS = {"js": "loyalty-audit.js", "css": "loyalty-audit.css"}
ASSET_DIR = "assets/loyalty-audit"
PAYLOAD_ID = "loyalty-audit-data"
MINUTES_PER_QUESTION = 0.5


def site_templates_dir() -> Path:
    """The site templates that ship with the package."""
    return packaged_templates("site", "messages.yaml")


@dataclass(frozen=True)
class SitePage:
    """One generated page: ``key`` names it the same way in every language."""

    key: str
    lang: str
    src_uri: str
    title: str
    markdown: str


@dataclass(frozen=True)
class Consultant:
    """What the consultant tells respondents and how answers reach them (the plugin's options).

    Every text is plain text, shown as text. ``deadline`` is ``YYYY-MM-DD``; ``live_scores``
    false shows scores on the results page only; with ``collect_url`` the finish and results
    pages get a send button that posts to that collection server with ``collect_token``.
    """

    contact: str | None = None
    deadline: dt.date | None = None
    instructions: str | None = None
    live_scores: bool = True
    collect_url: str | None = None
    collect_token: str | None = None

    def payload(self) -> dict[str, Any]:
        """What the script needs of these options."""
        out: dict[str, Any] = {"live_scores": self.live_scores}
        if self.collect_url:
            out["collect"] = {"url": self.collect_url.rstrip("/"), "token": self.collect_token or ""}
        return out


def parse_deadline(text: str | dt.date | None) -> dt.date | None:
    """The ``deadline`` option, ``YYYY-MM-DD``; a ValueError names what is wrong."""
    if isinstance(text, dt.date):
        return text
    if text is None or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"deadline {str(text)!r} is not a date; expected YYYY-MM-DD, e.g. 2027-01-15") from None


def decimal_text(value: float, lang: str) -> str:
    """A number as a respondent types it in ``lang``: Python's ``%g`` with the language's decimal
    sign and no thousands separator (``2,5`` in Spanish, ``1500`` in both)."""
    return f"{value:g}".replace(".", str(get_decimal_symbol(locale_of(lang))))


@dataclass
class SiteContent:
    """Every page of every language, the navigation of each language, and the payloads."""

    bank: Bank
    default: str
    languages: list[str]
    pages: list[SitePage]
    navs: dict[str, list[Any]]
    payloads: dict[str, str]
    strings: dict[str, dict[str, str]] = field(default_factory=dict)

    def page(self, key: str, lang: str) -> SitePage | None:
        return next((p for p in self.pages if p.key == key and p.lang == lang), None)


def _only(value: Any, lang: str, languages: set[str]) -> Any:
    """A JSON value with every ``{language: text}`` mapping cut down to ``lang``."""
    if isinstance(value, dict):
        if value and set(value) == languages and all(isinstance(v, str) for v in value.values()):
            return {lang: value[lang]}
        return {k: _only(v, lang, languages) for k, v in value.items()}
    if isinstance(value, list):
        return [_only(v, lang, languages) for v in value]
    return value


def for_respondents(bank_json: dict[str, Any]) -> dict[str, Any]:
    """The bank as the pages' script gets it: without any question's ``evidence``, which tells
    the auditor what to ask to see and is not for the people being audited, and without the
    descriptions and question help that the pages already print and the script never reads.
    Options keep their help: the script writes it under each option, so that a scale's help is
    in the data file once rather than under every question of every page."""
    def question(q: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in q.items() if k not in ("evidence", "help")}

    def without(item: dict[str, Any], *keys: str) -> dict[str, Any]:
        return {k: v for k, v in item.items() if k not in keys}

    return {**without(bank_json, "description"),
            "profile": [without(p, "help") for p in bank_json.get("profile") or []],
            "areas": [{**without(area, "description"), "sections": [
                {**without(section, "description"), "questions": [question(q) for q in section["questions"]]}
                for section in area["sections"]]} for area in bank_json["areas"]]}


def offers_dont_know(q: Any) -> bool:
    """Whether the site offers "I don't know" on ``q``: its type takes it (not free text), the
    question allows it, and no option has the key ``dont_know`` (which then is that option)."""
    return bool(kind_of(q).na and q.dont_know and "dont_know" not in [o.key for o in q.options or []])


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def kinds_json() -> dict[str, dict[str, Any]]:
    """The kinds table the browser receives: every question type's answer shape, whether it
    scores, and whether ``na`` can mean N/A. The script behaves by shape, never by a type's name."""
    return {name: {**kind.to_json(), "na": kind.na} for name, kind in KINDS.items()}


def _uri(lang: str, default: str, path: str) -> str:
    return path if lang == default else f"{lang}/{path}"


def _url(src_uri: str, use_directory_urls: bool) -> str:
    return File(src_uri, None, "", use_directory_urls).url


def _counts(bank: Bank) -> dict[str, int]:
    questions = sum(1 for *_, q in bank.questions())
    minutes = max(5, math.ceil(questions * MINUTES_PER_QUESTION / 5.0) * 5)
    return {"questions": questions, "sections": len(bank.sections()), "minutes": minutes}


def _environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    """Jinja's sandbox over the folders, each template read only from inside its folder."""
    return sandboxed(template_dirs, keep_trailing_newline=True)


def _tidy(body: str) -> str:
    """Drop blank lines: Markdown must see each page's HTML as one block."""
    return "\n".join(line for line in body.splitlines() if line.strip()) + "\n"


def build_site(bank: Bank, messages: Messages, *, languages: Sequence[str] | None = None,
               default: str | None = None, kinds: Sequence[str] = PAGE_KINDS, use_directory_urls: bool = False,
               template_dirs: Sequence[Path] = (), organisation: str | None = None,
               consultant: Consultant | None = None) -> SiteContent:
    """Render every page of the site of ``bank``.

    ``languages`` are the bank languages to build (all by default) and ``default`` the one
    at the site's root (the bank's first); ``kinds`` picks among :data:`PAGE_KINDS`;
    ``organisation`` is filled in for every respondent (they may still change it);
    ``messages`` are the site's words (``templates/site/messages.yaml`` and the consultant's);
    ``consultant`` holds the contact, deadline, instructions, live scores and collection options.
    """
    consultant = consultant or Consultant()
    languages = list(languages or bank.languages)
    default = default or (bank.languages[0] if bank.languages[0] in languages else languages[0])
    dirs = [*template_dirs, site_templates_dir()]
    env = _environment(dirs)
    env.globals["answer_shape"] = lambda q: kind_of(q).answer
    env.globals["offers_dont_know"] = offers_dont_know
    strings = {lang: Words(lang, messages).all() for lang in languages}
    counts = _counts(bank)
    bank_json = for_respondents(bank.model_dump(mode="json", by_alias=True))

    # (key, path, kind, extra context), the same in every language
    plan: list[tuple[str, str, str, dict[str, Any]]] = []
    if "home" in kinds:
        plan.append(("home", "index.md", "home", {}))
    if "about" in kinds:
        plan.append(("about", "about.md", "about", {}))
    if "sections" in kinds:
        for area, section in bank.sections():
            plan.append((f"section:{section.id}", f"{area.id}/{section.id}.md", "section",
                         {"area": area, "section": section}))
    if "finish" in kinds:
        plan.append(("finish", "finish.md", "finish", {}))
    if "results" in kinds:
        plan.append(("results", "results.md", "results", {}))
    if "team" in kinds:
        plan.append(("team", "team.md", "team", {}))
    if not plan:
        return SiteContent(bank, default, languages, [], {}, {}, strings)

    pages: list[SitePage] = []
    navs: dict[str, list[Any]] = {}
    payloads: dict[str, str] = {}
    for lang in languages:
        s = strings[lang]

        def t(value: str | dict[str, str] | None, lang: str = lang) -> str:
            return text_of(value, lang)

        uris = {key: _uri(lang, default, path) for key, path, _, _ in plan}
        urls = {key: _url(uri, use_directory_urls) for key, uri in uris.items()}
        titles = {key: _title(key, bank, s, lang) for key, *_ in plan}
        keys = [key for key, *_ in plan]
        first_section = next((k for k in keys if k.startswith("section:")), keys[0])
        for i, (key, _path, kind, extra) in enumerate(plan):
            here = urls[key]

            def url(target: str, here: str = here, urls: dict[str, str] = urls, home: str = keys[0]) -> str:
                return get_relative_url(urls.get(target, urls[home]), here)

            following = keys[i + 1] if i + 1 < len(keys) else None
            previous = keys[i - 1] if i > 0 else None
            context = {"bank": bank, "t": t, "s": SimpleNamespace(**s), "root": get_relative_url("./", here),
                       "url": url,
                       "counts": counts, "first_section": first_section,
                       "next_page": ({"key": following, "title": titles[following]}
                                     if following and kind == "section" else None),
                       "previous_page": ({"key": previous, "title": titles[previous]}
                                         if previous and kind == "section" else None),
                       "has_page": lambda key, keys=keys: key in keys,
                       "consultant": consultant,
                       "deadline": long_date(consultant.deadline, lang) if consultant.deadline else "",
                       "decimal": lambda value, lang=lang: decimal_text(value, lang),
                       "min_group": bank.min_group or 1,
                       **extra}
            body = _tidy(env.get_template(f"{kind}.md").render(context))
            front = (f"---\ntitle: {json.dumps(html.escape(titles[key]), ensure_ascii=False)}\n"
                     "hide: [toc]\n---\n\n")
            pages.append(SitePage(key, lang, uris[key], titles[key], front + body))
        navs[lang] = _nav(bank, plan, uris, titles, lang)
        pages_map: dict[str, Any] = {k: v for k, v in urls.items() if not k.startswith("section:")}
        pages_map["sections"] = {k.split(":", 1)[1]: v for k, v in urls.items() if k.startswith("section:")}
        payloads[lang] = script_json({
            "bank": _only(bank_json, lang, set(bank.languages)),
            "lang": lang,
            "strings": s,
            "pages": pages_map,
            "kinds": kinds_json(),
            "date_pattern": LONG_DATE.get(base_language(lang)),  # dates as the report writes them
            **({"organisation": organisation} if organisation else {}),
            "options": consultant.payload(),
        })
    return SiteContent(bank, default, languages, pages, navs, payloads, strings)


def _title(key: str, bank: Bank, s: dict[str, str], lang: str) -> str:
    if key.startswith("section:"):
        ident = key.split(":", 1)[1]
        section: Section = next(sec for _, sec in bank.sections() if sec.id == ident)
        return text_of(section.title, lang)
    return s[f"nav_{key}"]


def _nav(bank: Bank, plan: list[tuple[str, str, str, dict[str, Any]]], uris: dict[str, str],
         titles: dict[str, str], lang: str) -> list[Any]:
    """The MkDocs ``nav`` of one language: sections grouped under their area."""
    nav: list[Any] = []
    area_items: dict[str, list[Any]] = {}
    for key, _path, kind, extra in plan:
        entry = {html.escape(titles[key]): uris[key]}
        if kind != "section":
            nav.append(entry)
            continue
        area = extra["area"]
        if area.id not in area_items:
            area_items[area.id] = []
            nav.append({html.escape(text_of(area.title, lang)): area_items[area.id]})
        area_items[area.id].append(entry)
    return nav
