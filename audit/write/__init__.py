"""Writing: the words, the number and date formats, and every output (JSON, CSV, terminal,
spreadsheet, blank response file, fillable form, and the report)."""
