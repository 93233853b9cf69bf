/*
 * loyalty-audit: the one script of the self-assessment site.
 *
 * Part 1, the engine, reads response files (docs/responses.md) and scores them
 * (docs/scoring.md) with the same operations, in the same order, as audit/read/answers.py,
 * audit/model/kinds.py and audit/engine/score.py, so that the page and `loyalty-audit score`
 * agree to the last bit. It needs no browser: node's test runner loads it with require().
 *
 * The script knows no question type by name. The page carries the kinds table of
 * audit.model.kinds.KINDS (`{type: {answer, scored, na}}`); a question's type only selects
 * the shape of its answer, and SHAPES holds everything that depends on it. Every engine
 * function whose result depends on question types takes that table as its first argument.
 *
 * Part 2, the page: answers saved as they are given (localStorage), progress, live scores,
 * results, export and import, the team page. It is set up inside Material's
 * document$.subscribe() so that it survives instant navigation, and listens on `document`
 * once. Text from the bank, from respondents and from imported files is always inserted as
 * text (textContent), never as HTML.
 *
 * A classic script (not a module) so that it also runs from file://.
 */
(function (root, factory) {
  "use strict";
  var api = factory(root);
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.LoyaltyAudit = api;
    api.start();
  }
}(typeof globalThis !== "undefined" ? globalThis : this, function (root) {
  "use strict";

  /* ================================================================== engine === */

  var NA = Object.freeze({ toString: function () { return "na"; }, toJSON: function () { return "na"; } });
  var DONT_KNOW = Object.freeze({ toString: function () { return "dont_know"; }, toJSON: function () { return "dont_know"; } });
  var UNSPECIFIED = "unspecified";
  var POOLED = "other";  /* the department small departments are pooled into */
  var EFFORT_ORDER = { low: 0, medium: 1, high: 2 };
  var FILE_KEYS = ["bank", "bank_version", "organisation", "respondent", "language", "submitted",
    "profile", "answers", "comments", "respondents"];
  var ENTRY_KEYS = ["respondent", "language", "submitted", "profile", "answers", "comments"];
  var RESPONDENT_KEYS = ["name", "department"];

  function has(obj, key) {
    return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key);
  }

  /* obj[key] = value, also for a key such as "__proto__" (which plain assignment would not
     make an own property); the plain assignment otherwise, which is much faster on large objects. */
  function put(obj, key, value) {
    if (key === "__proto__") {
      Object.defineProperty(obj, key, { value: value, enumerable: true, writable: true, configurable: true });
    } else {
      obj[key] = value;
    }
    return obj;
  }

  function isMapping(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* audit.model.total: floats added left to right from 0, the one order Python uses too. */
  function total(xs) {
    var t = 0;
    for (var i = 0; i < xs.length; i++) { t += xs[i]; }
    return t;
  }

  /* Numbers in ascending order (a copy): per-respondent values are added in this order. */
  function ascending(xs) {
    return xs.slice().sort(function (a, b) { return a - b; });
  }

  /*
   * Python's str() of a number read from JSON. Whole numbers up to 2**53 print as Python
   * prints an int (JSON.parse cannot tell 3 from 3.0); the others as Python prints a float:
   * the shortest digits, with an exponent below 1e-4 and from 1e16.
   */
  function pyNumber(x) {
    if (x !== x) { return "nan"; }
    if (x === Infinity) { return "inf"; }
    if (x === -Infinity) { return "-inf"; }
    if (Number.isSafeInteger(x)) { return String(x); }
    var parts = x.toExponential().split("e"), exp = Number(parts[1]);
    var digits = parts[0].replace("-", "").replace(".", ""), sign = x < 0 ? "-" : "";
    if (exp < -4 || exp >= 16) {
      return sign + digits.charAt(0) + (digits.length > 1 ? "." + digits.slice(1) : "") +
        "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    if (exp < 0) { return sign + "0." + "0".repeat(-exp - 1) + digits; }
    if (digits.length <= exp + 1) { return sign + digits + "0".repeat(exp + 1 - digits.length) + ".0"; }
    return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }

  /* Python's repr() of a text: single quotes unless the text holds one and no double quote. */
  function pyRepr(text) {
    var quote = text.indexOf("'") >= 0 && text.indexOf("\"") < 0 ? "\"" : "'";
    var named = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), code = text.charCodeAt(i);
      if (has(named, c)) {
        out += named[c];
      } else if (c === quote) {
        out += "\\" + c;
      } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
        out += "\\x" + (code < 16 ? "0" : "") + code.toString(16);
      } else {
        out += c;
      }
    }
    return quote + out + quote;
  }

  /* audit.model.text.describe: a short rendering of a value someone wrote, for messages. */
  function describe(value) {
    if (value === null || value === undefined) { return "nothing"; }
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (Array.isArray(value)) { return "a list"; }
    if (typeof value === "object") { return "a mapping"; }
    var text = typeof value === "string" ? pyRepr(value) : pyNumber(value);
    return text.length <= 40 ? text : text.slice(0, 37) + "...";
  }

  /* Option keys are strings or whole numbers and compare as text; null when not a key. */
  function optionKey(value) {
    if (typeof value === "number" && isFinite(value) && Math.floor(value) === value) {
      return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
    }
    if (typeof value === "string" && value) { return value; }
    return null;
  }

  function keyProblem(value) {
    if (typeof value === "boolean") {
      return "the key " + value + " is read by YAML as a boolean (unquoted yes, no, on, off, true, false); " +
        "write it in quotes, e.g. \"yes\"";
    }
    return "expected an option key: a word or a whole number";
  }

  /* Python's format(x, "g"): six significant digits, an exponent below 1e-4 and from 1e6. */
  function formatG(x) {
    if (!isFinite(x)) { return pyNumber(x); }
    if (x === 0) { return 1 / x < 0 ? "-0" : "0"; }
    var exp = Number(x.toExponential(5).split("e")[1]);
    var text;
    if (exp < -4 || exp >= 6) {
      var parts = x.toExponential(5).split("e");
      text = parts[0].replace(/\.?0+$/, "") + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    } else {
      text = fixed(x, 5 - exp);
      if (text.indexOf(".") >= 0) { text = text.replace(/\.?0+$/, ""); }
    }
    return text;
  }

  /*
   * A number as a respondent typed it in `lang`. The language's decimal sign always means
   * decimals (2,5 in Spanish); the other sign (a point in Spanish, a comma in English) means
   * decimals too unless exactly three digits follow a non-zero whole part: "1.500" in Spanish
   * and "1,500" in English could be a thousand and a half or one and a half, and are refused
   * ({problem: "number_ambiguous"}) rather than guessed. Returns {value}, {empty} or {problem}.
   */
  function parseNumber(text, lang) {
    var s = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-");
    if (!s) { return { empty: true }; }
    var m = /^([+-]?)(\d*)([.,]?)(\d*)$/.exec(s);
    if (!m) {
      return { problem: /^[+-]?\d[\d.,]*$/.test(s) ? "number_ambiguous" : "number_format" };
    }
    var sign = m[1], whole = m[2], sep = m[3], part = m[4];
    if (!whole && !part) { return { problem: "number_format" }; }
    if (sep && sep !== decimalSign(lang) && part.length === 3 && /[1-9]/.test(whole)) {
      return { problem: "number_ambiguous" };
    }
    return { value: Number(sign + (whole || "0") + (part ? "." + part : "")) };
  }

  function decimalSign(lang) {
    try {
      var parts = new Intl.NumberFormat(lang || "en").formatToParts(1.5);
      for (var i = 0; i < parts.length; i++) { if (parts[i].type === "decimal") { return parts[i].value; } }
    } catch (e) { /* a language Intl does not know: English */ }
    return ".";
  }

  /* ------------------------------------------------------------ kinds ---------- */

  function optionKeys(q) {
    return (q.options || []).map(function (o) { return o.key; });
  }

  function refuse(problem) { return [null, problem]; }

  /*
   * One entry per shape of answer (audit.model.kinds.SHAPES); the kinds table maps each
   * question type to one of them.
   *   normalise(q, value)     Kind.normalise: [answer as the engine keeps it, null] or [null, problem]
   *   score(q, value)         Kind.score: s(q) in 0..1 of a normalised answer, or null
   *   fill(field, value)      set the question's controls (inside its data-question element)
   *                           from a saved answer (undefined: none)
   *   read(field, q, target)  the answer the controls give now that `target` changed
   *                           (undefined: none); may correct the controls and show an error
   * "I don't know", where the page offers it, is one more control marked data-dont-know whose
   * value is `dont_know`: a radio among the options, or a check box that clears the others.
   */
  var SHAPES = {
    single: {  /* one option key: radio buttons, with `na` and `dont_know` ones where allowed */
      normalise: function (q, value) {
        var keys = optionKeys(q), key = optionKey(value), orNa = q.na ? " or na" : "";
        if (key === null) {
          return refuse("answer to '" + q.id + "' is " + describe(value) + "; expected one of: " + keys.join(", ") + orNa);
        }
        if (keys.indexOf(key) < 0) {
          return refuse("'" + key + "' is not an option of question '" + q.id + "'; expected one of: " +
            keys.join(", ") + orNa);
        }
        return [key, null];
      },
      score: function (q, value) {
        var options = q.options || [];
        for (var i = 0; i < options.length; i++) {
          if (options[i].key === value) { return options[i].score; }
        }
        return null;
      },
      fill: function (field, value) {
        $$("input[type=radio]", field).forEach(function (input) {
          input.checked = value !== undefined && input.value === String(value);
        });
      },
      read: function (field) {
        var checked = $("input[type=radio]:checked", field);
        return checked ? checked.value : undefined;
      }
    },
    multiple: {  /* a list of keys, no repeats: check boxes, "none of these" (data-none), `na`, `dont_know` */
      normalise: function (q, value) {
        var keys = optionKeys(q);
        if (!Array.isArray(value)) {
          return refuse("answer to '" + q.id + "' is " + describe(value) + "; expected a list of options from: " +
            keys.join(", "));
        }
        var chosen = [];
        for (var i = 0; i < value.length; i++) {
          var key = optionKey(value[i]);
          if (key === null) { return refuse("answer to '" + q.id + "' holds " + describe(value[i]) + "; expected option keys"); }
          if (keys.indexOf(key) < 0) {
            return refuse("'" + key + "' is not an option of question '" + q.id + "'; expected keys from: " + keys.join(", "));
          }
          if (chosen.indexOf(key) >= 0) { return refuse("option '" + key + "' is chosen twice in '" + q.id + "'; expected each once"); }
          chosen.push(key);
        }
        return [chosen, null];
      },
      score: function (q, value) {  /* min(1, the chosen options' scores added in the bank's order) */
        var picked = (q.options || []).filter(function (o) { return value.indexOf(o.key) >= 0; });
        return Math.min(1, total(picked.map(function (o) { return o.score; })));
      },
      fill: function (field, value) {
        $$("input[type=checkbox]", field).forEach(function (input) {
          if (input.hasAttribute("data-none")) {
            input.checked = Array.isArray(value) && value.length === 0;
          } else if (input.hasAttribute("data-dont-know")) {
            input.checked = value === "dont_know";
          } else if (input.value === "na") {
            input.checked = value === "na";
          } else {
            input.checked = Array.isArray(value) && value.indexOf(input.value) >= 0;
          }
        });
      },
      read: function (field, q, target) {
        var boxes = $$("input[type=checkbox]", field);
        function special(box) {
          return box.value === "na" || box.hasAttribute("data-none") || box.hasAttribute("data-dont-know");
        }
        if (target && target.checked) {  /* N/A, "I don't know" and "none of these" exclude everything else */
          boxes.forEach(function (box) {
            if (box !== target && (special(target) || special(box))) { box.checked = false; }
          });
        }
        var na = boxes.some(function (b) { return b.checked && b.value === "na" && !b.hasAttribute("data-none"); });
        var dontKnow = boxes.some(function (b) { return b.checked && b.hasAttribute("data-dont-know"); });
        var none = boxes.some(function (b) { return b.checked && b.hasAttribute("data-none"); });
        var keys = boxes.filter(function (b) { return b.checked && !special(b); }).map(function (b) { return b.value; });
        return na ? "na" : (dontKnow ? "dont_know" : (none ? [] : (keys.length ? keys : undefined)));
      }
    },
    numeric: {  /* a finite number inside the range: a number field, and `na` and `dont_know` check boxes */
      normalise: function (q, value) {
        if (typeof value !== "number" || !isFinite(value)) {
          return refuse("answer to '" + q.id + "' is " + describe(value) + "; expected a finite number");
        }
        if (q.range && !(q.range[0] <= value && value <= q.range[1])) {
          return refuse("answer to '" + q.id + "' is " + formatG(value) + ", outside its range; expected a number " +
            "from " + formatG(q.range[0]) + " to " + formatG(q.range[1]));
        }
        return [value, null];
      },
      score: function (q, value) {  /* the first band the number falls in */
        var bands = q.bands || [];
        for (var i = 0; i < bands.length; i++) {
          var b = bands[i];
          if ((b.max === null || b.max === undefined || value <= b.max) &&
              (b.min === null || b.min === undefined || value >= b.min)) {
            return b.score;
          }
        }
        return null;
      },
      fill: function (field, value) {
        var input = $("input[data-number]", field), naBox = $("input[type=checkbox][value=na]", field);
        var dkBox = $("input[type=checkbox][data-dont-know]", field);
        var typing = input && input === doc().activeElement && parseNumber(input.value, ui.lang).value === value;
        if (input && !typing) {  /* what is being typed stays as typed while it means the same */
          input.value = typeof value === "number" ? numberText(value) : "";
          input.disabled = value === "na" || value === "dont_know";
        }
        if (naBox) { naBox.checked = value === "na"; }
        if (dkBox) { dkBox.checked = value === "dont_know"; }
      },
      read: function (field, q, target) {
        var input = $("input[data-number]", field), naBox = $("input[type=checkbox][value=na]", field);
        var dkBox = $("input[type=checkbox][data-dont-know]", field);
        var boxes = [naBox, dkBox].filter(Boolean);
        if (boxes.indexOf(target) >= 0) {  /* N/A and "I don't know" exclude each other and the number */
          if (target.checked) {
            boxes.forEach(function (box) { if (box !== target) { box.checked = false; } });
            input.value = "";
            setError(field, "");
          }
          input.disabled = boxes.some(function (box) { return box.checked; });
        }
        if (naBox && naBox.checked) { return "na"; }
        if (dkBox && dkBox.checked) { return "dont_know"; }
        var typed = parseNumber(input.value, ui.lang);
        if (typed.empty) {
          setError(field, "");
          return undefined;
        }
        if (typed.problem) {  /* never guessed: "1.500" could be 1500 or 1.5 */
          setError(field, say(typed.problem, { text: input.value.trim() }));
          return undefined;
        }
        var ok = !SHAPES.numeric.normalise(q, typed.value)[1];
        setError(field, ok ? "" : (q.range ? say("number_range", { lo: numberText(q.range[0]), hi: numberText(q.range[1]) })
          : say("number_invalid")));
        return ok ? typed.value : undefined;
      }
    },
    free: {  /* a text, never scored: a text area */
      normalise: function (q, value) {
        if (typeof value !== "string" && typeof value !== "number") {
          return refuse("answer to '" + q.id + "' is " + describe(value) + "; expected a text");
        }
        return [typeof value === "string" ? value : pyNumber(value), null];
      },
      score: function () { return null; },
      fill: function (field, value) {
        var area = $("textarea", field);
        if (area && !(area === doc().activeElement && area.value === value)) { area.value = typeof value === "string" ? value : ""; }
      },
      read: function (field) {
        var area = $("textarea", field);
        return area.value.trim() ? area.value : undefined;
      }
    }
  };

  /* What the kinds table says of a question's type: {answer, scored, na}, and the type's name. */
  var KIND_CACHE = typeof WeakMap === "function" ? new WeakMap() : null;  /* kinds table -> {type: kind} */

  function kindOf(kinds, q) {
    var cache = KIND_CACHE && kinds && typeof kinds === "object" ? KIND_CACHE.get(kinds) : null;
    if (cache && has(cache, q.type)) { return cache[q.type]; }
    var kind = kinds && has(kinds, q.type) ? kinds[q.type] : null;
    if (!kind || !has(SHAPES, kind.answer)) {
      throw new Error("question '" + q.id + "' is of type '" + q.type + "', which the kinds table " +
        (kind ? "gives an unknown answer shape" : "does not list"));
    }
    var found = Object.freeze({ answer: kind.answer, scored: kind.scored, na: kind.na, name: q.type });
    if (KIND_CACHE && kinds && typeof kinds === "object") {
      if (!cache) { cache = {}; KIND_CACHE.set(kinds, cache); }
      put(cache, q.type, found);
    }
    return found;
  }

  function shapeOf(kinds, q) { return SHAPES[kindOf(kinds, q).answer]; }

  /*
   * audit.model.kinds.normalise: one answer checked and normalised: N/A, "I don't know", or
   * the shape's own value. `na` and `dont_know` are those answers unless an option has that key.
   */
  function normalise(kinds, q, value) {
    if (typeof value === "boolean") {
      return refuse("the answer to '" + q.id + "' is read by YAML as true/false (an unquoted yes, no, on, " +
        "off, true or false); write it in quotes, e.g. \"yes\"");
    }
    var kind = kindOf(kinds, q);
    if (value === "na" && optionKeys(q).indexOf("na") < 0 && kind.na) {
      if (q.na) { return [NA, null]; }
      return refuse("N/A is not allowed for question '" + q.id + "'; expected an answer");
    }
    if (value === "dont_know" && optionKeys(q).indexOf("dont_know") < 0) {
      if (!kind.na) {
        return refuse("dont_know is not an answer to the " + kind.name + " question '" + q.id + "'; expected a text");
      }
      if (allowsDontKnow(q)) { return [DONT_KNOW, null]; }
      return refuse("dont_know is not allowed for question '" + q.id + "'; expected an answer");
    }
    return SHAPES[kind.answer].normalise(q, value);
  }

  /* Question.dont_know, true unless the bank says otherwise. */
  function allowsDontKnow(q) { return q.dont_know !== false; }

  /* Whether the page offers "I don't know" on q: its type takes it, q allows it, no option has the key. */
  function offersDontKnow(kinds, q) {
    return kindOf(kinds, q).na && allowsDontKnow(q) && optionKeys(q).indexOf("dont_know") < 0;
  }

  /* Question.scored: whether answers to the question count towards scores at all. */
  function isScored(kinds, q) { return kindOf(kinds, q).scored && q.weight > 0; }

  /* Whether the question counts for completion and progress: every type that can score. */
  function isCounted(kinds, q) { return kindOf(kinds, q).scored; }

  /* audit.model.kinds.answer_score: a respondent's s(q) in 0..1, or null. */
  function answerScore(kinds, q, value) {
    if (value === undefined || value === null || value === NA || value === DONT_KNOW || !isScored(kinds, q)) {
      return null;
    }
    return shapeOf(kinds, q).score(q, value);
  }

  /* The raw (file) form of a normalised answer. */
  function rawAnswer(value) {
    if (value === NA) { return "na"; }
    if (value === DONT_KNOW) { return "dont_know"; }
    return Array.isArray(value) ? value.slice() : value;
  }

  function bankIndex(bank) {
    if (bank.__index) { return bank.__index; }
    var index = { questions: {}, sections: {}, areas: {}, profile: {}, departments: [] };
    bank.areas.forEach(function (area) {
      put(index.areas, area.id, area);
      area.sections.forEach(function (section) {
        put(index.sections, section.id, { section: section, area: area });
        section.questions.forEach(function (q) {
          put(index.questions, q.id, { q: q, section: section, area: area });
        });
      });
    });
    (bank.profile || []).forEach(function (p) { put(index.profile, p.id, p); });
    index.departments = (bank.departments || []).map(function (d) { return d.key; });
    Object.defineProperty(bank, "__index", { value: index, enumerable: false });
    return index;
  }

  function suggest(name, known) {
    return "expected one of: " + known.slice(0, 12).join(", ") + (known.length > 12 ? ", ... (" + known.length + " in all)" : "");
  }

  /* The shape of a response file (the strict models of audit/model/answers.py). */
  function checkShape(data) {
    var problems = [];
    function add(where, message) { problems.push((where ? where + ": " : "") + message); }
    function keysOf(obj, allowed, where) {
      Object.keys(obj).forEach(function (k) {
        if (allowed.indexOf(k) < 0) {
          add(where, "unknown key '" + k + "'; expected one of: " + allowed.join(", "));
        }
      });
    }
    function text(obj, key, where) {
      if (has(obj, key) && obj[key] !== null && typeof obj[key] !== "string") {
        add(where + key, "is " + describe(obj[key]) + "; expected a text");
      }
    }
    function entry(obj, where, listed) {
      if (listed) {  /* inside a respondents list these may be left out, but not null */
        ["respondent", "profile", "answers", "comments"].forEach(function (k) {
          if (has(obj, k) && obj[k] === null) { add(where + k, "is nothing; expected a mapping of keys to values"); }
        });
      }
      if (has(obj, "respondent") && obj.respondent !== null) {
        if (!isMapping(obj.respondent)) {
          add(where + "respondent", "is " + describe(obj.respondent) + "; expected a mapping of keys to values");
        } else {
          keysOf(obj.respondent, RESPONDENT_KEYS, where + "respondent");
          text(obj.respondent, "name", where + "respondent.");
          var d = obj.respondent.department;
          if (d !== undefined && d !== null && optionKey(d) === null) {
            add(where + "respondent.department", keyProblem(d));
          }
        }
      }
      text(obj, "language", where);
      text(obj, "submitted", where);
      ["profile", "answers", "comments"].forEach(function (k) {
        if (has(obj, k) && obj[k] !== null && !isMapping(obj[k])) {
          add(where + k, "is " + describe(obj[k]) + "; expected a mapping of keys to values");
        }
      });
      if (isMapping(obj.profile)) {
        Object.keys(obj.profile).forEach(function (k) {
          var v = obj.profile[k];
          if (v !== null && optionKey(v) === null) { add(where + "profile." + k, keyProblem(v)); }
        });
      }
      if (isMapping(obj.comments)) {
        Object.keys(obj.comments).forEach(function (k) {
          var v = obj.comments[k];
          if (v !== null && typeof v !== "string") { add(where + "comments." + k, "is " + describe(v) + "; expected a text"); }
        });
      }
    }
    if (!isMapping(data)) {
      add("", "the file holds " + describe(data) + "; expected a mapping of keys to values");
      return problems;
    }
    keysOf(data, FILE_KEYS, "");
    ["bank", "bank_version", "organisation"].forEach(function (k) { text(data, k, ""); });
    if (has(data, "respondents") && data.respondents !== null) {
      var single = ["respondent", "profile", "answers", "comments"].filter(function (k) {
        return has(data, k) && data[k] !== null;
      });
      if (single.length) {
        add("", "a file has either a respondents list or " + single.join(", ") + " at the top, not both");
      }
      if (!Array.isArray(data.respondents)) {
        add("respondents", "is " + describe(data.respondents) + "; expected a list");
      } else {
        data.respondents.forEach(function (e, i) {
          var where = "respondents[" + i + "]";
          if (!isMapping(e)) {
            add(where, "is " + describe(e) + "; expected a mapping of keys to values");
          } else {
            keysOf(e, ENTRY_KEYS, where);
            entry(e, where + ".", true);
          }
        });
      }
    } else {
      entry(data, "", false);
    }
    return problems;
  }

  function entriesOf(data) {
    if (has(data, "respondents") && data.respondents !== null) { return data.respondents; }
    return [{ respondent: data.respondent || {}, language: data.language, submitted: data.submitted,
      profile: data.profile || {}, answers: data.answers || {}, comments: data.comments || {} }];
  }

  /*
   * audit.read.answers._entry: one respondent's answers checked against the bank. With
   * `lenient`, what does not fit is dropped (and listed) instead of being a problem: this is
   * how answers given to an older version of the bank are read.
   */
  function readEntry(kinds, bank, entry, source, lenient) {
    var index = bankIndex(bank);
    var problems = [], dropped = [];
    function bad(what, message) {
      if (lenient) { dropped.push(what); } else { problems.push(source + ": " + message); }
    }
    var respondent = entry.respondent || {};
    var dept = respondent.department === undefined || respondent.department === null ? null : optionKey(respondent.department);
    if (dept === POOLED) {  /* a problem even for an older version's answers, as on the command line */
      problems.push(source + ": department '" + POOLED + "' is kept for small departments pooled together; " +
        "expected your own department, or none");
      dept = null;
    } else if (dept !== null && index.departments.length && index.departments.indexOf(dept) < 0) {
      bad("department " + dept, "unknown department '" + dept + "'; " + suggest(dept, index.departments));
      dept = null;
    }
    var language = entry.language === undefined ? null : entry.language;
    if (language !== null && bank.languages.indexOf(language) < 0) {
      bad("language " + language, "language '" + language + "' is not one of the bank's: " + bank.languages.join(", "));
      language = null;
    }
    var profile = {};
    Object.keys(entry.profile || {}).forEach(function (pid) {
      var key = entry.profile[pid] === null ? null : optionKey(entry.profile[pid]);
      var pq = has(index.profile, pid) ? index.profile[pid] : null;
      if (pq === null) {
        bad("profile " + pid, "unknown profile question '" + pid + "'; " +
          ((bank.profile || []).length ? suggest(pid, Object.keys(index.profile)) : "this bank has no profile"));
      } else if (key !== null) {
        var known = pq.options.map(function (o) { return o.key; });
        if (known.indexOf(key) < 0) {
          bad("profile " + pid, "'" + key + "' is not an option of profile question '" + pid + "'; expected one of: " +
            known.join(", "));
        } else {
          put(profile, pid, key);
        }
      }
    });
    var answers = new Map();
    var given = entry.answers || {};
    Object.keys(given).forEach(function (qid) {
      if (!has(index.questions, qid)) {
        bad(qid, "unknown question '" + qid + "'; " + suggest(qid, Object.keys(index.questions)));
        return;
      }
      if (given[qid] === null || given[qid] === undefined) { return; }
      var result = normalise(kinds, index.questions[qid].q, given[qid]);
      if (result[1]) { bad(qid, result[1]); } else { answers.set(qid, result[0]); }
    });
    var comments = {};
    Object.keys(entry.comments || {}).forEach(function (qid) {
      if (!has(index.questions, qid)) {
        bad("comment " + qid, "comment on unknown question '" + qid + "'; " + suggest(qid, Object.keys(index.questions)));
      } else if (entry.comments[qid]) {
        put(comments, qid, entry.comments[qid]);
      }
    });
    return {
      respondent: { source: source, name: respondent.name || null, department: dept, language: language,
        submitted: entry.submitted || null, profile: profile, answers: answers, comments: comments },
      problems: problems, dropped: dropped
    };
  }

  /*
   * audit.read.answers.load_responses for files already parsed: [{source, data}] in order.
   * Returns {team, problems, dropped}; a team is only usable when problems is empty.
   */
  function loadTeam(kinds, bank, files, options) {
    var lenientOld = !!(options && options.lenientOld);
    var problems = [], warnings = [], respondents = [], dropped = [];
    var organisation = null, version = null, first = true;
    files.forEach(function (file) {
      var data = file.data, source = file.source;
      var shape = checkShape(data);
      if (shape.length) {
        shape.forEach(function (p) { problems.push(source + ": " + p); });
        return;
      }
      if (data.bank !== undefined && data.bank !== null && data.bank !== bank.id) {
        problems.push(source + ": these answers are for bank '" + data.bank + "'; expected '" + bank.id + "'");
      }
      var old = data.bank_version !== undefined && data.bank_version !== null && data.bank_version !== bank.version;
      if (old) {
        warnings.push(source + ": answers are for bank version " + data.bank_version + ", the bank is version " +
          bank.version);
      }
      var entries = entriesOf(data);
      if (!entries.length) { problems.push(source + ": no respondents; expected at least one"); }
      var org = data.organisation === undefined ? null : data.organisation;
      if (first) {
        version = data.bank_version === undefined ? null : data.bank_version;
        first = false;
      }
      if (organisation === null) {  /* the first file that names the organisation names it */
        organisation = org;
      } else if (org !== null && org !== organisation) {
        warnings.push(source + ": organisation '" + org + "' differs from '" + organisation + "'; the first is used");
      }
      entries.forEach(function (entry) {
        var read = readEntry(kinds, bank, entry, source, lenientOld && old);
        problems.push.apply(problems, read.problems);
        read.dropped.forEach(function (d) { dropped.push(d); });
        respondents.push(read.respondent);
      });
    });
    if (!problems.length && !respondents.length) {
      problems.push((files.length ? files[0].source : ".") + ": no respondents found; expected at least one response file");
    }
    return {
      team: { bank_id: bank.id, bank_version: version, organisation: organisation, respondents: respondents,
        warnings: warnings },
      problems: problems, dropped: dropped
    };
  }

  /* ------------------------------------------------------------ scoring -------- */

  function applies(appliesIf, profile) {
    if (!appliesIf) { return true; }
    return Object.keys(appliesIf).every(function (pid) {
      return !has(profile, pid) || appliesIf[pid].indexOf(profile[pid]) >= 0;
    });
  }

  /* audit.engine.score.target_of: the section's target, else the area's, else the bank's. */
  function targetOf(bank, area, section) {
    var found = [section ? section.target : null, area.target, bank.target].filter(function (t) {
      return t !== null && t !== undefined;
    });
    return found.length ? found[0] : bank.target;
  }

  function levelOf(bank, score) {
    if (score === null) { return null; }
    var found = null;
    (bank.levels || []).forEach(function (level) {
      if (level.from <= score) { found = level.key; }
    });
    return found;
  }

  function teamProfile(bank, respondents) {
    var profile = {}, warnings = [];
    (bank.profile || []).forEach(function (pq) {
      var given = respondents.filter(function (r) { return has(r.profile, pq.id); })
        .map(function (r) { return r.profile[pq.id]; });
      if (!given.length) { return; }
      var counts = new Map();
      given.forEach(function (k) { counts.set(k, (counts.get(k) || 0) + 1); });
      var best = 0;
      counts.forEach(function (n) { if (n > best) { best = n; } });
      var chosen = given.filter(function (k) { return counts.get(k) === best; })[0];
      put(profile, pq.id, chosen);
      if (counts.size > 1) {
        var spread = Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1]; })
          .map(function (e) { return e[0] + " (" + e[1] + ")"; }).join(", ");
        warnings.push("respondents disagree on profile '" + pq.id + "': " + spread + "; using " + chosen);
      }
    });
    return { profile: profile, warnings: warnings };
  }

  function weightedMean(pairs) {
    var weight = total(pairs.map(function (p) { return p[0]; }));
    if (!pairs.length || weight === 0) { return null; }
    return total(pairs.map(function (p) { return p[0] * p[1]; })) / weight;
  }

  function scoreGroup(kinds, plan, respondents) {
    var out = { questions: new Map(), answered: new Map(), sections: new Map(), areas: new Map(), overall: null };
    var areaPairs = [];
    plan.forEach(function (item) {
      var sectionPairs = [];
      item.secs.forEach(function (sec) {
        var pairs = [];
        sec.questions.forEach(function (q) {
          var scores = [];
          respondents.forEach(function (r) {
            var s = answerScore(kinds, q, r.answers.get(q.id));
            if (s !== null) { scores.push(s); }
          });
          out.answered.set(q.id, scores.length);
          var value = scores.length ? total(ascending(scores)) / scores.length : null;
          out.questions.set(q.id, value);
          if (value !== null) { pairs.push([q.weight, value]); }
        });
        var weight = total(pairs.map(function (p) { return p[0]; }));
        var score = weight ? 100 * total(pairs.map(function (p) { return p[0] * p[1]; })) / weight : null;
        out.sections.set(sec.section.id, score);
        if (score !== null) { sectionPairs.push([sec.section.weight, score]); }
      });
      var area = weightedMean(sectionPairs);
      out.areas.set(item.area.id, area);
      if (area !== null) { areaPairs.push([item.area.weight, area]); }
    });
    out.overall = weightedMean(areaPairs);
    return out;
  }

  function spreadOf(values) {
    var present = values.filter(function (v) { return v !== null && v !== undefined; });
    if (present.length < 2) { return null; }
    return Math.max.apply(null, present) - Math.min.apply(null, present);
  }

  function ratio(part, whole) { return whole ? part / whole : 0; }

  /*
   * audit.engine.score.departments_of: the departmental breakdown, [[key, respondents], ...]:
   * the bank's departments in its order, then others in the order they first appear, then
   * `unspecified`, then `other`, which pools (in input order) every department of fewer than
   * `minGroup` respondents; when `other` itself is that small, its respondents are left out.
   */
  function departmentsOf(bank, respondents, minGroup) {
    var groups = new Map();
    respondents.forEach(function (r) {
      var k = r.department || UNSPECIFIED;
      if (!groups.has(k)) { groups.set(k, []); }
      groups.get(k).push(r);
    });
    var order = (bank.departments || []).map(function (d) { return d.key; });
    var rank = function (k) { return [k === UNSPECIFIED ? 1 : 0, order.indexOf(k) >= 0 ? order.indexOf(k) : order.length]; };
    var keys = Array.from(groups.keys()).sort(function (a, b) {  /* a stable sort, as Python's */
      var ra = rank(a), rb = rank(b);
      return ra[0] - rb[0] || ra[1] - rb[1];
    });
    var kept = keys.filter(function (k) { return groups.get(k).length >= minGroup; });
    var out = kept.map(function (k) { return [k, groups.get(k)]; });
    var pooled = respondents.filter(function (r) { return kept.indexOf(r.department || UNSPECIFIED) < 0; });
    if (pooled.length && pooled.length >= minGroup) { out.push([POOLED, pooled]); }
    return out;
  }

  /*
   * audit.engine.score.score: the docs/score-json.md document (to_json) for a team read by
   * loadTeam(), its members in the same order. options.min_group replaces the bank's.
   */
  function score(kinds, bank, team, options) {
    var respondents = team.respondents;
    var minGroup = options && options.min_group !== undefined && options.min_group !== null ? options.min_group
      : (bank.min_group !== undefined && bank.min_group !== null ? bank.min_group : 1);
    var minCoverage = bank.min_coverage !== undefined && bank.min_coverage !== null ? bank.min_coverage : 0.5;
    var tp = teamProfile(bank, respondents);
    var profile = tp.profile;
    var warnings = (team.warnings || []).concat(tp.warnings);

    var plan = [], applicable = [];
    bank.areas.forEach(function (area) {
      var secs = [];
      area.sections.forEach(function (section) {
        if (!applies(section.applies_if, profile)) { return; }
        secs.push({ section: section, questions: section.questions.filter(function (q) {
          return applies(q.applies_if, profile);
        }) });
      });
      if (secs.length) {
        plan.push({ area: area, secs: secs });
        secs.forEach(function (sec) { sec.questions.forEach(function (q) { applicable.push(q); }); });
      }
    });
    var applicableIds = new Set(applicable.map(function (q) { return q.id; }));

    respondents.forEach(function (r) {
      var ignored = Array.from(r.answers.keys()).filter(function (qid) { return !applicableIds.has(qid); });
      if (ignored.length) {
        warnings.push(r.source + (r.name ? " (" + r.name + ")" : "") +
          ": answers to questions that do not apply were ignored: " + ignored.join(", "));
      }
    });

    var teamScores = scoreGroup(kinds, plan, respondents);
    var groups = departmentsOf(bank, respondents, minGroup);
    /* a department holding every respondent in the same order scores exactly as the team does */
    var deptScores = groups.map(function (g) {
      var same = g[1].length === respondents.length && g[1].every(function (r, i) { return r === respondents[i]; });
      return same ? teamScores : scoreGroup(kinds, plan, g[1]);
    });

    /* coverage: the weight of the questions someone answered (not "I don't know") over the
       weight of all that count (docs/scoring.md#coverage) */
    var covered = new Set(applicable.filter(function (q) {
      return respondents.some(function (r) {
        var value = r.answers.get(q.id);
        return value !== undefined && value !== null && value !== DONT_KNOW;
      });
    }).map(function (q) { return q.id; }));

    var scoredIds = new Set(applicable.filter(function (q) { return isScored(kinds, q); }).map(function (q) { return q.id; }));
    function coverage(questions) {  /* weights added left to right from 0, as total() adds them */
      var weight = 0, got = 0, i;
      for (i = 0; i < questions.length; i++) {
        if (scoredIds.has(questions[i].id)) { weight += questions[i].weight; }
      }
      if (!weight) { return null; }
      for (i = 0; i < questions.length; i++) {
        if (scoredIds.has(questions[i].id) && covered.has(questions[i].id)) { got += questions[i].weight; }
      }
      return got / weight;
    }

    function node(value, divergence, questions) {
      var share = coverage(questions);
      var provisional = share !== null && share < minCoverage;
      return { score: value, level: provisional ? null : levelOf(bank, value), divergence: divergence,
        flagged: divergence !== null && divergence >= bank.divergence_threshold, coverage: share,
        provisional: provisional };
    }

    var sections = {}, areas = {};
    plan.forEach(function (item) {
      item.secs.forEach(function (sec) {
        var id = sec.section.id;
        put(sections, id, node(teamScores.sections.get(id),
          spreadOf(deptScores.map(function (d) { return d.sections.get(id); })), sec.questions));
      });
    });
    plan.forEach(function (item) {
      var id = item.area.id, qs = [];
      item.secs.forEach(function (sec) { qs = qs.concat(sec.questions); });
      put(areas, id, node(teamScores.areas.get(id), spreadOf(deptScores.map(function (d) { return d.areas.get(id); })), qs));
    });
    var overall = node(teamScores.overall, spreadOf(deptScores.map(function (d) { return d.overall; })), applicable);

    var areaTotal = total(plan.filter(function (item) { return teamScores.areas.get(item.area.id) !== null; })
      .map(function (item) { return item.area.weight; }));
    var questions = {};
    var gap = 0, reach = 0;
    var recommendations = [];
    plan.forEach(function (item) {
      var area = item.area;
      var sectionTotal = total(item.secs.filter(function (sec) { return teamScores.sections.get(sec.section.id) !== null; })
        .map(function (sec) { return sec.section.weight; }));
      item.secs.forEach(function (sec) {
        var section = sec.section, qs = sec.questions;
        var weightTotal = total(qs.filter(function (q) { return teamScores.questions.get(q.id) !== null; })
          .map(function (q) { return q.weight; }));
        var target = targetOf(bank, area, section);
        qs.forEach(function (q) {
          var s = teamScores.questions.get(q.id);
          var share = 0;
          if (s !== null && teamScores.areas.get(area.id) !== null) {
            share = ratio(q.weight, weightTotal) * ratio(section.weight, sectionTotal) * ratio(area.weight, areaTotal);
          }
          var dontKnow = respondents.filter(function (r) { return r.answers.get(q.id) === DONT_KNOW; }).length;
          // docs/score-json.md: a question's score on 0..100, its share in overall points (they add up to O)
          put(questions, q.id, { score: s === null ? null : 100 * s, share: s === null ? 0 : share * 100 * s,
            answered: teamScores.answered.get(q.id), dont_know: dontKnow });
          if (s === null) { return; }
          gap += share * Math.max(0, target - 100 * s);
          reach += share * target;
          if (100 * s < target) {
            recommendations.push({ gain: share * 100 * (1 - s), effort: q.effort, index: recommendations.length,
              question: q.id, area: area.id, section: section.id });
          }
        });
      });
    });
    var scoredAny = Object.keys(questions).some(function (k) { return questions[k].score !== null; });
    var ptt = !scoredAny ? null : (reach ? 1 - gap / reach : 1);

    var counted = applicable.filter(function (q) { return isCounted(kinds, q); });
    var completions = [];
    respondents.forEach(function (r) {
      if (counted.length) {
        var n = counted.filter(function (q) { return r.answers.has(q.id); }).length;
        completions.push(n / counted.length);
      }
    });
    var completion = completions.length ? total(ascending(completions)) / completions.length : null;

    var departments = {};
    groups.forEach(function (g, i) {
      var d = deptScores[i];
      var dAreas = {}, dSections = {};
      plan.forEach(function (item) {
        put(dAreas, item.area.id, d.areas.get(item.area.id));
        item.secs.forEach(function (sec) { put(dSections, sec.section.id, d.sections.get(sec.section.id)); });
      });
      put(departments, g[0], { respondents: g[1].length, overall: d.overall, areas: dAreas, sections: dSections });
    });

    var result = {
      bank: { id: bank.id, version: bank.version },
      organisation: team.organisation === undefined ? null : team.organisation,
      respondents: respondents.length,
      min_group: minGroup,
      overall: { score: overall.score, level: overall.level, completion: completion, percent_to_target: ptt,
        coverage: overall.coverage, provisional: overall.provisional },
      areas: areas,
      sections: sections,
      questions: questions,
      departments: departments,
      profile: profile,
      diagnoses: [],
      recommendations: [],
      warnings: warnings
    };
    Object.defineProperty(result, "__overall", { value: overall, enumerable: false });
    result.diagnoses = diagnose(bank, result);
    result.recommendations = ordered(bank, result.diagnoses, recommendations);
    return result;
  }

  /*
   * audit.engine.score._ordered: in the focus of a diagnosis that holds first, then by gain,
   * effort and bank order (docs/scoring.md#recommendations).
   */
  function ordered(bank, diagnoses, recommendations) {
    var holding = (bank.rules || []).filter(function (r) { return diagnoses.indexOf(r.id) >= 0; });
    recommendations.forEach(function (rec) {
      rec.focus = holding.filter(function (r) {
        var focus = r.focus || [];
        return focus.indexOf(rec.area) >= 0 || focus.indexOf(rec.section) >= 0;
      }).map(function (r) { return r.id; });
    });
    recommendations.sort(function (a, b) {
      var fa = a.focus.length ? 0 : 1, fb = b.focus.length ? 0 : 1;
      if (fa !== fb) { return fa - fb; }
      var ga = -a.gain, gb = -b.gain;
      if (ga < gb) { return -1; }
      if (ga > gb) { return 1; }
      return (EFFORT_ORDER[a.effort] - EFFORT_ORDER[b.effort]) || (a.index - b.index);
    });
    return recommendations.map(function (r) {
      return { question: r.question, gain: r.gain, effort: r.effort, focus: r.focus };
    });
  }

  /* audit.engine.score.value_of: a score or divergence, null when absent or provisional. */
  function valueOf(result, ref, what) {
    var node = ref === "overall" ? result.__overall
      : (has(result.areas, ref) ? result.areas[ref] : (has(result.sections, ref) ? result.sections[ref] : null));
    if (!node || node.provisional) { return null; }
    return what === "divergence" ? node.divergence : node.score;
  }

  /* audit.engine.score.diagnose: the ids of the rules whose every condition holds (docs/scoring.md). */
  function diagnose(bank, result) {
    var fired = [];
    (bank.rules || []).forEach(function (rule) {
      var holds = true;
      for (var i = 0; i < rule.when.length; i++) {
        var cond = rule.when[i], value;
        if (cond.gap) {
          var a = valueOf(result, cond.gap[0]), b = valueOf(result, cond.gap[1]);
          value = a !== null && b !== null ? a - b : null;
        } else if (cond.score) {
          value = valueOf(result, cond.score);
        } else {
          value = valueOf(result, cond.divergence || "", "divergence");
        }
        if (value === null) {
          holds = false;
        } else if (cond.at_least !== null && cond.at_least !== undefined) {
          holds = holds && value >= cond.at_least;
        } else {
          holds = holds && value < (cond.below !== null && cond.below !== undefined ? cond.below : 0);
        }
        if (!holds) { break; }
      }
      if (holds) { fired.push(rule.id); }
    });
    return fired;
  }

  /* A number with `digits` decimals, rounded like Python's format() (ties to even). */
  function fixed(x, digits) {
    if (x === null || x === undefined) { return "—"; }
    var out = x.toFixed(digits);
    var exact = Math.abs(x).toFixed(100);
    var dot = exact.indexOf(".");
    var rest = exact.slice(dot + 1 + digits);
    if (/^50*$/.test(rest)) {
      var kept = exact.slice(0, digits ? dot + 1 + digits : dot);
      if ("02468".indexOf(kept.charAt(kept.length - 1)) >= 0) {
        out = (x < 0 ? "-" : "") + kept;
      }
    }
    return out;
  }

  var engine = {
    NA: NA, DONT_KNOW: DONT_KNOW, POOLED: POOLED, SHAPES: SHAPES, total: total, normalise: normalise,
    answerScore: answerScore, isScored: isScored, isCounted: isCounted, offersDontKnow: offersDontKnow,
    departmentsOf: departmentsOf, kindOf: kindOf, targetOf: targetOf, checkShape: checkShape, readEntry: readEntry,
    loadTeam: loadTeam, score: score, diagnose: diagnose, applies: applies, levelOf: levelOf,
    fixed: fixed, formatG: formatG, describe: describe, rawAnswer: rawAnswer
  };

  /* ==================================================================== page === */

  var ui = { data: null, bank: null, kinds: null, s: {}, lang: "", root: "./", key: "", state: null, storage: true,
    team: [], bound: false, notice: "", written: null, replaced: null, leaving: 0, formats: {}, normal: new Map() };

  function doc() { return root.document; }

  function $(selector, scope) { return (scope || doc()).querySelector(selector); }
  function $$(selector, scope) { return Array.prototype.slice.call((scope || doc()).querySelectorAll(selector)); }

  function el(tag, attrs, children) {
    var node = doc().createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? doc().createTextNode(child) : child);
    });
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var node = doc().createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function say(name, values) {
    var text = ui.s[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  function t(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value === "string") { return value; }
    if (has(value, ui.lang)) { return value[ui.lang]; }
    var keys = Object.keys(value);
    return keys.length ? value[keys[0]] : "";
  }

  /* ------------------------------------------------------------------ numbers -- */

  /* One number format per language: rounded as Python rounds (fixed), then written with the
     page language's signs, as the report writes them (61,5 in Spanish, 61.5 in English). */
  function formatter(digits, percent) {
    var key = (percent ? "%" : "") + digits;
    if (!has(ui.formats, key)) {
      var options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
      if (percent) { options.style = "percent"; }
      var made;
      try { made = new Intl.NumberFormat(ui.lang || "en", options); } catch (e) { made = new Intl.NumberFormat("en", options); }
      put(ui.formats, key, made);
    }
    return ui.formats[key];
  }

  function num(x, digits) {
    if (x === null || x === undefined) { return "—"; }
    return formatter(digits, false).format(Number(fixed(x, digits)));
  }

  /* A fraction in 0..1 as a percentage: "62 %" (es), "62%" (en). */
  function pct(fraction, digits) {
    if (fraction === null || fraction === undefined) { return "—"; }
    return formatter(digits, true).format(Number(fixed(100 * fraction, digits)) / 100);
  }

  /* A number as a respondent would type it back: the language's decimal sign, no grouping. */
  function numberText(value) {
    var text = String(value);
    return /e/i.test(text) ? text : text.replace(".", decimalSign(ui.lang));
  }

  function setText(selector, text, scope) {
    $$(selector, scope).forEach(function (node) { node.textContent = text; });
  }

  /* ---------------------------------------------------------------- storage ---- */

  function blankState() {
    // the organisation the consultant set in mkdocs.yml, if any, is everyone's starting value
    var organisation = ui.data && typeof ui.data.organisation === "string" ? ui.data.organisation : "";
    return { organisation: organisation, name: "", department: "", profile: {}, answers: {}, comments: {}, updated: null };
  }

  function storage() {
    try { return root.localStorage || null; } catch (e) { return null; }
  }

  function cleanState(raw) {
    var state = blankState();
    if (!isMapping(raw)) { return state; }
    ["organisation", "name", "department"].forEach(function (k) {
      if (typeof raw[k] === "string") { state[k] = raw[k]; }
    });
    ["profile", "answers", "comments"].forEach(function (k) {
      if (isMapping(raw[k])) { Object.keys(raw[k]).forEach(function (id) { put(state[k], id, raw[k][id]); }); }
    });
    state.updated = typeof raw.updated === "string" ? raw.updated : null;
    return state;
  }

  function loadState() {
    var store = storage();
    ui.storage = !!store;
    if (!store) { return blankState(); }
    var raw = null;
    try {
      raw = store.getItem(ui.key);
    } catch (e) {
      ui.storage = false;
      return blankState();
    }
    ui.written = raw;
    if (raw) {
      try { return cleanState(JSON.parse(raw)); } catch (e) { return blankState(); }
    }
    return migrate(store) || blankState();
  }

  /* Answers kept for another version of this bank: carry over what still fits. */
  function migrate(store) {
    var prefix = "loyalty-audit:" + ui.bank.id + ":";
    var best = null;
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (!key || key.indexOf(prefix) !== 0 || key === ui.key || /:(handed|sent|before-import)$/.test(key)) { continue; }
      try {
        var old = cleanState(JSON.parse(store.getItem(key)));
        if (!best || (old.updated || "") > (best.state.updated || "")) {
          best = { version: key.slice(prefix.length), state: old };
        }
      } catch (e) { /* not ours to read */ }
    }
    if (!best) { return null; }
    var file = stateFile(best.state, best.version);
    var read = readEntry(ui.kinds, ui.bank, entriesOf(file)[0], "", true);
    var state = stateFromEntry(file.organisation, read.respondent);
    ui.notice = say("migrated", { version: best.version }) +
      (read.dropped.length ? " " + say("import_dropped", { version: best.version, list: read.dropped.join(", ") }) : "");
    ui.state = state;
    ui.written = null;
    save();
    return ui.state;
  }

  /* Every write to localStorage goes through here. A write that fails (quota exceeded,
     storage switched off) leaves what was saved before untouched, and the respondent is
     told at once. Returns whether the value was saved. */
  function storeItem(key, value) {
    var store = storage();
    if (!store) { ui.storage = false; return false; }
    try {
      store.setItem(key, value);
      return true;
    } catch (e) {
      ui.notice = say("storage_full");
      showNotice();
      status(say("storage_full"), null, true);
      return false;
    }
  }

  function copyState(state) { return cleanState(JSON.parse(JSON.stringify(state))); }

  /* What this tab last wrote or read under its key (a text): the base its changes are made on. */
  function baseState() {
    try { return ui.written ? cleanState(JSON.parse(ui.written)) : blankState(); } catch (e) { return blankState(); }
  }

  /* Apply to `target` what changed from `base` to `from`, field by field and question by
     question: how two tabs (or a tab and what it last read) are merged, so that no answer
     given in either is lost. */
  function mergeInto(target, from, base) {
    ["organisation", "name", "department"].forEach(function (k) {
      if (from[k] !== base[k]) { target[k] = from[k]; }
    });
    ["profile", "answers", "comments"].forEach(function (k) {
      var ids = Object.keys(from[k]).concat(Object.keys(base[k]));
      ids.forEach(function (id) {
        var now = has(from[k], id) ? JSON.stringify(from[k][id]) : undefined;
        var was = has(base[k], id) ? JSON.stringify(base[k][id]) : undefined;
        if (now === was) { return; }
        if (now === undefined) { delete target[k][id]; } else { put(target[k], id, from[k][id]); }
      });
    });
    return target;
  }

  function sameAnswers(a, b) {
    var strip = function (x) { var c = copyState(x); c.updated = null; return JSON.stringify(c); };
    return strip(a) === strip(b);
  }

  /* Save this tab's changes over what is stored now: when another tab saved since this one
     last wrote or read (the stored text is not the one it knows), its changes are merged in
     question by question first; otherwise the state is written as it is. */
  function save() {
    ui.state.updated = new Date().toISOString();
    var store = storage();
    if (!store) { ui.storage = false; return false; }
    var raw = null;
    try { raw = store.getItem(ui.key); } catch (e) { raw = null; }
    if (raw && raw !== ui.written) {
      var stored = null, mine = ui.state;
      try { stored = cleanState(JSON.parse(raw)); } catch (e) { stored = null; }
      if (stored) {
        var merged = mergeInto(stored, mine, baseState());
        merged.updated = mine.updated;
        ui.state = merged;
        if (!sameAnswers(merged, mine)) { fillControls(); }
      }
    }
    var text = JSON.stringify(ui.state);
    var ok = storeItem(ui.key, text);
    if (ok) { ui.replaced = raw; ui.written = text; }
    return ok;
  }

  /* Another tab saved: take its answers, keep this tab's unsaved ones, and show them. The
     browser tells a tab of another's save a moment after it: a save of this tab in that moment
     wrote over it unseen (what is stored now is what this tab wrote, not what the event brings).
     Then the other tab's changes are put back over what this tab's save replaced, and saved. */
  function onStorage(event) {
    if (!ui.data || !ui.state) { return; }
    if (event.key === ui.key + ":sent") { showSent(); return; }
    if (event.key !== ui.key && event.key !== null) { return; }
    var store = storage(), now = event.newValue;
    try { now = store ? store.getItem(ui.key) : now; } catch (e) { now = event.newValue; }
    var incoming = null;
    if (event.key !== null && event.newValue && now !== event.newValue && now !== null && now === ui.written) {
      var lost = null, replaced = null;
      try {
        lost = cleanState(JSON.parse(event.newValue));
        replaced = ui.replaced ? cleanState(JSON.parse(ui.replaced)) : blankState();
      } catch (e) { return; }
      var had = copyState(ui.state);
      mergeInto(ui.state, lost, replaced);
      if (sameAnswers(had, ui.state)) { return; }  /* this tab's save had taken them in already */
      fillControls();
      save();
      refresh();
      return;
    }
    try { incoming = now ? cleanState(JSON.parse(now)) : null; } catch (e) { return; }
    if (event.key === null || !incoming) { incoming = blankState(); }
    mergeInto(incoming, ui.state, baseState());  /* this tab's changes not saved yet, if any */
    ui.state = incoming;
    ui.written = event.key === null ? null : now;
    fillControls();
    refresh();
  }

  /* The response file (docs/responses.md) of the answers in this browser (what export writes). */
  function stateFile(state, version) {
    var file = {
      bank: ui.bank.id,
      bank_version: version || ui.bank.version,
      organisation: state.organisation.trim() || null,
      respondent: { name: state.name.trim() || null, department: state.department || null },
      language: ui.lang,
      profile: {}, answers: {}, comments: {}
    };
    Object.keys(state.profile).forEach(function (k) { put(file.profile, k, state.profile[k]); });
    Object.keys(state.answers).forEach(function (k) { put(file.answers, k, state.answers[k]); });
    Object.keys(state.comments).forEach(function (k) {
      if (typeof state.comments[k] === "string" && state.comments[k].trim()) { put(file.comments, k, state.comments[k]); }
    });
    return file;
  }

  /* Only what the bank accepts: the file export writes and the page scores. */
  function currentFile() {
    var file = stateFile(ui.state);
    var read = readEntry(ui.kinds, ui.bank, entriesOf(file)[0], "", true);
    var r = read.respondent;
    file.respondent.department = r.department;
    file.profile = r.profile;
    file.answers = {};
    r.answers.forEach(function (value, qid) { put(file.answers, qid, rawAnswer(value)); });
    file.comments = r.comments;
    return file;
  }

  function stateFromEntry(organisation, respondent) {
    var state = blankState();
    state.organisation = organisation || "";
    state.name = respondent.name || "";
    state.department = respondent.department || "";
    Object.keys(respondent.profile).forEach(function (k) { put(state.profile, k, respondent.profile[k]); });
    respondent.answers.forEach(function (value, qid) { put(state.answers, qid, rawAnswer(value)); });
    Object.keys(respondent.comments).forEach(function (k) { put(state.comments, k, respondent.comments[k]); });
    return state;
  }

  /*
   * This browser's respondent as loadTeam(currentFile()) reads it, without rebuilding and
   * re-checking every answer on each change: each answer is normalised once and kept until
   * it changes (ui.normal); what does not fit the bank is left out, as currentFile() does.
   */
  function myRespondent() {
    var index = bankIndex(ui.bank), state = ui.state, cache = ui.normal, answers = new Map(), comments = {};
    Object.keys(state.answers).forEach(function (qid) {
      var raw = state.answers[qid];
      if (!has(index.questions, qid) || raw === null || raw === undefined) { return; }
      var hit = cache.get(qid);
      var key = typeof raw === "object" ? JSON.stringify(raw) : null;  /* a list is compared by its text */
      if (!hit || (key === null ? hit.raw !== raw || hit.key !== null : hit.key !== key)) {
        var got = normalise(ui.kinds, index.questions[qid].q, raw);
        hit = { raw: raw, key: key, value: got[1] ? undefined : got[0] };
        cache.set(qid, hit);
      }
      if (hit.value !== undefined) { answers.set(qid, hit.value); }
    });
    Object.keys(state.comments).forEach(function (qid) {
      var text = state.comments[qid];
      if (has(index.questions, qid) && typeof text === "string" && text.trim()) { put(comments, qid, text); }
    });
    var dept = state.department || null;
    if (dept !== null && (dept === POOLED || (index.departments.length && index.departments.indexOf(dept) < 0))) { dept = null; }
    return { source: "browser", name: state.name.trim() || null, department: dept, language: ui.lang, submitted: null,
      profile: myProfile(), answers: answers, comments: comments };
  }

  function scoreMine() {
    return score(ui.kinds, ui.bank, { bank_id: ui.bank.id, bank_version: ui.bank.version,
      organisation: ui.state.organisation.trim() || null, respondents: [myRespondent()], warnings: [] });
  }

  /* ------------------------------------------------------------ applicability -- */

  function myProfile() {
    var index = bankIndex(ui.bank), profile = {};
    Object.keys(ui.state.profile).forEach(function (pid) {
      var pq = has(index.profile, pid) ? index.profile[pid] : null;
      var key = ui.state.profile[pid];
      if (pq && pq.options.some(function (o) { return o.key === key; })) { put(profile, pid, key); }
    });
    return profile;
  }

  function pageUrl(path) {
    return new URL(ui.root + path, root.location.href).href;
  }

  function sectionHref(id) {
    return ui.root + ui.data.pages.sections[id];
  }

  function applyProfile() {
    var profile = myProfile();
    $$("[data-applies-if]").forEach(function (node) {
      var ok = true;
      try { ok = applies(JSON.parse(node.getAttribute("data-applies-if")), profile); } catch (e) { ok = true; }
      if (node.hasAttribute("data-la-page")) {
        var note = $("[data-la-not-applicable]", node), list = $("[data-la-questions]", node);
        if (note) { note.hidden = ok; }
        if (list) { list.hidden = !ok; }
      } else {
        node.hidden = !ok;
      }
    });
    var open = {}, count = 0, total = 0, urls = {};
    ui.bank.areas.forEach(function (area) {
      area.sections.forEach(function (section) {
        var ok = applies(section.applies_if, profile);
        put(open, section.id, ok);
        total += 1;
        count += ok ? 1 : 0;
        if (has(ui.data.pages.sections, section.id)) { urls[pageUrl(ui.data.pages.sections[section.id])] = section.id; }
      });
    });
    $$("a.md-nav__link[href]").forEach(function (a) {
      var id = urls[a.href];
      if (id !== undefined) {
        var li = a.closest("li");
        if (li) { li.hidden = !open[id]; }
      }
    });
    $$("li.md-nav__item--nested").forEach(function (li) {
      var items = $$("li.md-nav__item", li);
      if (items.length) { li.hidden = items.every(function (x) { return x.hidden; }); }
    });
    setText("[data-la-applies]", say("applies_count", { n: count, total: total }));
    var order = [];
    ui.bank.areas.forEach(function (area) { area.sections.forEach(function (s) { order.push(s.id); }); });
    var first = order.filter(function (id) { return open[id] && has(ui.data.pages.sections, id); })[0];
    $$("a[data-la-first]").forEach(function (a) { if (first) { a.href = sectionHref(first); } });
    var page = $("[data-la-page]");
    var nextLink = $("[data-la-next]"), prevLink = $("[data-la-prev]");
    if (page && page.getAttribute("data-section")) {
      var here = order.indexOf(page.getAttribute("data-section"));
      var usable = function (id) { return open[id] && has(ui.data.pages.sections, id); };
      var next = order.slice(here + 1).filter(usable)[0];
      var prev = order.slice(0, here).filter(usable).pop();
      var after = ui.data.pages.finish ? "finish" : (ui.data.pages.results ? "results" : null);
      if (nextLink && next) {
        nextLink.href = sectionHref(next);
        nextLink.textContent = t(bankIndex(ui.bank).sections[next].section.title) + " →";
      } else if (nextLink && after) {
        nextLink.href = ui.root + ui.data.pages[after];
        nextLink.textContent = say("nav_" + after) + " →";
      }
      if (prevLink && prev) {
        prevLink.href = sectionHref(prev);
        prevLink.textContent = "← " + t(bankIndex(ui.bank).sections[prev].section.title);
      } else if (prevLink && ui.data.pages.about) {
        prevLink.href = ui.root + ui.data.pages.about;
        prevLink.textContent = "← " + say("nav_about");
      }
      var firstQuestion = $$("[data-la-q]", page).filter(function (q) { return !q.hidden; })[0];
      $$("[data-la-skip]").forEach(function (a) { if (firstQuestion) { a.href = "#" + firstQuestion.id; } });
    }
    return profile;
  }

  /* ------------------------------------------------------------------ controls -- */

  function question(id) {
    var index = bankIndex(ui.bank);
    return has(index.questions, id) ? index.questions[id].q : null;
  }

  /* Set one question's controls from the saved answer. */
  function fillQuestion(field) {
    var id = field.getAttribute("data-question"), q = question(id);
    if (!q) { return; }
    shapeOf(ui.kinds, q).fill(field, has(ui.state.answers, id) ? ui.state.answers[id] : undefined);
    markAnswered(field);
  }

  function markAnswered(field) {
    var box = field.closest("[data-la-q]");
    if (box) { box.classList.toggle("is-answered", has(ui.state.answers, field.getAttribute("data-question"))); }
  }

  function fillControls() {
    $$("[data-question]").forEach(fillQuestion);
    $$("[data-comment]").forEach(function (box) {
      var id = box.getAttribute("data-comment"), value = has(ui.state.comments, id) ? ui.state.comments[id] : "";
      if (!(box === doc().activeElement && box.value.trim() === value.trim())) { box.value = value; }
    });
    $$("[data-respondent]").forEach(function (input) {
      var value = ui.state[input.getAttribute("data-respondent")] || "";
      if (!(input === doc().activeElement && input.value === value)) { input.value = value; }
    });
    $$("[data-profile]").forEach(function (field) {
      var id = field.getAttribute("data-profile");
      $$("input", field).forEach(function (input) {
        input.checked = has(ui.state.profile, id) && input.value === ui.state.profile[id];
      });
    });
  }

  /* Each option's help under its label, from the data file: a scale's help is there once,
     rather than under every question of that scale on every page. The input is described by it
     (aria-describedby), as a help written in the page would be. */
  function showOptionHelp() {
    $$("[data-question]").forEach(function (field) {
      var q = question(field.getAttribute("data-question"));
      (q && q.options || []).forEach(function (option, i) {
        var id = "oh-" + q.id + "-" + (i + 1), help = t(option.help);
        if (!help || doc().getElementById(id)) { return; }
        var input = $$("input", field).filter(function (box) {
          return box.name === "la-" + q.id && box.value === String(option.key);
        })[0];
        var label = input && input.parentNode.querySelector(".la-opt__label");
        if (!label) { return; }
        var column = el("span", { "class": "la-opt__text" });  /* the label, its help under it, beside the box */
        label.parentNode.insertBefore(column, label);
        column.appendChild(label);
        column.appendChild(el("span", { "class": "la-opt__help", id: id }, [help]));
        input.setAttribute("aria-describedby", id);
        input.parentNode.classList.add("la-opt--help");
      });
    });
  }

  function setError(field, message) {
    var box = $("[data-la-error]", field), input = $("input[data-number]", field);
    if (box) { box.textContent = message || ""; }
    if (input) {
      if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    }
  }

  function setAnswer(id, value) {
    if (value === undefined) { delete ui.state.answers[id]; } else { put(ui.state.answers, id, value); }
  }

  /* Read one question's controls after the respondent touched `target`. */
  function readQuestion(field, target) {
    var id = field.getAttribute("data-question"), q = question(id);
    if (!q) { return; }
    setAnswer(id, shapeOf(ui.kinds, q).read(field, q, target));
    markAnswered(field);
    save();
    refresh(false);
  }

  function clearQuestion(field) {
    var id = field.getAttribute("data-question");
    setAnswer(id, undefined);
    $$("input, textarea", field).forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
      input.disabled = false;
    });
    setError(field, "");
    markAnswered(field);
    save();
    refresh(false);
  }

  /* ------------------------------------------------------------------ progress -- */

  function progress(profile) {
    var out = { overall: [0, 0], sections: {}, areas: {} };
    var answers = ui.state.answers;
    ui.bank.areas.forEach(function (area) {
      var a = [0, 0];
      area.sections.forEach(function (section) {
        var s = [0, 0];
        if (applies(section.applies_if, profile)) {
          section.questions.forEach(function (q) {
            if (!isCounted(ui.kinds, q) || !applies(q.applies_if, profile)) { return; }
            s[1] += 1;
            if (has(answers, q.id)) { s[0] += 1; }
          });
        }
        put(out.sections, section.id, s);
        a[0] += s[0];
        a[1] += s[1];
      });
      put(out.areas, area.id, a);
      out.overall[0] += a[0];
      out.overall[1] += a[1];
    });
    return out;
  }

  function showProgress(profile) {
    var p = progress(profile);
    function label(node, pair, percent) {
      node.textContent = pair[1] ? say("answered_of", { n: pair[0], total: pair[1] }) : "";
      if (percent && pair[1]) {  /* the percentage and "done" give way on a phone (la-bar__extra) */
        node.appendChild(el("span", { "class": "la-bar__extra" },
          [" · " + pct(pair[0] / pair[1], 0) + (pair[0] === pair[1] ? " · " + say("done") : "")]));
      }
    }
    $$("[data-progress]").forEach(function (node) {
      var ref = node.getAttribute("data-progress"), pair = null;
      if (ref === "overall") { pair = p.overall; } else if (ref.indexOf("section:") === 0) {
        pair = p.sections[ref.slice(8)];
      } else if (ref.indexOf("area:") === 0) { pair = p.areas[ref.slice(5)]; }
      if (pair) { label(node, pair, ref === "overall"); }
      if (ref === "overall") { node.toggleAttribute("data-done", !!(pair[1] && pair[0] === pair[1])); }
    });
    var done = !!(p.overall[1] && p.overall[0] === p.overall[1]);
    $$("[data-la-done]").forEach(function (node) { node.hidden = !done; });
    /* the home page counts what is asked of this respondent, as progress does */
    var sections = ui.bank.areas.reduce(function (n, area) {
      return n + area.sections.filter(function (section) { return p.sections[section.id][1] > 0; }).length;
    }, 0);
    setText("[data-la-facts]", say("home_facts", { questions: p.overall[1], sections: sections,
      minutes: Math.max(5, Math.ceil(p.overall[1] * 0.5 / 5) * 5) }));
    var finish = $("[data-la-finish-status]");
    if (finish) {
      finish.textContent = done ? say("finish_complete", { total: p.overall[1] })
        : say("finish_incomplete", { n: p.overall[0], total: p.overall[1] });
      finish.classList.toggle("is-done", done);
      fillList($("[data-la-list=unanswered]"), unansweredList(bankIndex(ui.bank)));
    }
    $$("[data-meter]").forEach(function (node) {
      var ref = node.getAttribute("data-meter");
      var pair = ref === "overall" ? p.overall : (p.sections[ref.slice(8)] || [0, 0]);
      node.style.width = (pair[1] ? 100 * pair[0] / pair[1] : 0) + "%";
    });
    return p;
  }

  /* The result's node of "overall", "area:ID" or "section:ID" (score, level, coverage,
     provisional...); null when it does not apply. */
  function nodeOf(result, ref) {
    if (ref === "overall") { return result.overall; }
    var kind = ref.split(":")[0], id = ref.slice(kind.length + 1);
    var bag = kind === "area" ? result.areas : (kind === "section" ? result.sections : null);
    return bag && has(bag, id) ? bag[id] : null;
  }

  /* A score on too few answers (docs/scoring.md#provisional-scores) with a value to show. */
  function shownProvisional(node) { return !!(node && node.provisional && node.score !== null); }

  /* data-provisional marks every element that shows a provisional score (and the level in its place). */
  function markProvisional(node, on) {
    if (on) { node.setAttribute("data-provisional", ""); } else { node.removeAttribute("data-provisional"); }
    return node;
  }

  /* What stands where a level would be: its label, or "Provisional" instead of any level. */
  function levelText(node) {
    if (!node) { return ""; }
    return shownProvisional(node) ? say("provisional_level") : levelLabel(node.level);
  }

  function provisionalNote() {
    var min = ui.bank.min_coverage === undefined || ui.bank.min_coverage === null ? 0.5 : ui.bank.min_coverage;
    return say("provisional_note", { min: num(100 * min, 0) });
  }

  /* The word "provisional" after a score drawn by the script (the templates carry their own, data-la-prov). */
  function provisionalBadge() {
    return el("span", { "class": "la-prov", title: provisionalNote() }, [say("provisional")]);
  }

  function showScores(result) {
    $$("[data-score]").forEach(function (node) {
      var item = nodeOf(result, node.getAttribute("data-score"));
      node.textContent = num(item ? item.score : null, 1);
      markProvisional(node, shownProvisional(item));
    });
    $$("[data-la-prov]").forEach(function (badge) {
      var ref = badge.getAttribute("data-la-prov");
      var item = nodeOf(result, ref === "ptt" ? "overall" : ref);
      badge.hidden = !(shownProvisional(item) && (ref !== "ptt" || result.overall.percent_to_target !== null));
      badge.title = provisionalNote();
    });
  }

  function refresh(profileChanged) {
    var profile = profileChanged === false ? myProfile() : applyProfile();
    showProgress(profile);
    var result = scoreMine();
    showScores(result);
    var page = $("[data-la-page]");
    if (page && page.getAttribute("data-la-page") === "results") { renderResults(result); }
    return result;
  }

  function status(message, details, isError, extra) {
    $$("[data-la-status]").forEach(function (node) {
      node.textContent = "";
      node.classList.toggle("is-error", !!isError);
      node.appendChild(doc().createTextNode(message));
      if (details && details.length) {
        node.appendChild(el("ul", {}, details.slice(0, 20).map(function (d) { return el("li", {}, [d]); })));
      }
      if (extra) { node.appendChild(doc().createTextNode(" ")); node.appendChild(extra.cloneNode(true)); }
    });
  }

  function showNotice() {
    var text = ui.notice || (ui.storage ? "" : say("storage_off"));
    $$("[data-la-notice]").forEach(function (node) {
      node.textContent = text;
      node.hidden = !text;
    });
  }

  /* ------------------------------------------------------------------- results -- */

  function levelLabel(key) {
    var level = (ui.bank.levels || []).filter(function (l) { return l.key === key; })[0];
    return level ? t(level.label) : "";
  }

  function renderResults(result) {
    var page = $("[data-la-page=results]");
    if (!page) { return; }
    var index = bankIndex(ui.bank);
    var level = (ui.bank.levels || []).filter(function (l) { return l.key === result.overall.level; })[0];
    setText("[data-level-summary]", shownProvisional(result.overall) ? provisionalNote() : (level ? t(level.summary) : ""), page);
    setText("[data-completion]", pct(result.overall.completion, 0), page);
    setText("[data-ptt]", pct(result.overall.percent_to_target, 0), page);
    $$("[data-ptt]", page).forEach(function (node) {
      markProvisional(node, shownProvisional(result.overall) && result.overall.percent_to_target !== null);
    });
    $$("[data-level]", page).forEach(function (node) {  /* no level on a provisional score */
      var item = nodeOf(result, node.getAttribute("data-level"));
      node.textContent = levelText(item) || (node.getAttribute("data-level") === "overall" ? "—" : "");
      markProvisional(node, shownProvisional(item));
    });
    $$("[data-la-item]", page).forEach(function (row) {
      var ref = row.getAttribute("data-la-item"), kind = ref.split(":")[0], id = ref.slice(kind.length + 1);
      row.hidden = !has(kind === "area" ? result.areas : result.sections, id);
    });
    $$("tbody[data-la-area]", page).forEach(function (body) {
      body.hidden = !has(result.areas, body.getAttribute("data-la-area"));
    });
    var radar = $("[data-chart=radar]", page);
    if (radar) { radar.textContent = ""; radar.appendChild(radarChart(result)); }
    var bars = $("[data-chart=areas]", page);
    if (bars) { bars.textContent = ""; bars.appendChild(areaChart(result)); }
    fillList($("[data-la-list=diagnoses]", page), diagnosesList(result));
    fillList($("[data-la-list=recommendations]", page), recommendationsList(result, 10));
    fillList($("[data-la-list=unanswered]", page), unansweredList(index));
    fillPrintHead();
    fillList($("[data-la-list=answers]", page), answersList());
  }

  /* Who answered and when, at the top of the printed results (as text: these are the respondent's words). */
  function fillPrintHead() {
    var head = $("[data-la-print-head]");
    if (!head) { return; }
    var values = { organisation: ui.state.organisation, name: ui.state.name,
      department: ui.state.department ? deptLabel(ui.state.department) : say("department_none"),
      date: longDate(new Date()) };
    $$("[data-la-print]", head).forEach(function (node) {
      node.textContent = values[node.getAttribute("data-la-print")] || "—";
    });
  }

  /* A day as the report writes it (audit.write.formats.long_date): the language's CLDR pattern
     from the data file, the month's name from Intl; ISO where the language has no pattern. */
  function longDate(day) {
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var iso = day.getFullYear() + "-" + two(day.getMonth() + 1) + "-" + two(day.getDate());
    var pattern = ui.data.date_pattern, month = null;
    try {
      month = new Intl.DateTimeFormat(ui.lang, { day: "numeric", month: "long", year: "numeric" }).formatToParts(day)
        .filter(function (part) { return part.type === "month"; })[0].value;
    } catch (e) { month = null; }
    if (!pattern || !month) { return iso; }
    return pattern.replace(/'([^']*)'|d+|M+|y+/g, function (token, literal) {
      if (literal !== undefined) { return literal; }
      if (token[0] === "d") { return token.length > 1 ? two(day.getDate()) : String(day.getDate()); }
      if (token[0] === "M") { return token.length > 2 ? month : (token.length > 1 ? two(day.getMonth() + 1) : String(day.getMonth() + 1)); }
      return String(day.getFullYear());
    });
  }

  /* An answer in words: the options' labels, the number with its unit, the text; N/A, "I don't know". */
  function answerWords(q, value) {
    var keys = optionKeys(q);
    if (value === "na" && keys.indexOf("na") < 0) { return say("na"); }
    if (value === "dont_know" && keys.indexOf("dont_know") < 0) { return say("dont_know"); }
    var label = function (key) {
      var option = (q.options || []).filter(function (o) { return String(o.key) === String(key); })[0];
      return option ? t(option.label) : String(key);
    };
    var shape = kindOf(ui.kinds, q).answer;
    if (shape === "single") { return label(value); }
    if (shape === "multiple") { return value.length ? value.map(label).join("; ") : say("none_of_these"); }
    if (typeof value === "number") { return numberText(value) + (q.unit ? " " + t(q.unit) : ""); }
    return String(value);
  }

  /* The respondent's answers (and comments), section by section, for the printed results:
     one item per question, numbered as on its section's page. */
  function answersList() {
    var box = el("div", {}), profile = myProfile();
    ui.bank.areas.forEach(function (area) {
      area.sections.forEach(function (section) {
        if (!applies(section.applies_if, profile)) { return; }
        var items = [];
        section.questions.forEach(function (q, i) {
          var answered = has(ui.state.answers, q.id), comment = has(ui.state.comments, q.id) ? ui.state.comments[q.id] : "";
          if (!answered && !comment) { return; }
          items.push(el("li", { "data-la-answer": q.id, value: String(i + 1) }, [
            el("span", { "class": "la-print-answers__q" }, [t(q.text)]), " ",
            el("strong", { "class": "la-print-answers__a" }, [answered ? answerWords(q, ui.state.answers[q.id]) : "—"]),
            comment ? el("span", { "class": "la-print-answers__c" }, [say("print_comment") + ": " + comment]) : null
          ]));
        });
        if (!items.length) { return; }
        box.appendChild(el("h3", {}, [t(area.title) + " · " + t(section.title)]));
        box.appendChild(el("ol", { "class": "la-print-answers" }, items));
      });
    });
    return box.childNodes.length ? box : el("p", {}, [say("print_none")]);
  }

  function fillList(box, node) {
    if (!box) { return; }
    box.textContent = "";
    box.appendChild(node);
  }

  function diagnosesList(result) {
    var rules = {};
    (ui.bank.rules || []).forEach(function (r) { put(rules, r.id, r); });
    if (!result.diagnoses.length) {  /* no diagnosis is drawn from thin evidence */
      return el("p", {}, [say(result.overall.provisional ? "no_diagnoses_provisional" : "no_diagnoses")]);
    }
    var box = el("div", { "class": "la-diagnoses" });
    result.diagnoses.forEach(function (id) {
      var rule = rules[id];
      box.appendChild(el("div", { "class": "admonition warning la-diagnosis", "data-diagnosis": id }, [
        el("p", { "class": "admonition-title" }, [t(rule.title)]),
        rule.text ? el("p", {}, [t(rule.text)]) : null
      ]));
    });
    return box;
  }

  function questionLink(id) {
    var entry = bankIndex(ui.bank).questions[id];
    var href = has(ui.data.pages.sections, entry.section.id) ? sectionHref(entry.section.id) + "#q-" + id : null;
    return href ? el("a", { href: href }, [t(entry.q.text)]) : el("span", {}, [t(entry.q.text)]);
  }

  function recommendationsList(result, top) {
    if (!result.recommendations.length) {  /* "every target met" is not said on thin evidence */
      return el("p", {}, [say(result.overall.provisional ? "no_recommendations_provisional" : "no_recommendations")]);
    }
    var index = bankIndex(ui.bank);
    var rules = {};
    (ui.bank.rules || []).forEach(function (r) { put(rules, r.id, r); });
    var list = el("ol", { "class": "la-recs" });
    result.recommendations.slice(0, top).forEach(function (rec) {
      var q = index.questions[rec.question].q;
      var kpis = (q.kpis || []).map(function (k) { return el("li", {}, [t(k)]); });
      list.appendChild(el("li", { "data-recommendation": rec.question }, [
        el("p", { "class": "la-recs__head" }, [
          questionLink(rec.question), " ",
          el("span", { "class": "la-gain" }, [say("gain", { gain: num(rec.gain, 1) })]), " ",
          el("span", { "class": "la-effort" }, [say("effort") + ": " + say("effort_" + rec.effort)])
        ]),
        rec.focus && rec.focus.length ? el("p", { "class": "la-recs__focus", "data-focus": rec.focus.join(" ") }, [
          say("in_focus", { rules: rec.focus.map(function (id) { return has(rules, id) ? t(rules[id].title) : id; }).join(" · ") })
        ]) : null,
        q.suggestion ? el("p", {}, [t(q.suggestion)]) : null,
        kpis.length ? el("p", { "class": "la-recs__kpis" }, [say("kpis") + ":"]) : null,
        kpis.length ? el("ul", {}, kpis) : null
      ]));
    });
    return list;
  }

  function unansweredList(index) {
    var profile = myProfile();
    var list = el("ul", { "class": "la-unanswered" });
    var n = 0;
    ui.bank.areas.forEach(function (area) {
      area.sections.forEach(function (section) {
        if (!applies(section.applies_if, profile)) { return; }
        var counted = section.questions.filter(function (q) {
          return isCounted(ui.kinds, q) && applies(q.applies_if, profile);
        });
        var missing = counted.filter(function (q) { return !has(ui.state.answers, q.id); });
        if (!missing.length) { return; }
        n += missing.length;
        var links = missing.map(function (q) { return el("li", { "data-question-link": q.id }, [questionLink(q.id)]); });
        if (has(ui.data.pages.sections, section.id)) {
          links.unshift(el("li", {}, [el("a", { href: sectionHref(section.id) }, [t(section.title) + " →"])]));
        }
        list.appendChild(el("li", { "data-unanswered": section.id }, [
          el("details", {}, [
            el("summary", {}, [t(section.title) + " — " + say("missing_of", { n: missing.length, total: counted.length })]),
            el("ul", {}, links)
          ])
        ]));
      });
    });
    return n ? list : el("p", {}, [say("all_answered")]);
  }

  function radarChart(result) {
    var items = [];
    ui.bank.areas.forEach(function (area) {
      area.sections.forEach(function (section) {
        if (has(result.sections, section.id)) {
          items.push({ section: section, area: area, score: result.sections[section.id].score,
            provisional: shownProvisional(result.sections[section.id]) });
        }
      });
    });
    var scored = items.filter(function (i) { return i.score !== null; }).length;
    if (items.length < 3 || scored < 3) { return el("p", { "class": "la-chart__empty" }, [say("radar_few")]); }
    var size = 420, c = size / 2, r = 150, n = items.length;
    var title = say("radar");
    var chart = svg("svg", { viewBox: "0 0 " + size + " " + size, role: "img", "aria-label": title,
      "class": "la-radar" });
    function point(i, value) {
      var angle = -Math.PI / 2 + 2 * Math.PI * i / n, k = r * value / 100;
      return [c + k * Math.cos(angle), c + k * Math.sin(angle)];
    }
    function path(values) {
      return values.map(function (v, i) { var p = point(i, v); return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ");
    }
    [25, 50, 75, 100].forEach(function (ring) {
      chart.appendChild(svg("polygon", { points: path(items.map(function () { return ring; })), "class": "la-radar__ring" }));
    });
    items.forEach(function (item, i) {
      var end = point(i, 100), label = point(i, 113);
      chart.appendChild(svg("line", { x1: c, y1: c, x2: end[0].toFixed(1), y2: end[1].toFixed(1), "class": "la-radar__axis" }));
      chart.appendChild(svg("text", { x: label[0].toFixed(1), y: (label[1] + 4).toFixed(1), "class": "la-radar__label",
        "text-anchor": "middle" }, String(i + 1)));
    });
    chart.appendChild(svg("polygon", { points: path(items.map(function (i) { return targetOf(ui.bank, i.area, i.section); })),
      "class": "la-radar__target" }));
    chart.appendChild(svg("polygon", { points: path(items.map(function (i) { return i.score || 0; })),
      "class": "la-radar__score" }));
    items.forEach(function (item, i) {
      if (item.score === null) { return; }
      var p = point(i, item.score);
      chart.appendChild(svg("circle", { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 3.5,
        "class": "la-radar__dot" + (item.provisional ? " la-radar__dot--provisional" : "") }));
    });
    var legend = el("ol", { "class": "la-legend" }, items.map(function (item) {
      var text = t(item.section.title) + " — " + num(item.score, 1);
      return markProvisional(el("li", {}, item.provisional ? [text + " ", provisionalBadge()] : [text]),
        item.provisional);
    }));
    return el("div", { "class": "la-radar-box" }, [chart, legend]);
  }

  function areaChart(result) {
    var items = ui.bank.areas.filter(function (a) { return has(result.areas, a.id); });
    var row = 50, width = 640, barW = 560;
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + (items.length * row + 22), role: "img",
      "aria-label": say("areas_chart"), "class": "la-bars" });
    [0, 25, 50, 75, 100].forEach(function (tick) {
      var x = barW * tick / 100 + 1;
      chart.appendChild(svg("line", { x1: x, y1: 0, x2: x, y2: items.length * row, "class": "la-bars__grid" }));
      chart.appendChild(svg("text", { x: x, y: items.length * row + 16, "text-anchor": tick ? "middle" : "start",
        "class": "la-bars__tick" }, String(tick)));
    });
    items.forEach(function (area, i) {
      var y = i * row, value = result.areas[area.id].score, target = targetOf(ui.bank, area, null);
      var provisional = shownProvisional(result.areas[area.id]);
      var name = t(area.title), suffix = provisional ? " — " + say("provisional") : "";
      var label = svg("text", { x: 0, y: y + 15, "class": "la-bars__label" },
        (name.length > 80 - suffix.length ? name.slice(0, 78 - suffix.length) + "…" : name));
      if (provisional) { label.appendChild(svg("tspan", { "class": "la-bars__provisional" }, suffix)); }
      chart.appendChild(label);
      chart.appendChild(svg("rect", { x: 1, y: y + 21, width: (barW * (value || 0) / 100).toFixed(1), height: 20,
        "class": "la-bars__bar la-bars__bar--" + (i % 4) + (provisional ? " la-bars__bar--provisional" : "") }));
      var tx = barW * target / 100 + 1;
      chart.appendChild(svg("line", { x1: tx, y1: y + 17, x2: tx, y2: y + 45, "class": "la-bars__target" }));
      chart.appendChild(markProvisional(svg("text", { x: barW + 10, y: y + 36, "class": "la-bars__value" }, num(value, 1)),
        provisional));
    });
    return chart;
  }

  /* ------------------------------------------------------------ export/import --- */

  function slug(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  }

  /* ORGANISATION[-DEPARTMENT]-ID-DATE.json: ID is the first 8 characters of this browser's
     respondent id, so two people of one department on one day never get the same name. */
  function exportName(file) {
    var date = new Date().toISOString().slice(0, 10);
    var parts = [slug(file.organisation) || slug(ui.bank.id), slug(file.respondent.department),
      respondentId().slice(0, 8).toLowerCase(), date];
    return parts.filter(Boolean).join("-") + ".json";
  }

  var RESPONDENT_ID = "loyalty-audit:respondent-id";

  /* This browser's respondent id (the collection protocol's X-Respondent-Id): 32 random hex
     digits, made once and kept. */
  function respondentId() {
    var store = storage(), id = null;
    try { id = store ? store.getItem(RESPONDENT_ID) : null; } catch (e) { id = null; }
    if (id && /^[A-Za-z0-9_-]{16,64}$/.test(id)) { return id; }
    if (!ui.respondentId) {
      var bytes = new Uint8Array(16);
      root.crypto.getRandomValues(bytes);
      ui.respondentId = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    }
    try { if (store) { store.setItem(RESPONDENT_ID, ui.respondentId); } } catch (e) { /* kept for this page only */ }
    return ui.respondentId;
  }

  /* Answers handed over (exported or sent) as they were saved: leaving later warns only if they changed. */
  function markHanded() {
    storeItem(ui.key + ":handed", ui.state.updated || "");
    try { storage().removeItem(ui.key + ":before-import"); } catch (e) { /* nothing kept */ }  /* handed over: kept as they are */
  }

  function undoButton() {
    return el("button", { type: "button", "class": "md-button", "data-action": "undo-import" }, [say("undo_import")]);
  }

  /* The answers from before an import stay restorable until they are brought back, the
     answers are reset, or the imported ones are exported or sent. */
  function offerUndo() {
    var kept = null;
    try { kept = storage() ? storage().getItem(ui.key + ":before-import") : null; } catch (e) { kept = null; }
    if (kept) { status(say("undo_available"), null, false, undoButton()); }
  }

  function unhanded() {
    if (!ui.data || !ui.state) { return false; }
    var any = Object.keys(ui.state.answers).length || Object.keys(ui.state.comments).length;
    if (!any) { return false; }
    var handed = null;
    try { handed = storage() ? storage().getItem(ui.key + ":handed") : null; } catch (e) { handed = null; }
    return handed !== (ui.state.updated || "");
  }

  function onBeforeUnload(event) {
    if (Date.now() - ui.leaving < 5000 || !unhanded()) { return; }  /* a link to another page of the site */
    var activation = root.navigator && root.navigator.userActivation;
    if (activation && !activation.hasBeenActive) { return; }  /* browsers ask only on a page the person used */
    event.preventDefault();
    event.returnValue = say("leave_warning");
    return event.returnValue;
  }

  /* A click on a link to another page of this site: the answers stay in this browser, no warning. */
  function noteLeaving(event) {
    var a = event.target instanceof root.Element ? event.target.closest("a[href]") : null;
    if (!a || !ui.data || a.hasAttribute("download") || (a.target && a.target !== "_self")) { return; }
    var site = new URL(ui.root, root.location.href).href;
    if (a.href.indexOf(site) === 0) { ui.leaving = Date.now(); }
  }

  /* The browser saves `blob` as the file `name`, as if a link to it had been followed. */
  function download(name, blob) {
    var url = root.URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name, hidden: "hidden" });
    doc().body.appendChild(a);
    a.click();
    a.remove();
    root.setTimeout(function () { root.URL.revokeObjectURL(url); }, 1000);
  }

  /* The answers as a response file, now submitted, and its text: export writes that text and
     send posts it, so a line the collection server names is that line of an exported file. */
  function submittedFile() {
    var file = currentFile();
    file.submitted = new Date().toISOString();
    return file;
  }
  function fileText(file) { return JSON.stringify(file, null, 2) + "\n"; }

  function exportAnswers() {
    var file = submittedFile();
    var name = exportName(file);
    download(name, new root.Blob([fileText(file)], { type: "application/json" }));
    markHanded();
    status(say("exported", { file: name }));
  }

  /* Check one file for import; returns {state, dropped, version} or {reason, details}. */
  function importable(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return { reason: say("not_json") }; }
    if (!isMapping(data)) { return { reason: say("not_json") }; }
    var shape = checkShape(data);
    if (shape.length) { return { reason: say("problems"), details: shape }; }
    if (data.bank !== undefined && data.bank !== null && data.bank !== ui.bank.id) {
      return { reason: say("wrong_bank", { bank: data.bank, expected: ui.bank.id }) };
    }
    var entries = entriesOf(data);
    if (entries.length !== 1) { return { reason: say("several", { n: entries.length }) }; }
    var old = data.bank_version !== undefined && data.bank_version !== null && data.bank_version !== ui.bank.version;
    var read = readEntry(ui.kinds, ui.bank, entries[0], "", old);
    if (read.problems.length) {
      return { reason: say("problems"), details: read.problems.map(function (p) { return p.replace(/^: /, ""); }) };
    }
    return { state: stateFromEntry(data.organisation, read.respondent), dropped: read.dropped,
      version: data.bank_version };
  }

  function importAnswers(input) {
    var file = input.files && input.files[0];
    if (!file) { return; }
    file.text().then(function (text) {
      var got = importable(text);
      if (!got.state) {
        status(say("import_refused", { file: file.name, reason: got.reason }), got.details, true);
        return;
      }
      var before = ui.state;
      var had = Object.keys(before.answers).length, n = Object.keys(got.state.answers).length;
      if (had && !root.confirm(say("import_confirm", { n: had, m: n, file: file.name }))) {
        status(say("import_cancelled", { file: file.name }));
        return;
      }
      var undo = had ? storeItem(ui.key + ":before-import", JSON.stringify(before)) : false;
      ui.state = got.state;
      if (!save() && ui.storage) {  /* could not be kept: refuse it, keep what was there */
        ui.state = before;
        status(say("import_refused", { file: file.name, reason: say("storage_full_reason") }), null, true);
        return;
      }
      fillControls();
      refresh();
      var message = say("imported", { n: n, file: file.name });
      if (got.dropped.length) {
        message += " " + say("import_dropped", { version: got.version, list: got.dropped.join(", ") });
      }
      status(message, null, false, undo ? undoButton() : null);
    }, function () {
      status(say("import_refused", { file: file.name, reason: say("not_json") }), null, true);
    }).then(function () { input.value = ""; });
  }

  /* The answers this browser had before the last import, back again. */
  function undoImport() {
    var store = storage(), raw = null;
    try { raw = store ? store.getItem(ui.key + ":before-import") : null; } catch (e) { raw = null; }
    if (!raw) { return; }
    var previous;
    try { previous = cleanState(JSON.parse(raw)); } catch (e) { return; }
    ui.state = previous;
    if (!save() && ui.storage) { return; }
    try { store.removeItem(ui.key + ":before-import"); } catch (e) { /* kept */ }
    fillControls();
    refresh();
    status(say("undone"));
  }

  function resetAnswers() {
    if (!root.confirm(say("reset_confirm"))) { return; }
    ui.state = blankState();
    ui.written = null;
    var store = storage(), prefix = "loyalty-audit:" + ui.bank.id + ":";
    try {  /* this version's answers, and any kept for another version of the bank */
      for (var i = store ? store.length - 1 : -1; i >= 0; i--) {
        var key = store.key(i);
        if (key && key.indexOf(prefix) === 0) { store.removeItem(key); }
      }
    } catch (e) { /* nothing saved */ }
    fillControls();
    $$("[data-question]").forEach(function (field) { setError(field, ""); });
    refresh();
    status(say("reset_done"));
  }

  /* ---------------------------------------------------------------------- send --- */

  /* The collection server of the plugin's collect_url (docs/site-hooks.md#sending), or null. */
  function collector() {
    var options = ui.data && ui.data.options;
    return options && options.collect && options.collect.url ? options.collect : null;
  }

  function sendStatus(nodes, isError) {
    $$("[data-la-send-status]").forEach(function (box) {
      box.textContent = "";
      box.classList.toggle("is-error", !!isError);
      nodes.forEach(function (n) { box.appendChild(typeof n === "string" ? el("p", {}, [n]) : n.cloneNode(true)); });
    });
  }

  function when(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return iso; }
    try {
      return new Intl.DateTimeFormat(ui.lang, { dateStyle: "long", timeStyle: "short" }).format(date);
    } catch (e) { return date.toLocaleString(); }
  }

  function showSent() {
    if (!collector()) { return; }
    var raw = null, sent = null;
    try { raw = storage() ? storage().getItem(ui.key + ":sent") : null; sent = raw ? JSON.parse(raw) : null; } catch (e) { sent = null; }
    if (sent && typeof sent.received === "string") {
      sendStatus([el("p", { "data-sent": sent.received }, [say("sent_before", { time: when(sent.received) })])]);
    }
  }

  function offlineHelp() {
    return el("p", { "class": "la-send__again" }, [
      el("button", { type: "button", "class": "md-button", "data-action": "submit" }, [say("retry")]), " ",
      el("button", { type: "button", "class": "md-button", "data-action": "export" }, [say("export")])]);
  }

  /* POST the answers to the collection server (docs/site-hooks.md#sending): success with the
     time the server received them, or each problem, and every answer kept either way. */
  function submitAnswers() {
    var server = collector();
    if (!server || ui.sending) { return; }
    var file = submittedFile();
    if (!Object.keys(file.answers).length) { sendStatus([say("send_nothing")], true); return; }
    var stamp = ui.state.updated || "";
    ui.sending = true;
    $$("[data-la-send] [data-action=submit]").forEach(function (b) { b.disabled = true; });
    sendStatus([say("sending")]);
    var done = function () {
      ui.sending = false;
      $$("[data-la-send] [data-action=submit]").forEach(function (b) { b.disabled = false; });
    };
    var request;
    try {
      request = root.fetch(server.url + "/responses", {
        method: "POST", mode: "cors", cache: "no-store", credentials: "omit",
        headers: { "Authorization": "Bearer " + server.token, "Content-Type": "application/json",
          "X-Respondent-Id": respondentId() },
        body: fileText(file)
      });
    } catch (e) {
      request = Promise.reject(e);
    }
    request.then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = JSON.parse(text); } catch (e) { body = null; }
        done();
        sent(response, body, stamp);
      });
    }, function () {
      done();
      sendStatus([el("p", { "data-send-error": "offline" }, [say("send_offline")]), offlineHelp()], true);
    });
  }

  function sent(response, body, stamp) {
    var code = response.status;
    if (code === 201 || code === 200) {
      var received = body && typeof body.received === "string" ? body.received : new Date().toISOString();
      storeItem(ui.key + ":sent", JSON.stringify({ received: received, file: body && body.file, updated: stamp }));
      if ((ui.state.updated || "") === stamp) { markHanded(); }
      sendStatus([el("p", { "data-sent": received }, [say("sent", { time: when(received) })])]);
      return;
    }
    var problems = body && Array.isArray(body.problems) ? body.problems.filter(function (p) { return typeof p === "string"; }) : [];
    var head;
    if (code === 422) {
      head = say("send_refused");
    } else if (code === 401 || code === 403) {
      head = say("send_unauthorised");
      problems = [];
    } else if (code === 413) {
      head = say("send_too_large");
      problems = [];
    } else if (code === 429) {
      var wait = Number(response.headers.get("Retry-After"));
      head = say("send_too_many", { seconds: wait > 0 ? wait : 60 });
      problems = [];
    } else {
      head = say("send_failed", { status: code });
    }
    var nodes = [el("p", { "data-send-error": String(code) }, [head])];
    if (problems.length) {
      var list = { "class": "la-send__problems" };
      /* the server's sentences in the server's language (ours: English), so marked for screen readers */
      var lang = (response.headers.get("Content-Language") || "").split(",")[0].trim();
      if (/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang)) { list.lang = lang; }
      nodes.push(el("ul", list, problems.slice(0, 50).map(function (p) {
        return el("li", { "data-send-problem": "" }, [p]);
      })));
    }
    if (code !== 422 && code !== 401 && code !== 403) { nodes.push(offlineHelp()); }
    sendStatus(nodes, true);
  }

  /* ---------------------------------------------------------------------- team --- */

  function teamKey() { return "loyalty-audit:team:" + ui.bank.id + ":" + ui.bank.version; }

  /* The files on the team page are kept in this browser (name and text), so a reload keeps them. */
  function keepTeam() {
    var kept = ui.team.filter(function (f) { return f.text !== undefined; })
      .map(function (f) { return { name: f.name, text: f.text }; });
    var store = storage();
    ui.teamNotKept = false;
    if (!store) { return; }
    try {
      if (kept.length) { store.setItem(teamKey(), JSON.stringify(kept)); } else { store.removeItem(teamKey()); }
    } catch (e) {
      ui.teamNotKept = true;
    }
  }

  function loadKeptTeam() {
    var store = storage(), raw = null;
    try { raw = store ? store.getItem(teamKey()) : null; } catch (e) { raw = null; }
    var kept = [];
    try { kept = raw ? JSON.parse(raw) : []; } catch (e) { kept = []; }
    ui.team = (Array.isArray(kept) ? kept : []).filter(function (f) {
      return isMapping(f) && typeof f.name === "string" && typeof f.text === "string";
    }).map(function (f) { return teamEntry(f.name, f.text); });
  }

  function teamAdd(files) {
    var list = Array.prototype.slice.call(files || []);
    Promise.all(list.map(function (f) {
      return f.text().then(function (text) { return { name: f.name, text: text }; },
        function () { return { name: f.name, text: null }; });
    })).then(function (read) {
      read.forEach(function (f) {  /* the same file name again replaces the earlier one */
        ui.team = ui.team.filter(function (g) { return g.name !== f.name; });
        ui.team.push(teamEntry(f.name, f.text));
      });
      keepTeam();
      renderTeam();
    });
  }

  function teamEntry(name, text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return { name: name, reason: say("not_json") }; }
    if (!isMapping(data)) { return { name: name, reason: say("not_json") }; }
    var shape = checkShape(data);
    if (shape.length) { return { name: name, reason: say("problems") + " " + shape.slice(0, 3).join("; ") }; }
    if (data.bank !== undefined && data.bank !== null && data.bank !== ui.bank.id) {
      return { name: name, reason: say("wrong_bank", { bank: data.bank, expected: ui.bank.id }) };
    }
    var got = loadTeam(ui.kinds, ui.bank, [{ source: name, data: data }], { lenientOld: true });
    if (got.problems.length) {
      return { name: name, reason: say("problems") + " " + got.problems.slice(0, 3).join("; ") };
    }
    var who = got.team.respondents.map(function (r) {
      return (r.name || "—") + (r.department ? " (" + deptLabel(r.department) + ")" : "");
    }).join(", ");
    return { name: name, text: text, data: data, who: who, dropped: got.dropped };
  }

  function addOwnAnswers() {
    var file = currentFile();
    if (!Object.keys(file.answers).length) {  /* an empty set would only dilute the team */
      var list = $("[data-team-list]");
      if (list) {
        renderTeam();
        list.appendChild(el("li", { "class": "is-refused", "data-team-own-empty": "" }, [say("team_own_empty")]));
      }
      return;
    }
    var mine = say("my_answers") + ".json";
    ui.team = ui.team.filter(function (g) { return g.name !== mine; });
    ui.team.push(teamEntry(mine, JSON.stringify(file)));
    keepTeam();
    renderTeam();
  }

  function deptLabel(key) {
    if (key === UNSPECIFIED) { return say("unspecified"); }
    if (key === POOLED) { return say("pooled"); }
    var d = (ui.bank.departments || []).filter(function (x) { return x.key === key; })[0];
    return d ? t(d.label) : key;
  }

  function optionLabel(pq, key) {
    var option = pq.options.filter(function (o) { return o.key === key; })[0];
    return option ? t(option.label) : key;
  }

  /* Where respondents disagree on the profile: [{question, spread, chosen}], as the engine decides. */
  function profileConflicts(team, result) {
    var out = [];
    (ui.bank.profile || []).forEach(function (pq) {
      var counts = new Map();
      team.respondents.forEach(function (r) {
        if (has(r.profile, pq.id)) { counts.set(r.profile[pq.id], (counts.get(r.profile[pq.id]) || 0) + 1); }
      });
      if (counts.size < 2) { return; }
      var spread = Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1]; })
        .map(function (e) { return optionLabel(pq, e[0]) + " (" + e[1] + ")"; }).join(", ");
      out.push({ id: pq.id, text: say("team_conflict", { question: t(pq.text), spread: spread,
        chosen: optionLabel(pq, result.profile[pq.id]) }) });
    });
    return out;
  }

  /* The notes of the team, in the page's language, from the files and the result (the
     engine's own warnings are the command line's words). */
  function teamNotes(used, team, result) {
    var notes = [], first = null, index = bankIndex(ui.bank);
    used.forEach(function (f) {
      if (f.data.bank_version !== undefined && f.data.bank_version !== null && f.data.bank_version !== ui.bank.version) {
        notes.push(say("team_note_version", { file: f.name, version: f.data.bank_version, current: ui.bank.version }));
      }
      var org = typeof f.data.organisation === "string" ? f.data.organisation : null;
      if (first === null) { first = org; } else if (org !== null && org !== first) {
        notes.push(say("team_note_organisation", { file: f.name, organisation: org, first: first }));
      }
    });
    team.respondents.forEach(function (r) {
      var ignored = Array.from(r.answers.keys()).filter(function (qid) { return !has(result.questions, qid); });
      if (ignored.length) {
        notes.push(say("team_note_ignored", { file: r.source, n: ignored.length,
          list: ignored.map(function (qid) { return "«" + t(index.questions[qid].q.text) + "»"; }).join(", ") }));
      }
    });
    return notes;
  }

  function renderTeam() {
    var list = $("[data-team-list]"), box = $("[data-team-result]");
    if (!list || !box) { return; }
    list.textContent = "";
    if (!ui.team.length) { list.appendChild(el("li", {}, [say("team_empty")])); }
    ui.team.forEach(function (f) {
      var note = f.data ? say("team_used", { who: f.who }) : say("team_refused", { reason: f.reason });
      if (f.data && f.dropped.length) { note += " — " + say("import_dropped", { version: f.data.bank_version, list: f.dropped.join(", ") }); }
      list.appendChild(el("li", { "class": f.data ? "is-used" : "is-refused" }, [el("strong", {}, [f.name]), ": " + note]));
    });
    if (ui.team.length) {
      list.appendChild(el("li", { "class": "la-team-kept" }, [say(ui.teamNotKept ? "team_not_kept" : "team_kept")]));
    }
    var used = ui.team.filter(function (f) { return f.data; }).slice()
      .sort(function (a, b) { return a.name < b.name ? -1 : (a.name > b.name ? 1 : 0); });
    box.textContent = "";
    if (!used.length) { box.hidden = true; ui.teamShown = null; return; }
    var got = loadTeam(ui.kinds, ui.bank, used.map(function (f) { return { source: f.name, data: f.data }; }),
      { lenientOld: true });
    var result = score(ui.kinds, ui.bank, got.team);  /* departments pooled by the bank's min_group */
    box.hidden = false;
    var conflicts = profileConflicts(got.team, result);
    if (conflicts.length) {
      box.appendChild(el("div", { "class": "admonition warning la-team-conflicts", "data-team-conflicts": "" }, [
        el("p", { "class": "admonition-title" }, [say("team_conflicts")]),
        el("ul", {}, conflicts.map(function (c) { return el("li", { "data-conflict": c.id }, [c.text]); }))]));
    }
    box.appendChild(teamSummary(result));
    if (shownProvisional(result.overall)) { box.appendChild(el("p", { "class": "la-level-summary" }, [provisionalNote()])); }
    box.appendChild(el("p", { "class": "la-team-sort" }, [
      el("span", {}, [say("team_sort") + ": "]),
      el("button", { type: "button", "class": "md-button" + (ui.teamSort === "divergence" ? "" : " md-button--primary"),
        "data-action": "team-sort", "data-sort": "bank", "aria-pressed": String(ui.teamSort !== "divergence") },
      [say("team_sort_bank")]), " ",
      el("button", { type: "button", "class": "md-button" + (ui.teamSort === "divergence" ? " md-button--primary" : ""),
        "data-action": "team-sort", "data-sort": "divergence", "aria-pressed": String(ui.teamSort === "divergence") },
      [say("team_sort_divergence")]), " ",
      el("button", { type: "button", "class": "md-button", "data-action": "team-csv" }, [say("team_csv")])]));
    var table = teamTable(result, got.team);
    box.appendChild(table.node);
    ui.teamShown = table.rows;
    var shown = Object.keys(result.departments).reduce(function (n, k) { return n + result.departments[k].respondents; }, 0);
    if (result.min_group > 1) {
      box.appendChild(el("p", { "class": "la-team-note", "data-team-pooled": String(result.min_group) }, [
        say("team_pooled", { n: result.min_group }) +
        (shown < result.respondents ? " " + say("team_left_out", { n: result.respondents - shown, total: result.respondents }) : "")]));
    }
    box.appendChild(el("h2", {}, [say("diagnoses")]));
    box.appendChild(diagnosesList(result));
    box.appendChild(el("h2", {}, [say("recommendations")]));
    box.appendChild(recommendationsList(result, 5));
    box.appendChild(el("h2", {}, [say("team_texts")]));
    box.appendChild(teamTexts(result, got.team));
    var notes = teamNotes(used, got.team, result);
    if (notes.length) {
      box.appendChild(el("h2", {}, [say("warnings")]));
      box.appendChild(el("ul", { "class": "la-warnings", "data-team-notes": "" }, notes.map(function (w) { return el("li", {}, [w]); })));
    }
  }

  function teamSummary(result) {
    var profile = (ui.bank.profile || []).filter(function (p) { return has(result.profile, p.id); }).map(function (p) {
      return t(p.text) + " " + optionLabel(p, result.profile[p.id]);
    });
    return el("div", { "class": "la-summary" }, [
      el("p", { "class": "la-summary__score" }, [el("span", { "class": "la-summary__label" }, [say("overall_score")]), " ",
        el("span", { "class": "la-summary__value" }, [
          markProvisional(el("span", { "class": "la-big", "data-team-score": "overall" }, [num(result.overall.score, 1)]),
            shownProvisional(result.overall)),
          shownProvisional(result.overall) ? provisionalBadge() : null])]),
      el("p", { "class": "la-summary__item" }, [el("span", { "class": "la-summary__label" }, [say("level")]), " ",
        markProvisional(el("span", { "data-team-level": "overall" }, [levelText(result.overall) || "—"]),
          shownProvisional(result.overall))]),
      el("p", { "class": "la-summary__item" }, [el("span", { "class": "la-summary__label" }, [say("completion")]), " ",
        pct(result.overall.completion, 0)]),
      el("p", { "class": "la-summary__item" }, [say("team_respondents", { n: result.respondents })]),
      profile.length ? el("p", { "class": "la-summary__wide" }, [say("profile_used") + ": " + profile.join(" · ")]) : null
    ]);
  }

  /* A score's band for the heat map: 0 (under 20) to 4 (80 and over). */
  function heat(value) {
    return value === null || value === undefined ? "" : " la-heat la-heat--" + Math.min(4, Math.floor(value / 20));
  }

  /* The respondents of each department as the result pools them, for drill-down and texts. */
  function teamGroups(result, team) {
    return departmentsOf(ui.bank, team.respondents, result.min_group).filter(function (g) {
      return has(result.departments, g[0]);
    });
  }

  function meanScore(q, respondents) {
    var scores = [];
    respondents.forEach(function (r) {
      var s = answerScore(ui.kinds, q, r.answers.get(q.id));
      if (s !== null) { scores.push(s); }
    });
    return scores.length ? 100 * (total(scores) / scores.length) : null;
  }

  /* The heat map: team and departments by area and section, in the bank's order or by
     divergence; each section opens onto its questions. Returns {node, rows} (rows: what
     the CSV export writes, as shown). */
  function teamTable(result, team) {
    var depts = Object.keys(result.departments);
    var groups = teamGroups(result, team);
    var rows = [[say("col_item"), say("team")].concat(depts.map(function (k) {
      return deptLabel(k) + " (" + result.departments[k].respondents + ")";
    })).concat([say("divergence")])];
    var head = el("tr", {}, rows[0].map(function (text) { return el("th", { scope: "col" }, [text]); }));
    function row(kind, id, title, node, values, drill) {
      var ref = kind + ":" + id;
      var cells = [el("th", { scope: "row" }, [title, drill ? " " : null, drill])];
      cells.push(el("td", { "class": "la-num" + heat(node.score) }, [
        markProvisional(el("span", { "data-team-score": ref }, [num(node.score, 1)]), shownProvisional(node)),
        shownProvisional(node) ? el("br") : null, shownProvisional(node) ? provisionalBadge() : null]));
      values.forEach(function (v) { cells.push(el("td", { "class": "la-num" + heat(v) }, [num(v, 1)])); });
      var flag = node.flagged ? el("span", { "class": "la-flag" }, [" ⚑ ", el("span", { "class": "la-sr" }, [say("flagged")])]) : null;
      cells.push(el("td", { "class": "la-num" + (node.flagged ? " is-flagged" : ""), "data-divergence": ref },
        [num(node.divergence, 1), flag]));
      rows.push([title, num(node.score, 1)].concat(values.map(function (v) { return num(v, 1); }))
        .concat([num(node.divergence, 1)]));
      return el("tr", { "class": kind === "area" ? "la-table__area" : "", "data-team-row": ref }, cells);
    }
    function questionRows(section) {
      var index = bankIndex(ui.bank);
      return index.sections[section.id].section.questions.filter(function (q) {
        return has(result.questions, q.id) && isScored(ui.kinds, q);
      }).map(function (q) {
        var values = groups.map(function (g) { return meanScore(q, g[1]); });
        var teamValue = result.questions[q.id].score;
        return el("tr", { "class": "la-team-question", "data-team-question": q.id, hidden: "hidden" },
          [el("th", { scope: "row" }, [questionLink(q.id)]),
            el("td", { "class": "la-num" + heat(teamValue) }, [num(teamValue, 1)])]
            .concat(values.map(function (v) { return el("td", { "class": "la-num" + heat(v) }, [num(v, 1)]); }))
            .concat([el("td", { "class": "la-num" }, [num(spreadOf(values), 1)])]));
      });
    }
    var table = el("table", { "class": "la-table la-team-table" }, [el("thead", {}, [head])]);
    var top = row("overall", "", say("overall"), result.__overall, depts.map(function (k) { return result.departments[k].overall; }));
    top.querySelector("[data-team-score]").removeAttribute("data-team-score");
    table.appendChild(el("tbody", {}, [top]));
    var sectionRow = function (area, section) {
      var drill = el("button", { type: "button", "class": "la-drill", "data-action": "team-drill", "data-section": section.id,
        "aria-expanded": "false" }, [say("team_show_questions")]);
      var body = [row("section", section.id, t(section.title), result.sections[section.id],
        depts.map(function (k) { return result.departments[k].sections[section.id]; }), drill)];
      return body.concat(questionRows(section));
    };
    if (ui.teamSort === "divergence") {
      var items = [];
      ui.bank.areas.forEach(function (area) {
        area.sections.forEach(function (section) {
          if (has(result.sections, section.id)) { items.push({ area: area, section: section, d: result.sections[section.id].divergence }); }
        });
      });
      items.sort(function (a, b) {  /* largest first; none last; ties in the bank's order (a stable sort) */
        var da = a.d === null ? -1 : a.d, db = b.d === null ? -1 : b.d;
        return db - da;
      });
      var body = el("tbody");
      items.forEach(function (item) { sectionRow(item.area, item.section).forEach(function (r) { body.appendChild(r); }); });
      table.appendChild(body);
    } else {
      ui.bank.areas.forEach(function (area) {
        if (!has(result.areas, area.id)) { return; }
        var body = el("tbody");
        body.appendChild(row("area", area.id, t(area.title), result.areas[area.id],
          depts.map(function (k) { return result.departments[k].areas[area.id]; })));
        area.sections.forEach(function (section) {
          if (!has(result.sections, section.id)) { return; }
          sectionRow(area, section).forEach(function (r) { body.appendChild(r); });
        });
        table.appendChild(body);
      });
    }
    return { node: el("div", { "class": "la-scroll" }, [table]), rows: rows };
  }

  /* Free-text answers and comments, by department as the result pools them (no names). */
  function teamTexts(result, team) {
    var groups = teamGroups(result, team);
    var box = el("div", { "class": "la-team-texts", "data-team-texts": "" });
    var any = false;
    groups.forEach(function (g) {
      var items = [];
      ui.bank.areas.forEach(function (area) {
        area.sections.forEach(function (section) {
          section.questions.forEach(function (q) {
            var texts = [];
            g[1].forEach(function (r) {
              var value = r.answers.get(q.id);
              if (!isCounted(ui.kinds, q) && typeof value === "string" && value.trim()) { texts.push(value); }
              if (has(r.comments, q.id) && r.comments[q.id].trim()) { texts.push(say("comment_word") + ": " + r.comments[q.id]); }
            });
            if (texts.length) {
              items.push(el("li", { "data-text-question": q.id }, [
                el("p", { "class": "la-team-texts__q" }, [questionLink(q.id)]),
                el("ul", {}, texts.map(function (x) { return el("li", {}, [x]); }))]));
            }
          });
        });
      });
      if (items.length) {
        any = true;
        box.appendChild(el("h3", { "data-text-department": g[0] }, [deptLabel(g[0]) + " (" + g[1].length + ")"]));
        box.appendChild(el("ul", {}, items));
      }
    });
    if (!any) { box.appendChild(el("p", {}, [say("team_texts_none")])); }
    if (result.min_group > 1) { box.appendChild(el("p", { "class": "la-team-note" }, [say("team_texts_note", { n: result.min_group })])); }
    return box;
  }

  function teamCsv() {
    if (!ui.teamShown) { return; }
    var text = ui.teamShown.map(function (cells) {
      return cells.map(function (c) {
        var s = String(c === null || c === undefined ? "" : c);
        return /[",;\n\r]/.test(s) || /^[=+\-@]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
      }).join(ui.lang && decimalSign(ui.lang) === "," ? ";" : ",");
    }).join("\r\n") + "\r\n";
    var name = slug(ui.bank.id) + "-" + slug(say("team")) + "-" + new Date().toISOString().slice(0, 10) + ".csv";
    download(name, new root.Blob(["\ufeff" + text], { type: "text/csv" }));
  }

  /* -------------------------------------------------------------------- events --- */

  function onChange(event) {
    var target = event.target;
    if (!ui.data || !(target instanceof root.Element)) { return; }
    if (target.matches("[data-action=import]")) { importAnswers(target); return; }
    if (target.matches("[data-team-files]")) { teamAdd(target.files); target.value = ""; return; }
    var field = target.closest("[data-question]");
    if (field) {
      if (target.type === "radio" || target.type === "checkbox") { readQuestion(field, target); }
      return;
    }
    var profile = target.closest("[data-profile]");
    if (profile && target.checked) {
      put(ui.state.profile, profile.getAttribute("data-profile"), target.value);
      save();
      refresh();
      return;
    }
    if (target.matches("select[data-respondent]")) {
      ui.state[target.getAttribute("data-respondent")] = target.value;
      save();
    }
  }

  function onInput(event) {
    var target = event.target;
    if (!ui.data || !(target instanceof root.Element)) { return; }
    if (target.matches("[data-comment]")) {
      var id = target.getAttribute("data-comment");
      if (target.value.trim()) { put(ui.state.comments, id, target.value); } else { delete ui.state.comments[id]; }
      save();
      return;
    }
    if (target.matches("input[data-respondent]")) {
      ui.state[target.getAttribute("data-respondent")] = target.value;
      save();
      return;
    }
    var field = target.closest("[data-question]");
    if (field && target.matches("input[data-number], textarea")) { readQuestion(field, target); }
  }

  function onClick(event) {
    var target = event.target instanceof root.Element ? event.target.closest("[data-action]") : null;
    if (!ui.data || !target) { return; }
    var action = target.getAttribute("data-action");
    if (action === "clear") {
      var field = target.closest("[data-question]");
      if (field) { clearQuestion(field); }
    } else if (action === "export") {
      exportAnswers();
    } else if (action === "submit") {
      submitAnswers();
    } else if (action === "undo-import") {
      undoImport();
    } else if (action === "reset") {
      resetAnswers();
    } else if (action === "print") {
      root.print();
    } else if (action === "team-add-own") {
      addOwnAnswers();
    } else if (action === "team-clear") {
      ui.team = [];
      keepTeam();
      renderTeam();
    } else if (action === "team-sort") {
      ui.teamSort = target.getAttribute("data-sort");
      renderTeam();
    } else if (action === "team-drill") {
      var open = target.getAttribute("aria-expanded") !== "true";
      target.setAttribute("aria-expanded", String(open));
      $$('[data-team-question]', target.closest("tbody")).forEach(function (tr) {
        var id = tr.getAttribute("data-team-question");
        if (bankIndex(ui.bank).questions[id].section.id === target.getAttribute("data-section")) { tr.hidden = !open; }
      });
    } else if (action === "team-csv") {
      teamCsv();
    }
  }

  function onDrag(event) {
    var zone = event.target instanceof root.Element ? event.target.closest("[data-la-drop]") : null;
    if (!zone) { return; }
    event.preventDefault();
    zone.classList.toggle("is-over", event.type === "dragover");
    if (event.type === "drop" && event.dataTransfer) { teamAdd(event.dataTransfer.files); }
  }

  function bind() {
    if (ui.bound) { return; }
    ui.bound = true;
    var d = doc();
    d.addEventListener("change", onChange);
    d.addEventListener("input", onInput);
    d.addEventListener("click", onClick);
    d.addEventListener("click", noteLeaving, true);
    root.addEventListener("storage", onStorage);
    root.addEventListener("beforeunload", onBeforeUnload);
    ["dragover", "dragleave", "drop"].forEach(function (name) { d.addEventListener(name, onDrag); });
    root.addEventListener("beforeprint", function () {  /* print what is still unanswered in full, dated today */
      $$(".la-unanswered details").forEach(function (details) { details.open = true; });
      if (ui.data) { fillPrintHead(); }
    });
  }

  /* The page's skip link becomes its first Tab stop (WCAG 2.4.1, bypass blocks): it takes the
     place of the theme's own in the skip slot before the header and the navigation, styled as
     the theme's. A theme without that slot keeps it at the top of the page's content. */
  function placeSkip(page) {
    var slot = $('[data-md-component="skip"]'), link = $("[data-la-skip]", page);
    if (!slot || !link) { return; }
    link.classList.add("md-skip");
    slot.replaceChildren(link);
  }

  /* Runs on every page view: first load and each instant navigation. */
  function setup() {
    /* The page's data (bank, kinds, words) is its language's data file, which the element
       #loyalty-audit-data loads once for every page of that language. Should it not have run
       yet (an instant navigation into another language), it is loaded now, then setup runs. */
    var node = doc().getElementById("loyalty-audit-data");
    var page = $("[data-la-page]");
    if (!node || !page) { ui.data = null; return; }
    var lang = node.getAttribute("data-lang");
    var data = (root.LoyaltyAuditData || {})[lang];
    if (!data) {
      ui.data = null;
      var script = doc().createElement("script");
      script.onload = function () { if ((root.LoyaltyAuditData || {})[lang]) { setup(); } };
      script.src = node.src;
      doc().head.appendChild(script);
      return;
    }
    var sameBank = ui.data && ui.data.bank.id === data.bank.id && ui.data.bank.version === data.bank.version;
    ui.data = data;
    ui.bank = data.bank;
    ui.kinds = data.kinds;
    ui.s = data.strings || {};
    ui.lang = data.lang;
    ui.root = page.getAttribute("data-root") || "./";
    ui.key = "loyalty-audit:" + ui.bank.id + ":" + ui.bank.version;
    if (!sameBank) { ui.team = []; }
    if (page.getAttribute("data-la-page") === "team" && !ui.team.length) { loadKeptTeam(); }
    ui.formats = {};
    ui.state = loadState();
    if (!ui.state.organisation) { ui.state.organisation = blankState().organisation; }
    if (doc().documentElement.lang !== ui.lang) { doc().documentElement.lang = ui.lang; }
    placeSkip(page);
    showOptionHelp();
    fillControls();
    showNotice();
    refresh();
    showSent();
    offerUndo();
    if (page.getAttribute("data-la-page") === "team") { renderTeam(); }
  }

  function start() {
    if (!root.document) { return; }
    bind();
    if (root.document$ && typeof root.document$.subscribe === "function") {
      root.document$.subscribe(function () { setup(); });
    } else if (doc().readyState === "loading") {
      doc().addEventListener("DOMContentLoaded", setup);
    } else {
      setup();
    }
  }

  engine.start = start;
  engine.setup = setup;
  engine.ui = ui;
  return engine;
}));
