// The script knows question types only through the kinds table (tests/vectors/kinds.json,
// made from audit.model.kinds.KINDS): its validator refuses exactly the answers Python
// refuses, with the same words, and keeps the others as Python does (refusals.json); and
// with every type renamed it still gives every vector.
//   node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "templates", "site", "assets", "loyalty-audit.js");
const engine = require(SCRIPT);
const VECTORS = path.join(ROOT, "tests", "vectors");
const SPECIAL = { inf: Infinity, "-inf": -Infinity, nan: NaN };  // numbers JSON cannot write

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const kinds = readJson(path.join(VECTORS, "kinds.json"));
const refusals = readJson(path.join(VECTORS, "refusals.json"));
const banks = {};
function bank(name) {
  if (!banks[name]) { banks[name] = readJson(path.join(VECTORS, "banks", name + ".json")); }
  return banks[name];
}

function questions(b) {
  return b.areas.flatMap((a) => a.sections).flatMap((s) => s.questions);
}

function question(b, id) {
  const q = questions(b).find((x) => x.id === id);
  assert.ok(q, id);
  return q;
}

function answerOf(c) {
  return Object.prototype.hasOwnProperty.call(c, "special") ? SPECIAL[c.special] : c.answer;
}

function label(c) {
  return `${c.bank}/${c.question} ${Object.prototype.hasOwnProperty.call(c, "special") ? c.special : JSON.stringify(c.answer)}`;
}

/* What the script makes of every answer of refusals.json, in the file's terms: N/A and
   "I don't know" are marked `sentinel`, which an option keyed na or dont_know is not. */
function verdicts(table, bankOf) {
  return refusals.cases.map((c) => {
    const [normal, problem] = engine.normalise(table, question(bankOf(c.bank), c.question), answerOf(c));
    if (problem !== null) { return { refused: true, problem }; }
    const sentinel = normal === engine.NA || normal === engine.DONT_KNOW;
    return { refused: false, value: engine.rawAnswer(normal), ...(sentinel ? { sentinel: true } : {}) };
  });
}

/* What refusals.json says; `rename` rewrites the type names a problem may quote. */
function expectedVerdicts(rename = (problem) => problem) {
  return refusals.cases.map((c) => (c.refused ? { refused: true, problem: rename(c.problem, c) }
    : { refused: false, value: c.value, ...(c.sentinel ? { sentinel: true } : {}) }));
}

function assertSameVerdicts(got, rename) {
  const want = expectedVerdicts(rename);
  const wrong = [];
  refusals.cases.forEach((c, i) => {
    try {
      assert.deepStrictEqual(got[i], want[i]);
    } catch (e) {
      wrong.push(`${label(c)}: script ${JSON.stringify(got[i])}, Python ${JSON.stringify(want[i])}`);
    }
  });
  assert.deepEqual(wrong, []);
}

test("the refusal vectors reach every shape and every kind of mistake", () => {
  const shapes = new Set(Object.values(kinds).map((k) => k.answer));
  assert.deepEqual([...shapes].sort(), refusals.shapes);
  const shapeOf = (c) => kinds[question(bank(c.bank), c.question).type].answer;
  for (const shape of shapes) {
    assert.ok(refusals.cases.some((c) => shapeOf(c) === shape && !c.refused), `${shape} accepted`);
    if (shape !== "free") { assert.ok(refusals.cases.some((c) => shapeOf(c) === shape && c.refused), `${shape} refused`); }
  }
  const problems = refusals.cases.filter((c) => c.refused).map((c) => c.problem);
  for (const words of ["read by YAML as true/false", "is not an option", "chosen twice", "outside its range",
    "N/A is not allowed", "is inf; expected a finite number", "is a mapping", "is a list", "holds", "is nothing",
    "dont_know is not allowed", "dont_know is not an answer to the text question"]) {
    assert.ok(problems.some((p) => p.includes(words)), words);
  }
  assert.ok(refusals.cases.some((c) => !c.refused && c.value === "na" && c.sentinel), "N/A accepted");
  assert.ok(refusals.cases.some((c) => !c.refused && c.value === "na" && !c.sentinel), "an option keyed na");
  for (const shape of ["single", "multiple", "numeric"]) {
    assert.ok(refusals.cases.some((c) => shapeOf(c) === shape && !c.refused && c.value === "dont_know" && c.sentinel),
      `${shape}: dont_know accepted`);
    assert.ok(refusals.cases.some((c) => shapeOf(c) === shape && c.refused && c.answer === "dont_know"),
      `${shape}: dont_know refused`);
  }
  assert.ok(refusals.cases.some((c) => !c.refused && c.value === "dont_know" && !c.sentinel), "an option keyed dont_know");
});

test("the validator refuses what Python refuses, in the same words, and keeps the rest as Python does", () => {
  assertSameVerdicts(verdicts(kinds, bank));
});

test("a file with a refused answer is refused when read; an accepted one is kept as normalised", () => {
  refusals.cases.forEach((c) => {
    const value = answerOf(c);
    if (value === null || typeof value === "number" && !isFinite(value)) { return; }  // null is no answer; JSON has no inf
    const data = { bank: c.bank, answers: { [c.question]: value } };
    const loaded = engine.loadTeam(kinds, bank(c.bank), [{ source: "f.json", data }]);
    if (c.refused) {
      assert.deepEqual(loaded.problems, [`f.json: ${c.problem}`], label(c));
    } else {
      assert.deepEqual(loaded.problems, [], label(c));
      assert.deepStrictEqual(engine.rawAnswer(loaded.team.respondents[0].answers.get(c.question)), c.value, label(c));
    }
  });
});

test("the kinds table carries what the script needs, as the site sends it", () => {
  for (const [name, kind] of Object.entries(kinds)) {
    assert.deepEqual(Object.keys(kind).sort(), ["answer", "na", "scored"], name);
    assert.ok(Object.prototype.hasOwnProperty.call(engine.SHAPES, kind.answer), `${name}: ${kind.answer}`);
  }
});

/* Every type under a made-up name: the script must not notice. */
function renamed() {
  const names = {}, table = {};
  Object.keys(kinds).forEach((name, i) => {
    names[name] = `kind-${i}`;
    table[`kind-${i}`] = kinds[name];
  });
  const copies = {};
  /* a problem quotes the type of a question that may not answer dont_know */
  const rename = (problem, c) => {
    const type = question(bank(c.bank), c.question).type;
    return problem.replace(`to the ${type} question`, `to the ${names[type]} question`);
  };
  const bankOf = (name) => {
    if (!copies[name]) {
      copies[name] = JSON.parse(JSON.stringify(bank(name)));
      questions(copies[name]).forEach((q) => { q.type = names[q.type]; });
    }
    return copies[name];
  };
  return { table, bankOf, rename };
}

test("with every type renamed, the validator still answers as Python does", () => {
  const { table, bankOf, rename } = renamed();
  assertSameVerdicts(verdicts(table, bankOf), rename);
});

test("with every type renamed, every vector still comes out to the last bit", () => {
  const { table, bankOf } = renamed();
  const cases = fs.readdirSync(path.join(VECTORS, "cases")).sort();
  for (const name of cases) {
    const dir = path.join(VECTORS, "cases", name);
    const spec = readJson(path.join(dir, "case.json"));
    const files = spec.responses.map((file) => ({
      source: path.posix.join("tests", "vectors", "cases", name, file),
      data: readJson(path.join(dir, file)),
    }));
    const loaded = engine.loadTeam(table, bankOf(spec.bank), files);
    assert.deepEqual(loaded.problems, [], name);
    const options = spec.min_group === undefined ? undefined : { min_group: spec.min_group };
    const result = JSON.parse(JSON.stringify(engine.score(table, bankOf(spec.bank), loaded.team, options)));
    assert.deepStrictEqual(result, readJson(path.join(dir, "expected.json")).result, name);
  }
});

test("a type the kinds table does not list is a plain error, not a guess", () => {
  const q = { ...question(bank("mini"), "q1"), type: "slider" };
  assert.throws(() => engine.normalise(kinds, q, "1"),
    { message: "question 'q1' is of type 'slider', which the kinds table does not list" });
  assert.throws(() => engine.normalise({ slider: { answer: "dial", scored: true, na: true } }, q, "1"),
    { message: "question 'q1' is of type 'slider', which the kinds table gives an unknown answer shape" });
});

test("the script names no question type", () => {
  const source = fs.readFileSync(SCRIPT, "utf8");
  for (const name of Object.keys(kinds)) {
    assert.doesNotMatch(source, new RegExp(`\\.type\\s*[!=]==?\\s*["']${name}["']`), name);
    if (!["number", "text"].includes(name)) {  // these two are also JavaScript and SVG words
      assert.doesNotMatch(source, new RegExp(`["']${name}["']`), name);
    }
  }
  const start = source.indexOf("  function kindOf(kinds, q) {"), end = source.indexOf("\n  }\n", start);
  assert.ok(start > 0 && end > start);
  assert.doesNotMatch(source.slice(0, start) + source.slice(end), /\bq\.type\b/,
    "a question's type is read in kindOf() alone");
});
