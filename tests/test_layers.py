"""The package's layers hold, and a question type is added in one place.

- The import contracts of pyproject.toml (``lint-imports``) are kept, and they do catch a
  forbidden import.
- No module or template outside audit/model/kinds.py switches on a question type's name:
  they ask the type's kind (its answer shape) instead, so a new kind added to ``KINDS`` is
  loaded, checked, scored and printed with no other change.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import pytest
from jinja2 import nodes

from audit.engine.score import score
from audit.errors import InputError
from audit.model import Question, kind_of
from audit.model.kinds import KINDS, Kind
from audit.read.answers import load_responses
from audit.read.messages import load_messages
from audit.write.blank import blank_response
from audit.write.messages import Words
from audit.write.report.html import default_templates_dir
from audit.write.report.view import report_context
from audit.write.schema import schemas

from .conftest import ROOT, make_bank, respondent, write_yaml

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


# -- import contracts -------------------------------------------------------------------

def lint_imports(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **env})


def test_import_contracts_are_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_import_contracts_catch_a_forbidden_import(tmp_path: Path) -> None:
    # a copy of the package whose engine reads files: the same contracts fail on it
    shutil.copytree(ROOT / "audit", tmp_path / "audit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    score_py = tmp_path / "audit" / "engine" / "score.py"
    score_py.write_text(score_py.read_text(encoding="utf-8") + "\nfrom ..read.bank import load_bank  # noqa\n",
                        encoding="utf-8")
    probe = subprocess.run([sys.executable, "-c", "import audit; print(audit.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert probe.stdout.strip() == str(tmp_path / "audit" / "__init__.py")  # the copy is the one analysed
    done = lint_imports(tmp_path, PYTHONPATH=str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"Contracts: \d+ kept, [1-9]\d* broken", done.stdout), done.stdout
    assert "audit.engine is not allowed to import audit.read:\n\n- audit.engine.score -> audit.read.bank" \
        in done.stdout
    # through the reader, the engine would also reach yaml: it is no longer pure
    assert "Models and the engine are pure: no files, no rendering, no terminal BROKEN" in done.stdout


# -- question types are named in kinds.py only ------------------------------------------

TYPE_NAMES = frozenset(KINDS)
KINDS_MODULE = ROOT / "audit" / "model" / "kinds.py"


def _python_files() -> list[Path]:
    return sorted(p for p in (ROOT / "audit").rglob("*.py") if "__pycache__" not in p.parts)


def _template_files() -> list[Path]:
    return sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".md", ".j2"))


def _names_in(value: Any) -> list[str]:
    """The type names a literal holds: a string, or a tuple, list or set of them."""
    if isinstance(value, str):
        return [value] if value in TYPE_NAMES else []
    if isinstance(value, (tuple, list, set, frozenset)):
        return [n for item in value for n in _names_in(item)]
    return []


def _py_literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [_py_literal(e) for e in node.elts]
    return None


def _py_is_type(node: ast.AST) -> bool:
    """Whether an expression reads a question's type: ``q.type``, ``q["type"]``, a ``kind``'s
    ``name``, or a variable called so."""
    if isinstance(node, ast.Attribute):
        if node.attr == "type":
            return True
        return node.attr == "name" and any(
            re.search("kind|type", n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute)
                      else "", re.I) for n in ast.walk(node.value))
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "type"
    if isinstance(node, ast.Name):
        return re.fullmatch(r"(\w*_)?(q?type|kind)(_name)?", node.id) is not None
    return False


def python_switches(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each place that decides by a question type's name."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for i, operand in enumerate(operands):
                named = _names_in(_py_literal(operand))
                if named and any(_py_is_type(o) for j, o in enumerate(operands) if j != i):
                    yield node.lineno, f"compares a type with {', '.join(named)}"
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = _names_in(_py_literal(node.value)) if node.value is not None else []
            if named and any(_py_is_type(t) for t in targets):
                yield node.lineno, f"sets a type to {', '.join(named)}"
        elif isinstance(node, ast.keyword) and node.arg == "type" and _names_in(_py_literal(node.value)):
            yield node.value.lineno, f"passes type={_py_literal(node.value)!r}"
        elif isinstance(node, ast.Dict):
            named = [n for k in node.keys if k is not None for n in _names_in(_py_literal(k))]
            if len(named) >= 2:
                yield node.lineno, f"a table by type: {', '.join(named)}"
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            named = _names_in(_py_literal(node))
            if len(named) >= 2:
                yield node.lineno, f"a list of types: {', '.join(named)}"
        elif isinstance(node, ast.MatchValue) and _names_in(_py_literal(node.value)):
            yield node.lineno, f"a case for {_py_literal(node.value)!r}"


def _jinja_literal(node: nodes.Node) -> Any:
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, (nodes.Tuple, nodes.List)):
        return [_jinja_literal(e) for e in node.items]
    return None


def _jinja_is_type(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Getattr):
        return node.attr == "type" or (node.attr == "name" and "kind" in repr(node.node).lower())
    if isinstance(node, nodes.Getitem):
        return isinstance(node.arg, nodes.Const) and node.arg.value == "type"
    if isinstance(node, nodes.Name):
        return re.fullmatch(r"(\w*_)?(q?type|kind)(_name)?", node.name) is not None
    return False


def template_switches(source: str) -> Iterator[tuple[int, str]]:
    """The same as :func:`python_switches`, in the Jinja code of a template (not its HTML:
    ``<input type="text">`` is no question type)."""
    tree = jinja2.Environment().parse(source)
    for node in tree.find_all((nodes.Compare, nodes.Assign, nodes.Dict, nodes.Tuple, nodes.List)):
        if isinstance(node, nodes.Compare):
            operands = [node.expr, *(op.expr for op in node.ops)]
            for i, operand in enumerate(operands):
                named = _names_in(_jinja_literal(operand))
                if named and any(_jinja_is_type(o) for j, o in enumerate(operands) if j != i):
                    yield node.lineno, f"compares a type with {', '.join(named)}"
        elif isinstance(node, nodes.Assign):
            named = _names_in(_jinja_literal(node.node))
            if named and "type" in repr(node.target).lower():
                yield node.lineno, f"sets a type to {', '.join(named)}"
        elif isinstance(node, nodes.Dict):
            named = [n for pair in node.items for n in _names_in(_jinja_literal(pair.key))]
            if len(named) >= 2:
                yield node.lineno, f"a table by type: {', '.join(named)}"
        else:
            named = _names_in(_jinja_literal(node))
            if len(named) >= 2:
                yield node.lineno, f"a list of types: {', '.join(named)}"


def test_the_checks_see_a_switch_on_a_type_name() -> None:
    # what the code looked like before the kinds: each of these is found
    python = '''
QUESTION_TYPES = ("scale", "choice", "multi", "number", "text")
def f(q, kind):
    if q.type in ("scale", "choice"):
        pass
    if q.type == "multi" or "number" == q["type"] or kind.name != "text":
        pass
    q.type = "scale"
    allowed = {"scale": {"scale"}, "choice": {"options"}}[q.type]
    match q.type:
        case "number":
            pass
    return Question(id="x", type="text")
'''
    assert sorted(line for line, _ in python_switches(python)) == [2, 4, 4, 6, 6, 6, 8, 9, 11, 13]
    template = ('{% if q.type in ("scale", "choice") %}a{% elif q.type == "multi" %}b{% endif %}\n'
                '{% if q["type"] != "text" %}c{% endif %}{% set kinds = ["number", "text"] %}\n')
    assert sorted(line for line, _ in template_switches(template)) == [1, 1, 1, 2, 2]
    # and these are not question types: a colour, a question key, HTML, a word printed
    assert not list(python_switches('colours = {"text": "#000"}\nif "scale" in kind.keys:\n    x = colours["text"]\n'
                                    'loc = ("scale",)\ndef hint():\n    return "text"\n'))
    assert not list(template_switches('<input type="text" name="{{ q.id }}"><input type="number">'
                                      '{% if fq.answer == "single" %}x{% endif %}{{ t("na") }}'))


def test_question_types_are_named_in_kinds_only() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {what}" for path in _python_files() if path != KINDS_MODULE
             for line, what in python_switches(path.read_text(encoding="utf-8"))]
    found += [f"{path.relative_to(ROOT)}:{line}: {what}" for path in _template_files()
              for line, what in template_switches(path.read_text(encoding="utf-8"))]
    assert found == []
    assert len(_python_files()) > 40 and len(_template_files()) > 15  # (the files are where they are looked for)
    kinds = KINDS_MODULE.read_text(encoding="utf-8")
    assert all(f'name = "{n}"' in kinds for n in TYPE_NAMES)  # where each type is named


def test_every_type_is_in_the_json_schema() -> None:
    schema = json.loads(schemas()["area.schema.json"])  # (questions are written in area files)
    question = schema["$defs"]["Question"]["properties"]["type"]
    assert [option["enum"] for option in question["anyOf"] if "enum" in option] == [list(KINDS)]


# -- a new kind, added to KINDS alone ---------------------------------------------------

class Rating(Kind):
    """Stars: one of the question's own options, scored by its place among them (the first
    scores 0, the last 1), whatever score the option carries."""

    name: ClassVar[str] = "rating"
    answer: ClassVar[str] = "single"
    keys: ClassVar[tuple[str, ...]] = ("options",)
    needs: ClassVar[str | None] = "options"

    def normalise(self, q: Question, value: Any) -> tuple[Any, str | None]:
        keys = [o.key for o in q.options or []]
        key = str(value)
        if key not in keys:
            return None, f"{key} stars is not a rating of '{q.id}'; expected one of: {', '.join(keys)}"
        return key, None

    def score(self, q: Question, value: Any) -> float | None:
        keys = [o.key for o in q.options or []]
        return keys.index(value) / (len(keys) - 1)

    def chooses(self, value: Any, key: str) -> bool:
        return bool(value == key)


STARS = [{"key": str(n), "label": "★" * n, "score": 0} for n in range(1, 6)]


@pytest.fixture
def rating(monkeypatch: pytest.MonkeyPatch) -> Rating:
    kind = Rating()
    monkeypatch.setitem(KINDS, kind.name, kind)
    return kind


def test_a_new_kind_is_loaded_scored_and_printed(rating: Rating, tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", [{"id": "stars", "type": "rating", "options": STARS, "na": True},
                                         {"id": "yes", "scale": "two"}])
    q = next(q for *_, q in bank.questions() if q.id == "stars")
    assert kind_of(q) is rating and q.scored
    team = write_yaml(tmp_path / "team.yaml", {"bank": "test", "organisation": "Acme", "respondents": [
        respondent({"stars": 4, "yes": 1}, department="d1"), respondent({"stars": "2", "yes": 0}, department="d2"),
        respondent({"stars": "na"}, department="d2")]})
    result = score(bank, load_responses([team], bank))
    # stars: 4 is the fourth of five (.75), 2 the second (.25); N/A counts for nothing
    assert result.questions["stars"].score == pytest.approx(50.0)
    assert result.questions["stars"].answered == 2
    assert result.sections["sec"].score == pytest.approx((50.0 + 50.0) / 2)
    assert result.departments["d1"].sections["sec"] == pytest.approx((75.0 + 100.0) / 2)

    blank = blank_response(bank, "en")
    assert "  # 1 = ★ | 2 = ★★ | 3 = ★★★ | 4 = ★★★★ | 5 = ★★★★★ | na | dont_know\n  stars:\n" in blank

    view = report_context(result, Words("en", load_messages([default_templates_dir()])))
    stars = next(qv for a in view.areas for s in a.sections for qv in s.questions if qv.id == "stars")
    assert [(c.label, c.count) for c in stars.distribution] == [("★", 0), ("★★", 1), ("★★★", 0), ("★★★★", 1),
                                                                ("★★★★★", 0)]

    bad = write_yaml(tmp_path / "bad.yaml", {"bank": "test", "answers": {"stars": 6}})
    with pytest.raises(InputError) as exc:
        load_responses([bad], bank)
    assert [str(p) for p in exc.value.problems] == [f"{bad}:3: 6 stars is not a rating of 'stars'; "
                                                    "expected one of: 1, 2, 3, 4, 5"]


def test_a_new_kind_keeps_its_keys(rating: Rating, tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        make_bank(tmp_path / "bank", [{"id": "stars", "type": "rating", "scale": "two", "options": STARS},
                                      {"id": "none", "type": "rating"}])
    assert [p.message for p in exc.value.problems] == [
        "key 'scale' does not belong to a rating question; expected only: options",
        "question 'none' of type rating needs 'options'"]


def test_an_unknown_type_names_every_kind(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        make_bank(tmp_path / "bank", [{"id": "stars", "type": "rating", "options": STARS}])
    assert "expected one of 'scale', 'choice', 'multi', 'number', 'text'" in str(exc.value)
