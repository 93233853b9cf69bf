"""JSON Schema of the files people write, generated from the models.

``python -m audit.write.schema [DIR]`` writes them (``schemas/`` by default); a test fails when
the committed copies are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..model import AreaFile, BankFile, ResponseFile
from .files import write_atomic

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "bank.schema.json": (BankFile, "loyalty-audit question bank (bank.yaml)"),
    "area.schema.json": (AreaFile, "loyalty-audit area file of a question bank"),
    "response.schema.json": (ResponseFile, "loyalty-audit response file"),
}


def schemas() -> dict[str, str]:
    """File name → schema text."""
    out: dict[str, str] = {}
    for name, (model, title) in SCHEMAS.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(by_alias=True),
        }
        schema["title"] = title
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "schemas"
    for name, text in schemas().items():
        write_atomic(folder / name, text)
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
