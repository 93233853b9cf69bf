"""The fillable PDF questionnaire as a format: its field names and its metadata.

``loyalty-audit form`` writes it (:mod:`audit.write.form`); ``loyalty-audit import-form``
reads a filled one back into a response file (:mod:`audit.read.form`). Field names carry
the question ids, so a form filled in any PDF viewer, or by a library, comes back exactly:

| field | kind | holds |
| --- | --- | --- |
| ``organisation``, ``respondent.name`` | text | who answers |
| ``respondent.department`` | list | a department key, or empty |
| ``profile.<id>`` | radio | a profile option key |
| ``answer.<qid>`` | radio (one option), text (a number), multi-line text (a text) | the answer |
| ``option.<qid>:<key>`` | check box | one option of a several-options question |
| ``na.<qid>`` | check box | N/A, where the question allows it |
| ``dont_know.<qid>`` | check box | "I don't know", where the question allows it |
| ``comment.<qid>`` | multi-line text | the comment |

The bank's id and version, the language and the profile the form was made for travel in
the PDF's metadata (:data:`META_KEY`). A bad value is reported as ``filled.pdf:PAGE: field
'answer.x': what is wrong, and what was expected``; for a PDF the line is the page number.
"""

from __future__ import annotations

META_KEY = "/LoyaltyAudit"
