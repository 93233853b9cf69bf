"""The report: views of a result in one language, charts, HTML and the archival PDF."""
