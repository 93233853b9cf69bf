"""``loyalty-audit site``: the self-assessment site as a plain project, built without our plugin.

```
OUT/
  mkdocs.yml     theme, navigation, our script and stylesheet; no plugin
  docs/          the generated pages (Markdown) and assets/loyalty-audit/ (script, stylesheet,
                 one data file per language)
```

``mkdocs build --strict`` and ``zensical build`` (which reads ``mkdocs.yml`` but runs no MkDocs
plugin) both turn it into the questionnaire. The pages are the plugin's own
(:func:`audit.site.plugin.plain_files`): one way to make them. What only the plugin can do is
left out: each language's own navigation and site name (the pages of the other languages are
reached from their home page and the language menu), and the relative links of ``404.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem
from ..model import Bank, text_of
from ..read.bank import load_bank
from ..read.messages import load_messages
from ..site.pages import ASSET_DIR, ASSETS, build_site, site_templates_dir
from ..site.plugin import asset_files, asset_text, plain_files
from ..write.project import write_project
from .scaffold import _check_target

# Light or dark as the system prefers, with Material's toggle; the same as the repository's mkdocs.yml
PALETTE = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/brightness-7", "name": "Modo oscuro · Dark mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/brightness-4", "name": "Modo claro · Light mode"}},
]
FEATURES = ["navigation.prune"]


@dataclass
class PlainSite:
    """What :func:`write_site` wrote."""

    root: Path
    files: list[Path]
    bank: Bank
    languages: list[str]


def _theme_has(lang: str) -> bool:
    """Whether Material has its own words in ``lang``."""
    return (resources.files("material") / "templates" / "partials" / "languages" / f"{lang}.html").is_file()


def _languages(bank: Bank, target: Path, langs: Sequence[str]) -> tuple[list[str], list[Problem]]:
    chosen = list(dict.fromkeys(langs)) or list(bank.languages)
    unknown = [lang for lang in chosen if lang not in bank.languages]
    if unknown:
        return chosen, [Problem(bank.path, bank.lines.get("languages", 1),
                                f"--lang {', '.join(unknown)}: the bank has no texts in it; expected some of "
                                f"its languages: {', '.join(bank.languages)}")]
    return chosen, []


def mkdocs_config(bank: Bank, languages: list[str], nav: list[Any], names: dict[str, str]) -> dict[str, Any]:
    """The plain project's ``mkdocs.yml``, as data (``names``: each language's name, in itself)."""
    default = languages[0]
    # variant: Zensical's look of Material for MkDocs (MkDocs passes it on unused)
    theme: dict[str, Any] = {"name": "material", "variant": "classic", "font": False, "features": FEATURES,
                             "palette": PALETTE}
    if _theme_has(default):
        theme["language"] = default
    config: dict[str, Any] = {
        "site_name": text_of(bank.title, default),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "theme": theme,
        "plugins": [],
        "nav": nav,
        "extra_css": [f"{ASSET_DIR}/{ASSETS['css']}"],
        "extra_javascript": [f"{ASSET_DIR}/{ASSETS['js']}"],
    }
    if len(languages) > 1:
        config["not_in_nav"] = "\n".join(f"/{lang}/" for lang in languages[1:]) + "\n"
        config["extra"] = {"alternate": [
            {"name": names[lang], "lang": lang, "link": "index.html" if lang == default else f"{lang}/index.html"}
            for lang in languages]}
    return config


def write_site(target: Path, *, bank_dir: Path | None = None, langs: Sequence[str] = (),
               templates: Path | None = None, organisation: str | None = None) -> PlainSite:
    """Write the site of the bank in ``bank_dir`` as a plain project in ``target`` (new or empty)."""
    target = Path(target)
    problems = _check_target(target)
    bank = load_bank(bank_dir)
    languages, bad = _languages(bank, target, langs)
    problems += bad
    if problems:
        raise InputError(problems)
    template_dirs = [templates] if templates else []
    messages = load_messages([*template_dirs, site_templates_dir()])
    content = build_site(bank, messages, languages=languages, default=languages[0],
                         template_dirs=template_dirs, organisation=organisation)
    header = ("# The self-assessment site of a loyalty-audit question bank, as plain pages (no plugin).\n"
              "# Made by `loyalty-audit site`; make it again rather than editing docs/.\n"
              "#   mkdocs build --strict    or    zensical build     writes site/: open site/index.html\n")
    body = yaml.safe_dump(mkdocs_config(bank, languages, content.navs[content.default],
                                        {lang: content.strings[lang]["language_name"] for lang in languages}),
                          allow_unicode=True, sort_keys=False, width=100)
    files = {"mkdocs.yml": header + body, **{f"docs/{name}": text for name, text in plain_files(content).items()}}
    for name, source in asset_files(template_dirs).items():
        files[f"docs/{name}"] = asset_text(source)
    written = write_project(target, files, None, [])
    return PlainSite(target, written, bank, languages)

