"""loyalty-audit: audit how well a company keeps its customers."""

from __future__ import annotations

__version__ = "0.1.0"
