// The site's scoring engine against the shared test vectors (tests/vectors/), which the
// Python engine produced: every number must be equal, to the last bit. The kinds table is
// Python's (tests/vectors/kinds.json), as the page carries it.
//   node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const engine = require(path.join(ROOT, "templates", "site", "assets", "loyalty-audit.js"));
const VECTORS = path.join(ROOT, "tests", "vectors");

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const kinds = readJson(path.join(VECTORS, "kinds.json"));
const banks = {};
function bank(name) {
  if (!banks[name]) { banks[name] = readJson(path.join(VECTORS, "banks", name + ".json")); }
  return banks[name];
}

const cases = fs.readdirSync(path.join(VECTORS, "cases")).sort();

test("there are vectors for every bank", () => {
  const used = new Set(cases.map((c) => readJson(path.join(VECTORS, "cases", c, "case.json")).bank));
  assert.deepEqual([...used].sort(), ["default", "edge", "mini"]);
});

for (const name of cases) {
  test(`vector ${name}`, () => {
    const dir = path.join(VECTORS, "cases", name);
    const spec = readJson(path.join(dir, "case.json"));
    const expected = readJson(path.join(dir, "expected.json"));
    const files = spec.responses.map((file) => ({
      source: path.posix.join("tests", "vectors", "cases", name, file),
      data: readJson(path.join(dir, file)),
    }));
    const loaded = engine.loadTeam(kinds, bank(spec.bank), files);
    assert.deepEqual(loaded.problems, []);
    const result = JSON.parse(JSON.stringify(engine.score(kinds, bank(spec.bank), loaded.team)));
    assert.deepStrictEqual(result, expected.result);
  });
}

test("rounding for display follows Python's format(): ties go to the even digit", () => {
  const cases = [[12.25, "12.2"], [12.75, "12.8"], [0.25, "0.2"], [0.35, "0.3"], [62.5, "62.5"],
    [2.675, "2.7"], [99.95, "100.0"], [0.05, "0.1"], [null, "—"], [100, "100.0"], [33.349999999999994, "33.3"]];
  for (const [value, shown] of cases) {
    assert.equal(engine.fixed(value, 1), shown, String(value));
  }
  assert.equal(engine.fixed(0.5, 0), "0");
  assert.equal(engine.fixed(1.5, 0), "2");
  assert.equal(engine.fixed(2.5, 0), "2");
  assert.equal(engine.fixed(0.125, 2), "0.12");
});

test("floats add left to right from 0, like audit.model.total", () => {
  const tenths = Array(10).fill(0.1);
  assert.equal(engine.total(tenths), 0.9999999999999999);
  assert.equal(engine.total([1e100, 1.0, -1e100]), 0);
  assert.equal(engine.total([]), 0);
});

test("numbers in messages read as Python writes them", () => {
  const g = [[0, "0"], [30, "30"], [2.5, "2.5"], [0.0001, "0.0001"], [0.00001, "1e-05"], [123456, "123456"],
    [1234567, "1.23457e+06"], [-1e300, "-1e+300"], [1 / 3, "0.333333"], [99999.95, "99999.9"], [Infinity, "inf"]];
  for (const [value, text] of g) { assert.equal(engine.formatG(value), text, String(value)); }
  const str = [[3, "3"], [2.5, "2.5"], [0.001, "0.001"], [1e-5, "1e-05"], [1e16, "1e+16"], [-1.5e-7, "-1.5e-07"],
    [123456789.125, "123456789.125"], [NaN, "nan"], ["it's", "\"it's\""], ["a\tb", "'a\\tb'"], [[], "a list"],
    [{}, "a mapping"], [null, "nothing"], [false, "false"]];
  for (const [value, text] of str) { assert.equal(engine.describe(value), text, String(value)); }
});

test("answers are checked like the command line does", () => {
  const mini = bank("mini");
  const q = (id) => mini.areas.flatMap((a) => a.sections).flatMap((s) => s.questions).find((x) => x.id === id);
  assert.deepEqual(engine.normalise(kinds, q("q1"), 2), ["2", null]);
  assert.equal(engine.normalise(kinds, q("q1"), "na")[1], "N/A is not allowed for question 'q1'; expected an answer");
  assert.equal(engine.normalise(kinds, q("q2"), "na")[0], engine.NA);
  assert.equal(engine.normalise(kinds, q("q2"), "z")[1], "'z' is not an option of question 'q2'; expected one of: x, y or na");
  assert.equal(engine.normalise(kinds, q("q3"), ["m1", "m1"])[1], "option 'm1' is chosen twice in 'q3'; expected each once");
  assert.equal(engine.normalise(kinds, q("q4"), 31)[1],
    "answer to 'q4' is 31, outside its range; expected a number from 0 to 30");
  assert.equal(engine.normalise(kinds, q("q4"), "3")[1], "answer to 'q4' is '3'; expected a finite number");
  const bad = engine.loadTeam(kinds, mini, [{ source: "x.json", data: { bank: "other", answers: { q9: 1 }, wieght: 2 } }]);
  assert.deepEqual(bad.problems, ["x.json: unknown key 'wieght'; expected one of: bank, bank_version, organisation, " +
    "respondent, language, submitted, profile, answers, comments, respondents"]);
  const foreign = engine.loadTeam(kinds, mini, [{ source: "y.json", data: { bank: "other", answers: { q9: 1 } } }]);
  assert.deepEqual(foreign.problems, ["y.json: these answers are for bank 'other'; expected 'mini'",
    "y.json: unknown question 'q9'; expected one of: q1, q2, q3, q4, q5, q6, q7"]);
});
