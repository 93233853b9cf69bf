"""A client's audit project: the folder ``loyalty-audit init`` scaffolds, found by its layout.

```
CLIENT/
  answers/     the team's response files (required; may still be empty)
  bank/        a customised bank (optional; default: the packaged bank)
  brand.yaml   the consultancy's brand (optional)
  plan.yaml    the action plan (optional)
  baseline/    the previous audit's answers (optional)
  mkdocs.yml   the questionnaire site; its loyalty-audit ``organisation`` names the client
```

There is no project file to keep in step: what is there is used. The client's name in
``mkdocs.yml`` goes on the report while no answer names the organisation (a report of a
project nobody has answered yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem
from .answers import RESPONSE_SUFFIXES


@dataclass(frozen=True)
class Project:
    """One client's folder and the inputs found in it."""

    name: str
    root: Path
    answers: Path
    bank: Path | None = None
    brand: Path | None = None
    plan: Path | None = None
    baseline: Path | None = None
    client: str | None = None


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml files whose other plugins use tags (``!!python/name``, ``!ENV``)."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_options(mkdocs_yml: Path) -> dict[str, Any]:
    """The options of the loyalty-audit plugin in ``mkdocs_yml``; empty when it has none or
    cannot be read (that is the site's problem, reported by mkdocs)."""
    try:
        config: Any = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    plugins = config.get("plugins") if isinstance(config, dict) else None
    for plugin in plugins if isinstance(plugins, list) else []:
        options = plugin.get("loyalty-audit") if isinstance(plugin, dict) else None
        if isinstance(options, dict):
            return options
    return {}


def client_name(mkdocs_yml: Path) -> str | None:
    """The ``organisation`` option of the loyalty-audit plugin in ``mkdocs_yml``, if any."""
    name = plugin_options(mkdocs_yml).get("organisation")
    return name.strip() if isinstance(name, str) and name.strip() else None


def _has_responses(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() and p.suffix.lower() in RESPONSE_SUFFIXES for p in folder.iterdir())


def find_project(folder: Path) -> Project | None:
    """The project in ``folder``, or None when it has no ``answers/`` folder."""
    folder = Path(folder)
    if not (folder / "answers").is_dir():
        return None

    def optional(path: Path, is_dir: bool = False) -> Path | None:
        return path if (path.is_dir() if is_dir else path.is_file()) else None

    return Project(folder.resolve().name, folder, folder / "answers",
                   bank=optional(folder / "bank", True) if (folder / "bank" / "bank.yaml").is_file() else None,
                   brand=optional(folder / "brand.yaml"), plan=optional(folder / "plan.yaml"),
                   baseline=folder / "baseline" if _has_responses(folder / "baseline") else None,
                   client=client_name(folder / "mkdocs.yml"))


def find_projects(folder: Path) -> list[Project]:
    """``folder`` itself if it is a project, else every project folder directly in it, by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 1, "no such folder; expected a folder of client folders")])
    itself = find_project(folder)
    if itself is not None:
        return [itself]
    found = [p for p in (find_project(sub) for sub in sorted(folder.iterdir()) if sub.is_dir()) if p is not None]
    if not found:
        raise InputError([Problem(str(folder), 1, "no client folders here; expected folders with an answers/ "
                                                  "folder, as 'loyalty-audit init' makes them")])
    return found
