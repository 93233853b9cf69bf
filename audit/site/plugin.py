"""The ``loyalty-audit`` MkDocs plugin: the self-assessment site of a question bank.

It loads the bank when the configuration is read (a bank error stops the build with the
same ``path:line`` lines as the command line), generates every page in memory
(``File.generated``), adds our one script and one stylesheet, sets the navigation, and
inlines the bank's JSON in each page's ``<head>`` so that the site also works from ``file://``.

Pages in other languages live under ``<lang>/``. MkDocs has one navigation and one theme
language per build, so while each page is rendered the plugin gives it its language's
navigation, theme language, site name and language links, and restores them afterwards.
"""

from __future__ import annotations

import html
import logging
import os
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
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
    Consultant,
    SiteContent,
    SitePage,
    build_site,
    parse_deadline,
    payload_tag,
    site_templates_dir,
)

log = logging.getLogger("mkdocs.plugins.loyalty-audit")
_HTML_LANG = re.compile(r'<html lang="[^"]*"')
# Material reads these to map pages between languages through each language's sitemap.xml,
# which our layout (languages under <lang>/) does not have; the language menu links straight
# to the same page in the other language instead, which also works from file://.
_ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


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
        folders = [Path(self.config.templates)] if self.config.templates else []
        folders.append(site_templates_dir())
        for name in ASSETS.values():
            uri = f"{ASSET_DIR}/{name}"
            source = next(f / "assets" / name for f in folders if (f / "assets" / name).is_file())
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(source)))
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

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        ours = self.by_uri.get(page.file.src_uri)
        if self.content is None or ours is None:
            return output
        self._restore(config)
        # The bank's JSON goes in <head>: Material's instant navigation re-creates the inline
        # scripts of the page body as plain scripts (dropping type and id), but moves <head>
        # elements over unchanged; search plugins do not index it there either.
        output = output.replace("</head>", payload_tag(self.content.payloads[ours.lang]) + "\n</head>", 1)
        if self.set_alternate:
            output = _ALTERNATE_LINK.sub("", output)
        if not self.theme_languages.get(ours.lang):
            output = _HTML_LANG.sub(f'<html lang="{html.escape(ours.lang)}"', output, count=1)
        return output

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
