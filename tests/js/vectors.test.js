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
  assert.deepEqual([...used].sort(), ["default", "edge", "example2", "mini", "v2"]);
});

/* The names of every object's members, depth first: JSON.stringify prints them in this order. */
function memberOrder(value, where = "", out = []) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => memberOrder(v, `${where}[${i}]`, out));
  } else if (value !== null && typeof value === "object") {
    out.push(`${where}: ${Object.keys(value).join(",")}`);
    for (const [k, v] of Object.entries(value)) { memberOrder(v, `${where}.${k}`, out); }
  }
  return out;
}

function run(table, bankOf, name) {
  const dir = path.join(VECTORS, "cases", name);
  const spec = readJson(path.join(dir, "case.json"));
  const files = spec.responses.map((file) => ({
    source: path.posix.join("tests", "vectors", "cases", name, file),
    data: readJson(path.join(dir, file)),
  }));
  const loaded = engine.loadTeam(table, bankOf(spec.bank), files);
  assert.deepEqual(loaded.problems, [], name);
  const options = spec.min_group === undefined ? undefined : { min_group: spec.min_group };
  return JSON.parse(JSON.stringify(engine.score(table, bankOf(spec.bank), loaded.team, options)));
}

for (const name of cases) {
  test(`vector ${name}`, () => {
    const expected = readJson(path.join(VECTORS, "cases", name, "expected.json"));
    const result = run(kinds, bank, name);
    assert.deepStrictEqual(result, expected.result);
    assert.deepEqual(memberOrder(result), memberOrder(expected.result), "members in the order Python prints them");
  });
}

test("the version 2 vectors reach every new corner", () => {
  const results = cases.map((name) => readJson(path.join(VECTORS, "cases", name, "expected.json")).result);
  const nodes = results.flatMap((r) => [r.overall, ...Object.values(r.areas), ...Object.values(r.sections)]);
  assert.ok(nodes.some((n) => n.provisional && n.score !== null && n.level === null), "provisional with a score");
  assert.ok(nodes.some((n) => n.provisional && n.score === null), "provisional without a score");
  assert.ok(nodes.some((n) => !n.provisional && n.coverage === 0.6), "coverage exactly at min_coverage");
  assert.ok(nodes.some((n) => n.coverage === null && !n.provisional), "null coverage");
  assert.ok(results.some((r) => Object.values(r.sections).some((s) => s.provisional && s.flagged)),
    "a flagged divergence on a provisional section");
  assert.ok(results.some((r) => r.overall.provisional && r.diagnoses.length === 0), "no diagnosis on thin evidence");
  assert.ok(results.some((r) => Object.values(r.questions).some((q) => q.dont_know > 0 && q.score === null)));
  assert.ok(results.some((r) => r.min_group === 2 && Object.keys(r.departments).includes("other")), "pooled");
  assert.ok(results.some((r) => r.min_group > 1 && !Object.keys(r.departments).includes("other") &&
    Object.values(r.departments).reduce((n, d) => n + d.respondents, 0) < r.respondents), "other too small");
  assert.ok(results.some((r) => r.respondents > 0 && Object.keys(r.departments).length === 0), "nobody left");
  assert.ok(results.some((r) => {
    const focus = r.recommendations.map((x) => x.focus.length > 0);
    const gains = r.recommendations.map((x) => x.gain);
    return focus.includes(true) && focus.includes(false) && gains.some((g, i) => i > 0 && g > gains[i - 1]);
  }), "focus puts a smaller gain first");
});

test("min_group: the bank's unless the caller gives one, and pooling in input order", () => {
  const v2 = bank("v2");
  const files = ["ana.json", "luis.json", "marta.json"].map((f) => ({
    source: f, data: readJson(path.join(VECTORS, "cases", "v2-small-other", f)) }));
  const team = engine.loadTeam(kinds, v2, files).team;
  assert.equal(engine.score(kinds, v2, team).min_group, 2);
  assert.deepEqual(Object.keys(engine.score(kinds, v2, team).departments), ["sales"]);
  assert.deepEqual(Object.keys(engine.score(kinds, v2, team, { min_group: 1 }).departments), ["sales", "ops"]);
  assert.deepEqual(Object.keys(engine.score(kinds, v2, team, { min_group: 3 }).departments), ["other"]);
  assert.deepEqual(Object.keys(engine.score(kinds, v2, team, { min_group: 4 }).departments), []);
  const people = [{ department: "ops", n: 1 }, { department: null, n: 2 }, { department: "zed", n: 3 },
    { department: "sales", n: 4 }, { department: "zed", n: 5 }, { department: "admin", n: 6 }];
  const groups = engine.departmentsOf(v2, people, 2);
  assert.deepEqual(groups.map(([k, rs]) => [k, rs.map((r) => r.n)]), [["zed", [3, 5]], ["other", [1, 2, 4, 6]]]);
  const single = engine.departmentsOf(v2, people, 1);
  assert.deepEqual(single.map(([k]) => k), ["sales", "ops", "admin", "zed", "unspecified"]);
});

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
  const v2 = bank("v2");
  const v = (id) => v2.areas.flatMap((a) => a.sections).flatMap((s) => s.questions).find((x) => x.id === id);
  assert.equal(engine.normalise(kinds, v("f-window"), "dont_know")[0], engine.DONT_KNOW);
  assert.equal(engine.normalise(kinds, v("f-staff"), "dont_know")[1],
    "dont_know is not allowed for question 'f-staff'; expected an answer");
  assert.equal(engine.normalise(kinds, v("w-notes"), "dont_know")[1],
    "dont_know is not an answer to the text question 'w-notes'; expected a text");
  assert.deepEqual(engine.normalise(kinds, v("w-checked"), "dont_know"), ["dont_know", null]);
  assert.equal(engine.rawAnswer(engine.DONT_KNOW), "dont_know");
  assert.equal(JSON.stringify({ a: engine.DONT_KNOW }), "{\"a\":\"dont_know\"}");
  assert.ok(engine.offersDontKnow(kinds, v("f-window")) && engine.offersDontKnow(kinds, v("f-hours")));
  for (const id of ["f-staff", "f-tags", "b-terms", "w-checked", "w-notes"]) {
    assert.ok(!engine.offersDontKnow(kinds, v(id)), id);
  }
  const pooled = engine.loadTeam(kinds, v2, [{ source: "z.json", data: { respondent: { department: "other" } } }]);
  assert.deepEqual(pooled.problems, ["z.json: department 'other' is kept for small departments pooled together; " +
    "expected your own department, or none"]);
  const foreign = engine.loadTeam(kinds, mini, [{ source: "y.json", data: { bank: "other", answers: { q9: 1 } } }]);
  assert.deepEqual(foreign.problems, ["y.json: these answers are for bank 'other'; expected 'mini'",
    "y.json: unknown question 'q9'; expected one of: q1, q2, q3, q4, q5, q6, q7"]);
});
