"""Read YAML and JSON into plain values while keeping where each value came from.

The result of :func:`load_document` is the data (dicts, lists, scalars) and, for every value
in it, its line in the file, so that checks made long after parsing can still say
``file:line`` (:meth:`Document.line`).

Both formats are built the same way: one value at a time, with an explicit stack instead of
recursion, counting values and depth as they come. So a file is refused as soon as it is
too large (:data:`MAX_BYTES`, checked before it is read), holds too many values
(:data:`MAX_NODES`, checked before the rest is built) or nests too deep (:data:`MAX_DEPTH`),
whatever its format. YAML comes from libyaml's event stream (no node tree is kept); a
YAML alias is expanded by replaying its anchor's events, each replayed value counted, which
defuses "billion laughs" files. JSON is parsed once, by the scanner below with the standard
library's string decoder, strictly as JSON: duplicate keys, ``NaN`` and ``Infinity`` are
problems at their own lines. Lines are kept compactly: one array of line numbers per list
or mapping, in the order of its items.

A number too large for a float (more than 308 digits, such as an integer past Python's
4,300-digit conversion limit, or ``1e999``) is a problem at its line: every number the
project reads is used as a float or a small whole number.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import sys
from array import array
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    DocumentEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from ..errors import InputError, Problem

MAX_BYTES = 10_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it (several times faster), else PyYAML's own
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TOO_DEEP = f"values nested more than {MAX_DEPTH} levels deep; expected a flatter document"
_FLOAT_MAX = int(sys.float_info.max)
_SKIP = object()  # the key of a value that is read but not kept (a duplicate key)
_MERGE = object()  # the key of a YAML merge (<<: *defaults)
_BAD_KEY = object()  # a list or mapping used as a key: read, refused, and its value skipped


class Document:
    """A parsed file: its data and the line of every value in it (the data is not to be changed)."""

    def __init__(self, path: str, data: Any, lines: dict[int, array[int]] | None = None,
                 root_line: int = 1, raw: bytes = b"") -> None:
        self.path = path
        self.data = data
        self.raw = raw  # the file as read
        self._lines = lines or {}  # id of a list or mapping in data -> the lines of its items
        self._root_line = root_line
        self._keys: dict[int, dict[Any, int]] = {}  # id of a mapping -> position of each key

    def line(self, loc: PathKey) -> int:
        """The line of ``loc``, or of its nearest parent that has one."""
        node, found = self.data, self._root_line
        for part in loc:
            lines = self._lines.get(id(node))
            if lines is None:
                break
            if isinstance(node, dict):
                keys = self._keys.get(id(node))
                if keys is None:
                    keys = self._keys[id(node)] = {key: i for i, key in enumerate(node)}
                index = keys.get(part)
                if index is None:
                    break
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                index, node = part, node[part]
            else:
                break
            found = lines[index]
        return found

    def problem(self, loc: PathKey, message: str) -> Problem:
        return Problem(self.path, self.line(loc), message)


class _Frame:
    """A list or mapping being built: its items so far, their lines, the key awaiting a value."""

    __slots__ = ("container", "key", "key_line", "line", "lines", "merges")

    def __init__(self, container: dict[str, Any] | list[Any], line: int) -> None:
        self.container = container
        self.lines: array[int] = array("I")
        self.line = line
        self.key: Any = None
        self.key_line = line
        self.merges: list[Any] = []


class _Tree:
    """Values built depth first with an explicit stack, counted, with their lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.lines: dict[int, array[int]] = {}
        self.count = 0
        self.expanded = False  # YAML aliases were replayed
        self.root: Any = None
        self.root_line = 1
        self.done = False

    def fail(self, line: int, message: str) -> InputError:
        return InputError([Problem(self.path, line, message)])

    def value(self, line: int) -> None:
        """Before each value: refuse the document once it is too large or too deep."""
        self.count += 1
        if self.count > MAX_NODES:
            if self.expanded:
                raise self.fail(line, f"the document expands to more than {MAX_NODES:,} values (YAML "
                                      "aliases repeated too often); expected a smaller file")
            raise self.fail(line, f"the file holds more than {MAX_NODES:,} values; expected at most "
                                  f"{MAX_NODES:,} (split it into several files)")
        if len(self.stack) > MAX_DEPTH:
            raise self.fail(line, _TOO_DEEP)

    def expects_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None

    def key(self, name: str, line: int) -> None:
        frame = self.stack[-1]
        if name in frame.container:
            self.problems.append(Problem(self.path, line, f"duplicate key '{name}'; expected each key once"))
            frame.key = _SKIP
        else:
            frame.key = name
        frame.key_line = line

    def skip_key(self, bad_key: bool = False) -> None:
        """The next value belongs to a key that was refused: read it, keep nothing.

        ``bad_key``: the key itself is a list or mapping, read (and dropped) before its value.
        """
        self.stack[-1].key = _BAD_KEY if bad_key else _SKIP

    def open(self, container: dict[str, Any] | list[Any], line: int) -> None:
        self.stack.append(_Frame(container, line))

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.merges:
            self._merge(frame)
        self.lines[id(frame.container)] = frame.lines
        self.add(frame.container, frame.line)

    def add(self, value: Any, line: int) -> None:
        if not self.stack:
            self.root, self.root_line, self.done = value, line, True
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            frame.lines.append(line)
            return
        key, frame.key = frame.key, None
        if key is _BAD_KEY:
            frame.key = _SKIP
        elif key is _MERGE:
            frame.merges.append((value, frame.key_line))
        elif key is not _SKIP:
            frame.container[key] = value
            frame.lines.append(frame.key_line)

    def _merge(self, frame: _Frame) -> None:
        """YAML's merge keys: the merged mappings' keys first, those written here winning."""
        own = frame.container
        assert isinstance(own, dict)
        merged: dict[str, Any] = {}
        lines: array[int] = array("I")
        sources: list[tuple[dict[str, Any], int]] = []
        for value, line in frame.merges:
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(item, dict) for item in items):
                self.problems.append(Problem(self.path, line, "'<<' merges mappings; expected a mapping "
                                                              "or a list of them, such as <<: *defaults"))
                continue
            sources.extend((item, line) for item in items)
        for source, line in sources:
            source_lines = self.lines.get(id(source))
            for i, (key, value) in enumerate(source.items()):
                if key not in own and key not in merged:
                    merged[key] = value
                    lines.append(source_lines[i] if source_lines is not None else line)
        merged.update(own)
        lines.extend(frame.lines)
        frame.container, frame.lines = merged, lines


# -- numbers ------------------------------------------------------------------------------

def _too_large(value: Any, text: str, infinity_allowed: bool) -> bool:
    """Whether ``value`` (read from ``text``) is a number outside the range of a float."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > _FLOAT_MAX
    if isinstance(value, float) and math.isinf(value):
        return not (infinity_allowed and text.strip().lstrip("+-.").lower().startswith("inf"))
    return False


def _too_large_message(text: str) -> str:
    shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text):,} characters)"
    return (f"number {shown} is too large; expected a number below 1.8e308 "
            "(at most 308 digits)")


# -- YAML ---------------------------------------------------------------------------------

def _events(loader: Any, tree: _Tree) -> Any:
    """The root value's events as small tuples, aliases expanded, anchors recorded."""
    anchors: dict[str, list[tuple[Any, ...]]] = {}
    recording: list[list[Any]] = []  # [anchor, items, open collections]
    replays: list[Any] = []
    while True:
        item: tuple[Any, ...] | None = None
        while replays:
            item = next(replays[-1], None)
            if item is not None:
                break
            replays.pop()
        replayed = item is not None
        if item is None:
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, ScalarEvent):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(ScalarNode, event.value, event.implicit)
                item = ("s", line, event.anchor, tag, event.value, event.style)
            elif isinstance(event, MappingStartEvent):
                item = ("{", line, event.anchor)
            elif isinstance(event, SequenceStartEvent):
                item = ("[", line, event.anchor)
            elif isinstance(event, CollectionEndEvent):
                item = ("end", line, None)
            elif isinstance(event, AliasEvent):
                if event.anchor not in anchors:
                    raise tree.fail(line, f"malformed YAML: found undefined alias '{event.anchor}'; expected "
                                          f"a value marked &{event.anchor} that ends before its alias")
                tree.expanded = True
                replays.append(iter(anchors[event.anchor]))
                continue
            elif isinstance(event, StreamEndEvent):
                raise AssertionError("the YAML stream ended inside a value")
            else:  # the document's start
                continue
        anchor = item[2]
        for rec in recording:
            rec[1].append(item)
        if anchor is not None and not replayed:
            recording.append([anchor, [item], 0])
        kind = item[0]
        for rec in recording:
            rec[2] += 1 if kind in ("{", "[") else -1 if kind == "end" else 0
        for rec in [r for r in recording if r[2] == 0]:
            anchors[rec[0]] = rec[1]
            recording.remove(rec)
        yield item


def _build_yaml(loader: Any, path: str) -> _Tree:
    tree = _Tree(path)
    for item in _events(loader, tree):
        kind, line = item[0], item[1]
        if kind == "end":
            tree.close()
        elif tree.expects_key():
            if kind == "s":
                _yaml_key(loader, tree, item)
            else:
                tree.problems.append(Problem(path, line, "a key must be a plain word; expected a name "
                                                         "before ':'"))
                tree.skip_key(bad_key=True)
                tree.value(line)
                tree.open([] if kind == "[" else {}, line)
        else:
            tree.value(line)
            if kind == "s":
                tree.add(_yaml_scalar(loader, tree, item), line)
            else:
                tree.open([] if kind == "[" else {}, line)
        if tree.done:
            return tree
    raise AssertionError("the YAML events ended inside a value")


def _construct(loader: Any, tree: _Tree, item: tuple[Any, ...]) -> tuple[bool, Any]:
    """(True, value) for a scalar, or (False, None) with its problem noted."""
    _, line, _, tag, text, style = item
    node = ScalarNode(tag, text, None, None, style)
    try:
        value = loader.construct_object(node)
    except yaml.MarkedYAMLError as exc:
        tree.problems.append(Problem(tree.path, line, f"malformed YAML: {exc.problem or exc.context}; "
                                                      "expected valid YAML syntax"))
        return False, None
    except (ValueError, OverflowError) as exc:
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and "limit" in str(exc):
            tree.problems.append(Problem(tree.path, line, _too_large_message(text)))
        else:
            what = tag.rsplit(":", 1)[-1]
            tree.problems.append(Problem(tree.path, line, f"{text[:40]!r} is not a valid {what} ({exc}); "
                                                          f"expected a valid {what} or a text in quotes"))
        return False, None
    finally:
        loader.constructed_objects.pop(node, None)
    if _too_large(value, text, infinity_allowed=True):
        tree.problems.append(Problem(tree.path, line, _too_large_message(text)))
        return False, None
    return True, value


def _yaml_scalar(loader: Any, tree: _Tree, item: tuple[Any, ...]) -> Any:
    _, value = _construct(loader, tree, item)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _yaml_key(loader: Any, tree: _Tree, item: tuple[Any, ...]) -> None:
    _, line, _, tag, text, _ = item
    if tag == _MERGE_TAG:
        tree.stack[-1].key, tree.stack[-1].key_line = _MERGE, line
        return
    ok, key = _construct(loader, tree, item)
    if not ok:
        tree.skip_key()
    elif isinstance(key, bool):
        tree.problems.append(Problem(tree.path, line, f"key '{text}' is read by YAML as a boolean; "
                                                      f"write it in quotes: \"{text}\""))
        tree.skip_key()
    else:
        tree.key("" if key is None else str(key), line)


def parse_yaml(text: str | bytes, path: str) -> Document:
    """Parse one YAML document from ``text``; ``path`` names it in messages."""
    loader = _Loader(text)
    try:
        loader.get_event()  # the stream's start
        if loader.check_event(StreamEndEvent):
            raise InputError([Problem(path, 1, "the file is empty; expected a YAML mapping")])
        tree = _build_yaml(loader, path)
        if not tree.problems:
            event = loader.get_event()
            assert isinstance(event, DocumentEndEvent), event
            if not loader.check_event(StreamEndEvent):
                line = loader.peek_event().start_mark.line + 1
                raise InputError([Problem(path, line, "a second YAML document ('---'); expected one "
                                                      "document per file")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "malformed YAML"
        if "nesting depth" in what:  # libyaml's own limit, met while it reads ahead of the values
            raise InputError([Problem(path, line, _TOO_DEEP)]) from None
        raise InputError([Problem(path, line, f"malformed YAML: {what}; expected valid YAML syntax")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(path, 1, f"malformed YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if tree.problems:
        raise InputError(tree.problems)
    return Document(path, tree.root, tree.lines, tree.root_line)


# -- JSON ---------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = {"null": None, "true": True, "false": False}
_NOT_NUMBERS = ("NaN", "Infinity", "-Infinity")


class _Lines:
    """Line numbers of increasing positions in a text, counted once."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos > self.pos:
            self.line += self.text.count("\n", self.pos, pos)
            self.pos = pos
        return self.line


def _build_json(text: str, path: str) -> _Tree:
    tree = _Tree(path)
    lines = _Lines(text)
    scan = json.decoder.scanstring  # type: ignore[attr-defined]  # the standard library's own

    def fail(message: str, pos: int) -> InputError:
        line = text.count("\n", 0, pos) + 1
        return tree.fail(line, f"malformed JSON: {message}; expected valid JSON")

    def string(pos: int) -> tuple[str, int]:
        try:
            return scan(text, pos + 1, True)  # type: ignore[no-any-return]
        except json.JSONDecodeError as exc:
            raise fail(exc.msg, exc.pos) from None

    def key(pos: int) -> int:
        if text.startswith('"', pos):
            line = lines.at(pos)
            name, pos = string(pos)
            tree.key(name, line)
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith(":", pos):
                return _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            raise fail("Expecting ':' delimiter", pos)
        raise fail("Expecting property name enclosed in double quotes", pos)

    pos = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    while True:
        line = lines.at(pos)
        tree.value(line)
        char = text[pos:pos + 1]
        if char in ("{", "["):
            tree.open({} if char == "{" else [], line)
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text.startswith("}" if char == "{" else "]", pos):
                pos += 1
                tree.close()
            elif char == "{":
                pos = key(pos)
                continue
            else:
                continue
        elif char == '"':
            text_value, pos = string(pos)
            tree.add(text_value, line)
        elif (number := _NUMBER.match(text, pos)) is not None:
            written = number.group()
            pos = number.end()
            value: float | None
            if number.group(1) or number.group(2):
                value = float(written)
            elif len(written) <= 320:  # larger is refused below without converting it
                value = int(written)
            else:
                value = math.inf
            if _too_large(value, written, infinity_allowed=False):
                tree.problems.append(Problem(path, line, _too_large_message(written)))
                value = None
            tree.add(value, line)
        else:
            word = next((w for w in (*_CONSTANTS, *_NOT_NUMBERS) if text.startswith(w, pos)), None)
            if word is None:
                raise fail("Expecting value", pos)
            if word in _NOT_NUMBERS:
                tree.problems.append(Problem(path, line, f"{word} is not a number JSON allows; "
                                                         "expected a finite number"))
            tree.add(_CONSTANTS.get(word), line)
            pos += len(word)
        # after a value: close what it ends, then find the next value
        while True:
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if tree.done:
                if pos != len(text):
                    raise fail("Extra data", pos)
                return tree
            is_dict = isinstance(tree.stack[-1].container, dict)
            char = text[pos:pos + 1]
            if char == ",":
                pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                if is_dict:
                    pos = key(pos)
                break
            if char == ("}" if is_dict else "]"):
                pos += 1
                tree.close()
                continue
            raise fail("Expecting ',' delimiter", pos)


def parse_json(text: str, path: str) -> Document:
    """Parse JSON strictly, once, with the line of every value."""
    tree = _build_json(text, path)
    if tree.problems:
        raise InputError(tree.problems)
    return Document(path, tree.root, tree.lines, tree.root_line)


# -- files --------------------------------------------------------------------------------

_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)


def _read_text(path: Path) -> tuple[bytes, str]:
    name = str(path)
    too_large = (f"the file is larger than {MAX_BYTES / 1e6:g} MB; expected a smaller file "
                 "(split it into several files)")
    try:
        with path.open("rb") as stream:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise InputError([Problem(name, 1, f"the file is {size / 1e6:,.1f} MB, larger than "
                                                   f"{MAX_BYTES / 1e6:g} MB; expected a smaller file "
                                                   "(split it into several files)")])
            raw = stream.read(size + 1)  # read(n) sets n bytes aside: never more than the file
            if len(raw) > size:  # a file that grows, or whose size is not known (a pipe)
                parts, total = [raw], len(raw)
                while total <= MAX_BYTES and (chunk := stream.read(1 << 16)):
                    parts.append(chunk)
                    total += len(chunk)
                raw = b"".join(parts)
    except FileNotFoundError:
        raise InputError([Problem(name, 1, "file not found; expected an existing file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, 1, "this is a folder; expected a file")]) from None
    except OSError as exc:
        raise InputError([Problem(name, 1, f"cannot read the file ({exc.strerror})")]) from None
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(name, 1, too_large)])
    return raw, _decode(raw, name)


def _decode(raw: bytes, name: str) -> str:
    """The UTF-8 text of ``raw``, which must hold something besides comments and blanks."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, line,
                                  f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                  "expected a UTF-8 encoded file")]) from None
    if _CONTENT.search(text) is None:
        raise InputError([Problem(name, 1, "the file is empty; expected a YAML or JSON mapping")])
    return text


def parse_document(raw: bytes, name: str, *, is_json: bool) -> Document:
    """Parse bytes that come from no file (a request's body) exactly as :func:`load_document`
    parses a file's; ``name`` stands for the file's path in every problem."""
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(name, 1, f"the document is larger than {MAX_BYTES / 1e6:g} MB; "
                                           "expected a smaller one")])
    text = _decode(raw, name)
    doc = parse_json(text, name) if is_json else parse_yaml(raw, name)
    doc.raw = raw
    return doc


def load_document(path: Path) -> Document:
    """Read a YAML or JSON file (by its suffix) into a :class:`Document`."""
    raw, text = _read_text(path)
    if path.suffix.lower() == ".json":
        doc = parse_json(text, str(path))
    else:
        del text  # libyaml reads the bytes
        doc = parse_yaml(raw, str(path))
    doc.raw = raw
    return doc
