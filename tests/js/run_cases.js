// Score many answer sets with the site's engine, for the parity test in pytest
// (tests/vectors/test_js_parity.py):  node run_cases.js MANIFEST.json OUT.json
// MANIFEST: {"kinds": {type: {answer, scored, na}},
//            "cases": [{"bank": "bank.json", "files": ["a.json", ...], "min_group": 2 (optional)}, ...]}
// OUT: one entry per case, {"result": docs/score-json.md} or {"problems": [...]}.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const engine = require(path.join(__dirname, "..", "..", "templates", "site", "assets", "loyalty-audit.js"));
const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const banks = new Map();

const out = manifest.cases.map((c) => {
  if (!banks.has(c.bank)) { banks.set(c.bank, JSON.parse(fs.readFileSync(c.bank, "utf8"))); }
  const bank = banks.get(c.bank);
  const files = c.files.map((f) => ({ source: f, data: JSON.parse(fs.readFileSync(f, "utf8")) }));
  const loaded = engine.loadTeam(manifest.kinds, bank, files);
  if (loaded.problems.length) { return { problems: loaded.problems }; }
  const options = c.min_group === undefined ? undefined : { min_group: c.min_group };
  return { result: engine.score(manifest.kinds, bank, loaded.team, options) };
});
fs.writeFileSync(process.argv[3], JSON.stringify(out));
