"""The ``loyalty-audit`` MkDocs plugin: the self-assessment site of a question bank.

It loads the bank when the configuration is read (a bank error stops the build with the
same ``path:line`` lines as the command line), generates every page in memory
(``File.generated``), adds our one script (minified) and one stylesheet, sets the navigation,
and writes the bank once per language as a script file that each page loads, so that the site
also works from ``file://``.

Pages in other languages live under ``<lang>/``. MkDocs has one navigation and one theme
language per build, so while each page is rendered the plugin gives it its language's
navigation, theme language, site name and language links, and restores them afterwards.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import rjsmin
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from ..errors import InputError
from ..model import text_of
from ..read.bank import load_bank
from ..read.messages import load_messages
from ..resources import default_bank_dir
from .config import SiteConfig
from .pages import (
    ASSET_DIR,
    ASSETS,
    PAYLOAD_ID,
    Consultant,
    SiteContent,
    SitePage,
    build_site,
    parse_deadline,
    script_json,
    site_templates_dir,
)

log = logging.getLogger("mkdocs.plugins.loyalty-audit")
_HTML_LANG = re.compile(r'<html lang="[^"]*"')
# Material reads these to map pages between languages through each language's sitemap.xml,
# which our layout (languages under <lang>/) does not have; the language menu links straight
# to the same page in the other language instead, which also works from file://.
_ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
# The global the data files fill in, one entry per language (read at the start of setup() in
# loyalty-audit.js).
DATA_GLOBAL = "LoyaltyAuditData"
# A value of the payload repeated at least this long (in JSON) is written once in the data file.
_SHARED_MIN = 64


def data_uri(lang: str) -> str:
    """Where the data file of ``lang`` goes in the site."""
    return f"{ASSET_DIR}/loyalty-audit-data.{lang}.js"


def data_script(payload: str) -> str:
    """The data file of one language: a classic script that stores the payload (the JSON that
    :func:`build_site` made) in ``window.LoyaltyAuditData[lang]``.

    A value repeated in the payload (a scale's options with their help, in every question of
    that scale) is written once, as ``r[i]``, and the whole is copied through JSON on load, so the
    page gets plain, unshared objects, exactly the payload's JSON.
    """
    data = json.loads(payload)
    containers = _containers(data)  # every object and array, after what it holds
    # equal values get the same number, made from their children's numbers (a JSON text for
    # each value would cost a string per value and level); and about how long each one's JSON is
    # (only long ones are worth writing once)
    numbers: dict[tuple[object, ...], int] = {}
    number: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for value in containers:
        is_dict = isinstance(value, dict)
        shape: list[object] = [is_dict]
        size = 2
        for k, c in value.items() if is_dict else enumerate(value):
            if isinstance(c, dict | list):
                shape.append((k, number[id(c)]))
                size += sizes[id(c)] + 1
            else:
                shape.append((k, type(c), c))
                size += len(str(c)) + 3
            if is_dict:
                size += len(str(k)) + 3
        number[id(value)] = numbers.setdefault(tuple(shape), len(numbers))
        sizes[id(value)] = size
    counts = Counter(number[id(v)] for v in containers if sizes[id(v)] >= _SHARED_MIN)
    texts = {id(v): _json(v) for v in containers if counts.get(number[id(v)], 0) > 1}
    shared = sorted({t for t in texts.values() if len(t) >= _SHARED_MIN}, key=len)
    index = {t: i for i, t in enumerate(shared)}
    inner: set[int] = set()  # containers with a shared value somewhere inside
    for value in containers:
        children = list(value.values() if isinstance(value, dict) else value)
        if any(id(c) in inner or texts.get(id(c)) in index for c in children if isinstance(c, dict | list)):
            inner.add(id(value))
    keys: dict[str, str] = {}

    def write(value: object, top: bool = False) -> str:
        if not isinstance(value, dict | list):
            return _json(value)
        text = texts.get(id(value))
        if not top and text is not None and text in index:
            return f"r[{index[text]}]"
        if id(value) not in inner:
            return text or _json(value)
        if isinstance(value, dict):
            return "{" + ",".join(f"{keys.get(k) or keys.setdefault(k, _json(k))}:{write(v)}"
                                  for k, v in value.items()) + "}"
        return "[" + ",".join(write(v) for v in value) + "]"

    values = {texts[id(v)]: v for v in containers if id(v) in texts}
    body = [f"r[{i}] = {write(values[t], top=True)};" for i, t in enumerate(shared)]
    body.append(f"store[{json.dumps(data['lang'])}] = JSON.parse(JSON.stringify({write(data, top=True)}));")
    safe = "\n".join(body).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (f'(function (store) {{\n"use strict";\nvar r = [];\n{safe}\n'
            f"}}(window.{DATA_GLOBAL} = window.{DATA_GLOBAL} || {{}}));\n")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _containers(value: object) -> list[Any]:
    """Every dict and list in ``value``, children before their parent."""
    found: list[Any] = []
    stack: list[tuple[object, bool]] = [(value, False)]
    while stack:
        item, done = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if done:
            found.append(item)
            continue
        stack.append((item, True))
        stack.extend((child, False) for child in (item.values() if isinstance(item, dict) else item))
    return found


def data_tag(lang: str, page_url: str) -> str:
    """The element of a page that loads its language's data file (``page_url``: the page's URL
    in the site, as MkDocs gives it). In the page's body, so that Material's instant navigation
    loads it again on each page (it re-creates the scripts of the content with their attributes)."""
    src = get_relative_url(data_uri(lang), page_url)
    return f'<script id="{PAYLOAD_ID}" data-lang="{html.escape(lang)}" src="{html.escape(src)}"></script>'


def page_markdown(page: SitePage, page_url: str) -> str:
    """A generated page's Markdown as it is built: the page, then the tag of its data file."""
    return page.markdown + "\n" + data_tag(page.lang, page_url) + "\n"


def theme_file_unused(uri: str, search: bool) -> bool:
    """A file of the theme that the site never loads: source maps, and the search's index
    worker and word splitters when there is no search plugin."""
    if uri.endswith(".map"):
        return True
    return not search and (uri.startswith("assets/javascripts/lunr/")
                           or uri.startswith("assets/javascripts/workers/search."))


_CONFIG_START = '<script id="__config" type="application/json">'
# A hidden, empty table of contents (every generated page hides it: ``hide: [toc]``)
_HIDDEN_TOC = re.compile(r'<div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" '
                         r'data-md-type="toc" hidden>\s*<div class="md-sidebar__scrollwrap">\s*'
                         r'<div class="md-sidebar__inner">\s*<nav class="md-nav md-nav--secondary"[^>]*>\s*</nav>'
                         r'\s*</div>\s*</div>\s*</div>\s*')


def without_search(body: str) -> str:
    """A page's body without what only the search uses, in a site that has none: the theme's
    configuration keeps no search worker and no search words, and the empty, hidden table of
    contents goes (a tenth of a page's weight together)."""
    body = _HIDDEN_TOC.sub("", body, count=1)
    start = body.find(_CONFIG_START)
    end = body.find("</script>", start)
    if start < 0 or end < 0:
        return body
    config = json.loads(body[start + len(_CONFIG_START):end])
    config.pop("search", None)
    config["translations"] = {k: v for k, v in (config.get("translations") or {}).items()
                              if not k.startswith("search.")}
    return body[:start] + _CONFIG_START + script_json(config) + body[end:]


def compact(output: str) -> str:
    """A page without its indentation and blank lines (a third of a page is Material's
    indentation), unless whitespace there may mean something (``<pre>``, a filled ``<textarea>``)."""
    if "<pre" in output or output.count("<textarea") != output.count("></textarea>"):
        return output
    return "\n".join(stripped for line in output.split("\n") if (stripped := line.strip()))


def _site_name(title: str) -> Markup:
    """The bank's title as ``site_name``: escaped once, here, because Material prints
    ``config.site_name`` raw in most places; marked safe so that the places that do escape it
    (``title="{{ config.site_name | e }}"``) do not escape it a second time."""
    return Markup(html.escape(title))


def problems_text(exc: InputError) -> str:
    """The problems of a bank, one ``path:line: message`` per line, paths as a user typed them."""
    lines = []
    for problem in exc.problems:
        path = problem.path
        if os.path.isabs(path):
            rel = os.path.relpath(path)
            path = rel if not rel.startswith("..") else path
        lines.append(f"{path}:{problem.line}: {problem.message}")
    return "\n".join(lines)


class LoyaltyAuditPlugin(BasePlugin[SiteConfig]):  # type: ignore[no-untyped-call]
    """Generates the questionnaire, results and team pages of a bank."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content: SiteContent | None = None
        self.bank_dir: Path | None = None
        self.own_nav = False
        self.navs: dict[str, Navigation] = {}
        self.by_uri: dict[str, SitePage] = {}
        self.urls: dict[tuple[str, str], str] = {}
        self.defaults: dict[str, Any] = {}
        self.theme_languages: dict[str, str | None] = {}
        self.set_alternate = False
        self.raw: dict[str, str] = {}

    # -- configuration --------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.content = None
        if not self.config.enabled:
            return config
        self.bank_dir = Path(self.config.bank) if self.config.bank else default_bank_dir()
        template_dirs = [Path(self.config.templates)] if self.config.templates else []
        try:
            bank = load_bank(self.bank_dir)
            messages = load_messages([*template_dirs, site_templates_dir()])
        except InputError as exc:
            raise PluginError(problems_text(exc)) from None
        languages = list(self.config.languages or bank.languages)
        unknown = [lang for lang in [*languages, self.config.language or languages[0]]
                   if lang not in bank.languages]
        if unknown or not languages:
            raise PluginError(f"loyalty-audit: language {', '.join(unknown) or '(none)'} is not one of "
                              f"the bank's; expected some of: {', '.join(bank.languages)}")
        default = self.config.language or (bank.languages[0] if bank.languages[0] in languages
                                           else languages[0])
        if default not in languages:
            languages.insert(0, default)
        try:
            deadline = parse_deadline(self.config.deadline)  # type: ignore[arg-type]
        except ValueError as exc:
            raise PluginError(f"loyalty-audit: {exc}") from None
        consultant = Consultant(contact=self.config.contact, deadline=deadline,
                                instructions=self.config.instructions, live_scores=self.config.live_scores,
                                collect_url=self.config.collect_url, collect_token=self.config.collect_token)
        self.content = build_site(bank, messages, languages=languages, default=default, kinds=self.config.pages,
                                  use_directory_urls=config.use_directory_urls,
                                  template_dirs=template_dirs, organisation=self.config.organisation,
                                  consultant=consultant)
        self.by_uri = {p.src_uri: p for p in self.content.pages}

        for option, name in (("extra_css", ASSETS["css"]), ("extra_javascript", ASSETS["js"])):
            uri = f"{ASSET_DIR}/{name}"
            items = config[option]
            if not any(str(item) == uri for item in items):
                items.append(uri)

        self.own_nav = bool(self.config.nav and config.nav is None and self.content.pages)
        if self.own_nav:
            config.nav = self.content.navs[default]

        extra = config.extra
        self.set_alternate = "alternate" not in extra and len(languages) > 1
        if self.config.title:
            config.site_name = _site_name(text_of(bank.title, default))
        self.theme_languages = {lang: self._theme_language(config, lang) for lang in languages}
        if self.theme_languages[default] is not None:
            config.theme["language"] = self.theme_languages[default]
        self.defaults = {"site_name": config.site_name, "language": config.theme.get("language"),
                         "alternate": extra.get("alternate")}
        return config

    @staticmethod
    def _theme_language(config: MkDocsConfig, lang: str) -> str | None:
        """``lang`` if the theme has its words (Material does for most languages), else None."""
        if "language" not in config.theme:
            return None
        for folder in config.theme.dirs:
            if (Path(folder) / "partials" / "languages" / f"{lang}.html").is_file():
                return lang
        return None

    # -- files and navigation -------------------------------------------------------

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        content = self.content
        if content is None:
            return files
        for page in content.pages:
            if files.get_file_from_path(page.src_uri) is None:  # a page in docs_dir wins
                inclusion = (InclusionLevel.NOT_IN_NAV if self.own_nav and page.lang != content.default
                             else InclusionLevel.UNDEFINED)
                files.append(File.generated(config, page.src_uri, content=page.markdown,
                                            inclusion=inclusion))
            file = files.get_file_from_path(page.src_uri)
            if file is not None:
                self.urls[(page.key, page.lang)] = file.url
        for uri, source in asset_files([Path(self.config.templates)] if self.config.templates else []).items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=asset_text(source)))
        for lang in content.languages:
            if files.get_file_from_path(data_uri(lang)) is None:
                files.append(File.generated(config, data_uri(lang), content=data_script(content.payloads[lang])))
        search = "search" in config.plugins
        theme_dirs = [os.path.join(folder, "") for folder in config.theme.dirs]
        for file in [f for f in files if theme_file_unused(f.src_uri, search)]:
            if file.abs_src_path and any(file.abs_src_path.startswith(d) for d in theme_dirs):
                files.remove(file)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.navs = {}
        content = self.content
        if content is None or not self.own_nav:
            return nav
        self.navs[content.default] = nav
        main = config.nav
        try:
            for lang in content.languages:
                if lang == content.default:
                    continue
                config.nav = content.navs[lang]
                other = get_navigation(files, config)
                home = content.page("home", lang)
                other.homepage = (files.get_file_from_path(home.src_uri).page  # type: ignore[union-attr]
                                  if home else None)
                self.navs[lang] = other
        finally:
            config.nav = main
        return nav

    # -- pages ----------------------------------------------------------------------

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext | None:
        content = self.content
        ours = self.by_uri.get(page.file.src_uri)
        if content is None or ours is None:
            return context
        lang = ours.lang
        if self.theme_languages.get(lang):
            config.theme["language"] = self.theme_languages[lang]
        if self.config.title:
            config.site_name = _site_name(text_of(content.bank.title, lang))
        if self.set_alternate:
            config.extra["alternate"] = [
                {"name": content.strings[other]["language_name"], "lang": other,
                 "link": self.urls.get((ours.key, other), self.urls.get(("home", other), "./"))}
                for other in content.languages]
        if lang in self.navs:
            context["nav"] = self.navs[lang]
        return context

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        ours = self.by_uri.get(page.file.src_uri)
        if self.content is None or ours is None:
            return markdown
        markdown += "\n" + data_tag(ours.lang, page.file.url) + "\n"
        if page.file.generated_by is None:  # a page of docs_dir in place of ours: Markdown as written
            return markdown
        # A generated page is one block of HTML, which Markdown would only parse and give back
        # unchanged (a quarter of the build): it goes straight to the page's content
        self.raw[page.file.src_uri] = markdown
        return ""

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        return self.raw.pop(page.file.src_uri, html)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        ours = self.by_uri.get(page.file.src_uri)
        if self.content is None or ours is None:
            return output
        self._restore(config)
        # what is changed is in <head>: only that is searched
        end = output.find("</head>")
        head, body = output[:end], output[end:]
        if self.set_alternate:
            head = _ALTERNATE_LINK.sub("", head)
        if not self.theme_languages.get(ours.lang):
            head = _HTML_LANG.sub(f'<html lang="{html.escape(ours.lang)}"', head, count=1)
        if "search" not in config.plugins:
            body = without_search(body)
        return compact(head + body)

    def on_template_context(self, context: TemplateContext, /, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext | None:
        # MkDocs gives error pages absolute links ("/assets/...") when site_url is not set,
        # which fail from file:// and under a sub-path; relative ones work from 404.html's place
        if self.content is not None and template_name == "404.html" and not config.site_url:
            context["base_url"] = "."
        return context

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str | None:
        if self.content is not None and template_name.endswith(".html"):
            return compact(output_content)
        return output_content

    def _restore(self, config: MkDocsConfig) -> None:
        config.site_name = self.defaults["site_name"]
        if self.defaults["language"] is not None:
            config.theme["language"] = self.defaults["language"]
        if self.set_alternate:
            config.extra.pop("alternate", None)

    # -- mkdocs serve ---------------------------------------------------------------

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:
        if self.config.enabled:
            server.watch(str(self.bank_dir or default_bank_dir()))
            server.watch(str(site_templates_dir()))
            if self.config.templates:
                server.watch(str(self.config.templates))
        return server


# -- the same site as plain files (loyalty-audit site) ------------------------------------

def plain_files(content: SiteContent, use_directory_urls: bool = False) -> dict[str, str]:
    """Every generated page (with its data tag) and every data file of ``content``, by their
    path under ``docs/``: what the plugin adds to a build, for a build without the plugin."""
    files = {page.src_uri: page_markdown(page, File(page.src_uri, None, "", use_directory_urls).url)
             for page in content.pages}
    files.update({data_uri(lang): data_script(content.payloads[lang]) for lang in content.languages})
    # The theme reads the sitemap.xml of each language in its menu (to map pages between them);
    # the plugin's pages have no such links, a plain build does: an empty one answers it
    files.update({f"{lang}/sitemap.xml": _EMPTY_SITEMAP for lang in content.languages if lang != content.default})
    return files


_EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


def asset_text(source: Path) -> str:
    """One of our assets as the site ships it: the script minified (its comments and indentation
    are a third of it; the source in ``templates/site/assets/`` keeps them), the stylesheet as written."""
    text = source.read_text(encoding="utf-8")
    return str(rjsmin.jsmin(text, keep_bang_comments=True)) if source.suffix == ".js" else text


def asset_files(template_dirs: list[Path]) -> dict[str, Path]:
    """Our script and stylesheet, by their path under ``docs/``: from the first folder that has them."""
    folders = [*template_dirs, site_templates_dir()]
    return {f"{ASSET_DIR}/{name}": next(f / "assets" / name for f in folders if (f / "assets" / name).is_file())
            for name in ASSETS.values()}
