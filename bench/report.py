#!/usr/bin/env python3
"""Prints the results table of bench/README.md from bench/results/*.json."""
import json
import pathlib

here = pathlib.Path(__file__).parent / "results"
res = {e: json.loads((here / f"{e}.json").read_text()) for e in ("sqlite", "postgres") if (here / f"{e}.json").exists()}


def lat(d):
    return f"{d['p50_ms']:.1f} / {d['p99_ms']:.1f}"


def dist(r, key):
    if key not in r:
        return "—"
    d = r[key]
    bad = f", {d['non_2xx'] + d['errors']} failed" if d["non_2xx"] or d["errors"] else ""
    return f"{d['req_per_s']:,.0f}; {d['p50_ms']:.1f} / {d['p99_ms']:.1f}{bad}"


rows = [
    ("Search API, mixed query set (p50 / p99 ms)", "≤ 5 / ≤ 25", lambda r: lat(r["search_api"])),
]
classes = ["rare word", "common word", "filters only", "empty", "words and filters", "prefix as you type", "words and sort"]
for c in classes:
    rows.append((f"— {c}", "", lambda r, c=c: lat(r["search_api_by_class"][c])))
rows += [
    ("Search API as a signed-in student: relevance, then match (p50 / p99 ms)", "", lambda r: lat(r["search_api_student"]) if "search_api_student" in r else "—"),
    ("Slowest query in the set (p99 ms)", "", lambda r: f"{r['slowest_query']['p99_ms']:.1f} `{r['slowest_query']['path'].split('?', 1)[1]}`"),
    ("Search page, uncached render (p50 / p99 ms)", "", lambda r: lat(r["search_page_uncached"]) if "search_page_uncached" in r else "—"),
    ("Default `/projects` page, uncached (p50 / p99 ms)", "p50 ≤ 20", lambda r: lat(r["default_page_uncached"]) if "default_page_uncached" in r else "—"),
    ("Search API, 2,000 distinct queries at 32 connections (req/s; p50 / p99 ms)", "", lambda r: dist(r, "load_distinct_api")),
    ("Search page with facets, 2,000 distinct queries, none cached (req/s; p50 / p99 ms)", "≥ 500; p99 ≤ 250", lambda r: dist(r, "load_distinct_page")),
    ("— server RSS during that load (max MiB)", "", lambda r: str(r["load_distinct_page"]["rss_during_max_mib"]) if "load_distinct_page" in r else "—"),
    ("One popular page under load, 32 connections (req/s; p99 ms)", "p99 ≤ 50", lambda r: f"{r['load_search_page']['req_per_s']:,.0f}; {r['load_search_page']['p99_ms']}"),
    ("`/healthz` under the same load (req/s, the ceiling)", "", lambda r: f"{r['load_healthz']['req_per_s']:,.0f}"),
    ("Top-5 matches for a student (p50 / p99 ms)", "p99 ≤ 25", lambda r: lat(r["top5_matches"])),
    ("Ranking 2,000 applicants, best 50 returned (p50 / p99 ms)", "p99 ≤ 25", lambda r: lat(r["rank_applicants"])),
    ("— the same, 200 returned (p50 / p99 ms)", "", lambda r: lat(r["rank_applicants_200"]) if "rank_applicants_200" in r else "—"),
    ("Server memory after the run (RSS / peak MiB)", "SQLite RSS ≤ 200", lambda r: f"{r['memory_after_load']['rss_mib']} / {r['memory_after_load']['peak_rss_mib']}"),
    ("Publish a project (ms)", "", lambda r: f"{r['publish_alerts']['publish_ms']:.0f}"),
    ("Publish → first alert in the app (ms)", "", lambda r: f"{r['publish_alerts']['alert_delivered_ms']:.0f}"),
]
engines = list(res)
print("| measure | target | " + " | ".join(e.replace("sqlite", "SQLite").replace("postgres", "PostgreSQL") for e in engines) + " |")
print("| --- | --- | " + " | ".join("---" for _ in engines) + " |")
for name, target, f in rows:
    print(f"| {name} | {target} | " + " | ".join(f(res[e]) for e in engines) + " |")

cold = here / "cold_start.json"
if cold.exists():
    c = json.loads(cold.read_text())
    print()
    print(f"`serve --demo` on an empty directory: ready in {c['ready_ms']} ms (target ≤ 1,500), "
          f"{c['rss_mib']} MiB RSS when ready (target ≤ 100).")
