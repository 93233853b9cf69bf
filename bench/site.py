"""Measure the self-assessment site: build time, weight, live rescoring, and our assets.

    .venv/bin/python bench/site.py [--runs 5] [--clicks 60]

(a) ``mkdocs build`` with the plugin (bank loading and page generation included) against a
    plain mkdocs-material build of the very same pages, data files and assets, written out by
    ``loyalty-audit site`` (:func:`audit.run.site.write_site`): the same theme, features and
    palette, and the same ``plugins:`` key on both sides (no search: the plugin's side has
    ``plugins: [loyalty-audit]``, the plain side ``plugins: []``). For the default bank (75
    questions) and for a generated 1,000-question bank; each side in this process,
    alternating, median of ``--runs``.
    Peak memory of each side: one build in a fresh process (its VmHWM), ours against plain.
(b) The weight of the built sites: in all, the largest page, the data files.
(c) Live rescoring in headless Chromium: the time from a click on an answer to the page
    being saved, rescored and laid out again, on a section page with every question
    already answered, for the default bank and for the 1,000-question bank.
(d) Our one script and one stylesheet as the site ships them (the script minified), gzipped
    (level 9).

Prints a table; the figures are reported in bench/README.md. Timings vary between
machines: compare ratios, and never use these numbers in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from audit.read.bank import load_bank  # noqa: E402
from audit.read.messages import load_messages  # noqa: E402
from audit.run.batch import peak_kib  # noqa: E402
from audit.run.site import FEATURES, PALETTE, write_site  # noqa: E402
from audit.site.pages import ASSETS, build_site, site_templates_dir  # noqa: E402
from audit.site.plugin import asset_text  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
THEME = {"name": "material", "font": False, "features": FEATURES, "palette": PALETTE}


def _quiet() -> contextlib.AbstractContextManager[Any]:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    return contextlib.redirect_stderr(io.StringIO())


def _build(config_file: Path, site: Path) -> float:
    with _quiet():
        start = time.perf_counter()
        build(load_config(str(config_file), site_dir=str(site)))
        return time.perf_counter() - start


def peak_memory(config_file: Path, site: Path) -> float:
    """Peak resident memory (MiB) of a fresh process making one build of ``config_file``."""
    done = subprocess.run([sys.executable, __file__, "--child", str(config_file), str(site)], capture_output=True,
                          text=True, check=True)
    return float(json.loads(done.stdout)["maxrss_mib"])


def child(config_file: Path, site: Path) -> None:
    """One build, then this process's peak resident memory."""
    _build(config_file, site)
    print(json.dumps({"maxrss_mib": peak_kib() / 1024}))


def plugin_config(bank_dir: Path, work: Path, lang: str) -> Path:
    """A site with the plugin over ``bank_dir``: the theme of the plain project, no search."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "docs").mkdir(exist_ok=True)
    config = work / "mkdocs.yml"
    config.write_text(json.dumps({"site_name": "Bench", "docs_dir": "docs", "use_directory_urls": False,
                                  "theme": {**THEME, "language": lang},
                                  "plugins": [{"loyalty-audit": {"bank": str(bank_dir)}}]}), encoding="utf-8")
    return config


def site_weight(site: Path) -> dict[str, float]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    data = [p for p in files if p.name.startswith("loyalty-audit-data.")]
    return {"total": sum(p.stat().st_size for p in files), "largest": max(p.stat().st_size for p in pages),
            "pages": len(pages), "data": sum(p.stat().st_size for p in data)}


def bench_build(runs: int, bank_dir: Path, work: Path, ours_config: Path | None = None) -> dict[str, Any]:
    """Ours (the plugin) against the plain project of the same bank, alternating."""
    lang = load_bank(bank_dir).languages[0]
    ours_config = ours_config or plugin_config(bank_dir, work / "ours-project", lang)
    plain = write_site(work / "plain-project", bank_dir=bank_dir).root / "mkdocs.yml"
    ours, theirs = [], []
    _build(ours_config, work / "warm-ours")  # imports and disk caches, both sides
    _build(plain, work / "warm-plain")
    for i in range(runs):
        ours.append(_build(ours_config, work / f"ours{i}"))
        theirs.append(_build(plain, work / f"plain{i}"))
    plugin = []
    for _ in range(runs):
        start = time.perf_counter()
        build_site(load_bank(bank_dir), load_messages([site_templates_dir()]))
        plugin.append(time.perf_counter() - start)
    same = sorted(p.relative_to(work / "ours0").as_posix() for p in (work / "ours0").rglob("*.html"))
    assert same == sorted(p.relative_to(work / "plain0").as_posix() for p in (work / "plain0").rglob("*.html"))
    return {"ours": statistics.median(ours), "plain": statistics.median(theirs), "pages": len(same),
            "plugin": statistics.median(plugin), "weight": site_weight(work / "ours0"),
            "plain_weight": site_weight(work / "plain0"),
            "mem_ours": peak_memory(ours_config, work / "mem-ours"),
            "mem_plain": peak_memory(plain, work / "mem-plain")}


# -- a generated 1,000-question bank ------------------------------------------------------

def large_bank(folder: Path, areas: int = 4, sections: int = 10, questions: int = 25) -> None:
    rng = random.Random(1000)
    folder.mkdir(parents=True, exist_ok=True)
    scale = [{"key": k, "label": f"Level {k}", "score": k / 4} for k in range(5)]
    names = []
    n = 0
    for a in range(areas):
        secs = []
        for s in range(sections):
            qs = []
            for _ in range(questions):
                n += 1
                kind = rng.choices(["scale", "choice", "multi", "number", "text"], [70, 10, 10, 5, 5])[0]
                q: dict[str, Any] = {"id": f"q{n}", "text": f"Question {n}: how well is this done today?",
                                     "help": "What good looks like, and the evidence to ask for.",
                                     "suggestion": "Do it better.", "effort": rng.choice(["low", "medium", "high"])}
                if kind == "scale":
                    q.update(scale="maturity", weight=rng.choice([1, 1, 2, 0.5]), na=rng.random() < 0.3)
                elif kind in ("choice", "multi"):
                    q.update(type=kind, options=[{"key": f"o{k}", "label": f"Option {k}",
                                                  "score": round(rng.random() * 0.6, 2)} for k in range(5)])
                elif kind == "number":
                    q.update(type="number", unit="days", range=[0, 100],
                             bands=[{"max": 2, "score": 1}, {"max": 10, "score": 0.5}, {"score": 0}])
                else:
                    q.update(type="text")
                if rng.random() < 0.05:
                    q["applies_if"] = {"size": ["large"]}
                qs.append(q)
            secs.append({"id": f"a{a}-s{s}", "title": f"Section {a + 1}.{s + 1}", "questions": qs})
        name = f"area{a}.yaml"
        (folder / name).write_text(json.dumps({"id": f"a{a}", "title": f"Area {a + 1}", "sections": secs}),
                                   encoding="utf-8")
        names.append(name)
    bank = {"id": "large", "version": "1", "languages": ["en"], "title": "A 1,000-question bank",
            "scales": {"maturity": scale},
            "levels": [{"key": "low", "from": 0, "label": "Low"}, {"key": "high", "from": 50, "label": "High"}],
            "departments": [{"key": f"d{i}", "label": f"Department {i}"} for i in range(6)],
            "profile": [{"id": "size", "text": "Size?", "options": [{"key": "small", "label": "Small"},
                                                                     {"key": "large", "label": "Large"}]}],
            "areas": names,
            "rules": [{"id": "gap", "when": [{"gap": ["a0", "a1"], "at_least": 10}], "title": "Gap"}]}
    (folder / "bank.yaml").write_text(json.dumps(bank), encoding="utf-8")


def full_answers(bank_dir: Path) -> dict[str, Any]:
    """A saved state with every question answered, as the page keeps it in localStorage."""
    bank = load_bank(bank_dir)
    answers: dict[str, Any] = {}
    for _, _, q in bank.questions():
        if q.type in ("scale", "choice"):
            answers[q.id] = (q.options or [])[-2].key
        elif q.type == "multi":
            answers[q.id] = [o.key for o in (q.options or [])[:2]]
        elif q.type == "number":
            answers[q.id] = 4
        else:
            answers[q.id] = "Notes."
    return {"organisation": "Bench", "name": "", "department": "", "profile": {}, "answers": answers,
            "comments": {}, "updated": None}


def site_of(bank_dir: Path, work: Path) -> Path:
    _build(plugin_config(bank_dir, work, load_bank(bank_dir).languages[0]), work / "site")
    return work / "site"


RESCORE_JS = """async ({runs}) => {
  const inputs = Array.from(document.querySelectorAll('[data-question] input[type=radio]'))
    .filter(i => i.value !== 'na' && !i.closest('[hidden]'));
  const script = [], layout = [];
  for (let i = 0; i < runs; i++) {
    const input = inputs[(i * 7) % inputs.length];
    const start = performance.now();
    input.click();                       // change: save, rescore, update the page
    const handled = performance.now();
    document.body.offsetHeight;          // and lay the page out again
    layout.push(performance.now() - start);
    script.push(handled - start);
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  return {script, layout, inputs: inputs.length};
}"""


def bench_rescoring(runs: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        large_bank(work / "large-bank")
        sites = {
            "default": (ROOT / "questions", site_of(ROOT / "questions", work / "default"), "back_office/delivery.html"),
            "large": (work / "large-bank", site_of(work / "large-bank", work / "large"), "a1/a1-s4.html"),
        }
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, (bank_dir, site, page_path) in sites.items():
                bank = load_bank(bank_dir)
                page = browser.new_page()
                page.goto((site / page_path).as_uri())
                key = f"loyalty-audit:{bank.id}:{bank.version}"
                page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(full_answers(bank_dir))])
                page.reload()
                got = page.evaluate(RESCORE_JS, {"runs": runs})
                out[name] = {
                    "questions": len(bank.questions()),
                    "script": statistics.median(got["script"]),
                    "layout": statistics.median(got["layout"]),
                    "p95": sorted(got["layout"])[int(0.95 * (len(got["layout"]) - 1))],
                }
                page.close()
        finally:
            browser.close()
    return out


def bench_size() -> dict[str, int]:
    """Our script and stylesheet as the site ships them (the script minified)."""
    folder = site_templates_dir() / "assets"
    raw = {k: asset_text(folder / name).encode("utf-8") for k, name in ASSETS.items()}
    return {**{f"{k}_raw": len(v) for k, v in raw.items()},
            **{f"{k}_gzip": len(gzip.compress(v, 9)) for k, v in raw.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per side (default 5)")
    parser.add_argument("--clicks", type=int, default=60, help="answers clicked per bank (default 60)")
    parser.add_argument("--no-browser", action="store_true", help="builds and weight only")
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    size = bench_size()
    mib = 1024 * 1024
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        large_bank(work / "large-bank")
        builds = {"default": bench_build(args.runs, ROOT / "questions", work / "default", ROOT / "mkdocs.yml"),
                  "1,000-question": bench_build(args.runs, work / "large-bank", work / "large")}
    for name, built in builds.items():
        w, pw = built["weight"], built["plain_weight"]
        rows += [
            (f"site build, {name} bank: ours / plain mkdocs-material", f"{built['ours'] / built['plain']:.2f}x",
             "<= 1.10x"),
            (f"  ours ({built['pages']:.0f} pages, bank loading included)", f"{built['ours']:.2f} s", ""),
            ("  of which loading the bank and making the pages", f"{built['plugin']:.2f} s", ""),
            ("  plain, the same pages as files, same plugins", f"{built['plain']:.2f} s", ""),
            ("  peak memory of one build, ours / plain",
             f"{built['mem_ours'] / built['mem_plain']:.2f}x ({built['mem_ours']:.0f} / {built['mem_plain']:.0f} MiB)",
             ""),
            (f"site weight, {name} bank: in all", f"{w['total'] / mib:.2f} MiB",
             "< 1.5 MiB" if name == "default" else ""),
            ("  largest page", f"{w['largest'] / 1024:.1f} KiB", "<= 60 KiB"),
            ("  data files (the bank once per language)", f"{w['data'] / 1024:.0f} KiB", ""),
            ("  plain project's build, in all", f"{pw['total'] / mib:.2f} MiB", ""),
        ]
    live = {} if args.no_browser else bench_rescoring(args.clicks)
    gz = (size["js_gzip"] + size["css_gzip"]) / 1024
    for name, r in live.items():
        rows.append((f"rescoring after one answer, {name} bank ({r['questions']:.0f} q.)",
                     f"{r['layout']:.1f} ms", "< 16 ms"))
        rows.append(("  of which script / 95th percentile", f"{r['script']:.1f} / {r['p95']:.1f} ms", ""))
    rows.append(("our JS + CSS as shipped, gzipped", f"{gz:.1f} KB", "< 25 KB"))
    rows.append(("  JS / CSS gzipped (raw)",
                 f"{size['js_gzip'] / 1024:.1f} / {size['css_gzip'] / 1024:.1f} KB "
                 f"({size['js_raw'] / 1024:.0f} / {size['css_raw'] / 1024:.0f} KB)", ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>22}  target")
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>22}  {target}")


if __name__ == "__main__":
    main()
