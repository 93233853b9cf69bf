"""The self-assessment website: an MkDocs plugin that turns a bank into a static site.

``config.py`` holds the plugin's options, ``plugin.py`` the MkDocs glue, and ``pages.py``
the pages themselves (Markdown from the templates in ``templates/site/``, plus the bank as
JSON for the script that scores in the browser).
"""

from __future__ import annotations
