"""Options of the ``loyalty-audit`` MkDocs plugin, as written under ``plugins:`` in mkdocs.yml.

```yaml
plugins:
  - loyalty-audit:
      bank: questions          # bank folder, relative to mkdocs.yml (default: the packaged bank)
      language: es             # language at the site's root (default: the bank's first)
      languages: [es, en]      # languages to build (default: all of the bank's)
      pages: [home, about, sections, finish, results, team]
      organisation: Acme S.L.  # filled in for every respondent (default: empty)
      templates: my-templates  # folder whose templates and messages.yaml win over ours
      contact: Ana Ruiz, ana@consultora.example   # who respondents ask (home page and finish)
      deadline: 2027-01-15     # the date answers are due (home page and finish)
      instructions: ...        # a paragraph from the consultant, as plain text
      live_scores: true        # false: scores only on the results page, not while answering
      collect_url: http://127.0.0.1:8765   # loyalty-audit collect: adds the send button
      collect_token: TOKEN     # the collection server's token
```
"""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from .pages import PAGE_KINDS


class SiteConfig(base.Config):  # type: ignore[no-untyped-call]
    """Typed options of the plugin."""

    enabled = c.Type(bool, default=True)
    """Build the questionnaire; false leaves the site as if the plugin were absent."""

    bank = c.Optional(c.Dir(exists=False))
    """The bank folder (holding bank.yaml); default: the bank that ships with the package."""

    language = c.Optional(c.Type(str))
    """The language of the pages at the site's root; default: the bank's first language."""

    languages = c.Optional(c.ListOfItems(c.Type(str)))
    """The bank languages to build; default: all of them. Others get pages under ``<lang>/``."""

    pages = c.ListOfItems(c.Choice(PAGE_KINDS), default=list(PAGE_KINDS))
    """Which pages to generate."""

    nav = c.Type(bool, default=True)
    """Set the navigation (when mkdocs.yml has no ``nav``): sections grouped by area."""

    title = c.Type(bool, default=True)
    """Show the bank's title, in the page's language, as the site name."""

    organisation = c.Optional(c.Type(str))
    """The client's name, filled in for every respondent (who may still change it)."""

    templates = c.Optional(c.Dir(exists=True))
    """A folder of page templates and messages.yaml that win over the packaged ones."""

    contact = c.Optional(c.Type(str))
    """Who respondents ask about the questionnaire (name, e-mail, phone), as plain text."""

    deadline = c.Optional(c.Type((str, dt.date)))
    """The date answers are due, ``YYYY-MM-DD`` (YAML reads an unquoted one as a date)."""

    instructions = c.Optional(c.Type(str))
    """A paragraph from the consultant shown on the home page and at the finish, as plain text."""

    live_scores = c.Type(bool, default=True)
    """Show scores while answering; false shows them on the results page only."""

    collect_url = c.Optional(c.Type(str))
    """The collection server's address (``loyalty-audit collect``); adds the send button."""

    collect_token = c.Optional(c.Type(str))
    """The collection server's token, sent as ``Authorization: Bearer TOKEN``."""
