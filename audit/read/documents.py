"""Read YAML and JSON into plain values while keeping where each value came from.

The result of :func:`load_document` is the data (dicts, lists, scalars) and a map from a
value's path (a tuple of keys and list indexes) to its line in the file, so that checks
made long after parsing can still say ``file:line``.

YAML aliases are expanded by reference in PyYAML's composer, and so cost nothing until the
document is turned into values; here every expanded node is counted and a document that
grows beyond :data:`MAX_NODES` is refused, which defuses "billion laughs" files.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError, Problem

MAX_NODES = 200_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it (several times faster), else PyYAML's own
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A parsed file: its data and the line of every value in it."""

    path: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    raw: bytes = b""  # the file as read

    def line(self, loc: PathKey) -> int:
        """The line of ``loc``, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: PathKey, message: str) -> Problem:
        return Problem(self.path, self.line(loc), message)


class _Builder:
    def __init__(self, path: str, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def build(self, node: Node, loc: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError([Problem(self.path, node.start_mark.line + 1,
                                      f"the document expands to more than {MAX_NODES:,} values "
                                      "(YAML aliases repeated too often); expected a smaller file")])
        if depth > MAX_DEPTH:
            raise InputError([Problem(self.path, node.start_mark.line + 1,
                                      f"values nested more than {MAX_DEPTH} levels deep; "
                                      "expected a flatter document")])
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, ScalarNode):
            value = self.loader.construct_object(node)
            if isinstance(value, (_dt.date, _dt.datetime)):
                return value.isoformat()
            return value
        if isinstance(node, SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self.loader.flatten_mapping(node)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, ScalarNode):
                    self.problems.append(Problem(self.path, line,
                                                 "a key must be a plain word; expected a name before ':'"))
                    continue
                key = self.loader.construct_object(key_node)
                if isinstance(key, bool):
                    self.problems.append(Problem(
                        self.path, line,
                        f"key '{key_node.value}' is read by YAML as a boolean; "
                        f"write it in quotes: \"{key_node.value}\""))
                    continue
                name = "" if key is None else str(key)
                if name in out:
                    self.problems.append(Problem(self.path, line,
                                                 f"duplicate key '{name}'; expected each key once"))
                    continue
                self.lines[loc + (name,)] = line
                out[name] = self.build(value_node, loc + (name,), depth + 1)
            return out
        raise AssertionError(f"unknown YAML node {node!r}")


def _read_text(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), 1, "file not found; expected an existing file")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), 1, f"cannot read the file ({exc.strerror})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line,
                                  f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                  "expected a UTF-8 encoded file")]) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#")
                                for ln in text.splitlines()):
        raise InputError([Problem(str(path), 1, "the file is empty; expected a YAML or JSON mapping")])
    return raw, text


def parse_yaml(text: str, path: str) -> Document:
    """Parse one YAML document from ``text``; ``path`` names it in messages."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(path, 1, "the file is empty; expected a YAML mapping")])
        builder = _Builder(path, loader)
        data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError([Problem(path, line, f"malformed YAML: {what}; expected valid YAML syntax")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(path, 1, f"malformed YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise InputError(builder.problems)
    return Document(path, data, builder.lines)


def parse_json(text: str, path: str) -> Document:
    """Parse JSON; lines come from parsing the same text as YAML where that works."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(path, exc.lineno, f"malformed JSON: {exc.msg}; expected valid JSON")]) from None
    except ValueError as exc:
        raise InputError([Problem(path, 1, f"malformed JSON: {exc}")]) from None
    lines: dict[PathKey, int] = {(): 1}
    with contextlib.suppress(InputError):  # JSON is nearly always YAML; used for lines only
        lines = parse_yaml(text, path).lines
    return Document(path, data, lines)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def load_document(path: Path) -> Document:
    """Read a YAML or JSON file (by its suffix) into a :class:`Document`."""
    raw, text = _read_text(path)
    doc = parse_json(text, str(path)) if path.suffix.lower() == ".json" else parse_yaml(text, str(path))
    doc.raw = raw
    return doc
