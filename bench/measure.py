#!/usr/bin/env python3
"""Measures a running Stint server loaded with `stint bench-data`.

Latency: sequential requests over one keep-alive connection, after a
warm-up pass, so the numbers are the server's time plus loopback, not queueing.
Throughput: ApacheBench (`ab -k -c 32`) on loopback, the search page beside
a trivial route (`/healthz`) as the ceiling. Memory: the server's VmRSS and
VmHWM from /proc. Prints one JSON object.
"""
import argparse
import http.client
import json
import re
import statistics
import subprocess
import time
import urllib.parse

PASSWORD = "bench-password-2026"

# The fixed, mixed query set: (class, query string for /api/v1/projects).
QUERIES = [
    ("rare word", "q=zephyrine"),
    ("rare word", "q=quillmark"),
    ("rare word", "q=vellichor+brand"),
    ("common word", "q=the"),
    ("common word", "q=data"),
    ("common word", "q=project+for"),
    ("common word", "q=research"),
    ("filters only", "category=finance"),
    ("filters only", "mode=remote&max_hours=10"),
    ("filters only", "currency=INR&min_price=5000"),
    ("filters only", "for_credit=true&category=software"),
    ("empty", ""),
    ("empty", "sort=newest"),
    ("words and filters", "q=survey&category=market-research"),
    ("words and filters", "q=pricing&mode=remote"),
    ("words and filters", "q=customer+feedback&max_hours=20"),
    ("words and filters", "q=brand&currency=GBP"),
    ("prefix as you type", "q=compet"),
    ("prefix as you type", "q=onboard"),
    ("words and sort", "q=analyse&sort=price"),
]


def pct(values, p):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Client:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method, path, token=None, body=None):
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        payload = r.read()
        ms = (time.perf_counter() - t0) * 1000
        return r.status, payload, ms


def token(c, email):
    s, body, _ = c.request("POST", "/api/v1/auth/token", body={"email": email, "password": PASSWORD})
    if s != 201:
        raise SystemExit(f"cannot sign in as {email}: {s} {body[:200]}")
    return json.loads(body)["token"]


def latency(c, paths, rounds, tok=None, warm=True):
    for p in paths if warm else []:
        c.request("GET", p, tok)
    out = {}
    for _ in range(rounds):
        for p in paths:
            s, body, ms = c.request("GET", p, tok)
            if s != 200:
                raise SystemExit(f"{p}: {s} {body[:300]}")
            out.setdefault(p, []).append(ms)
    return out


def summary(ms):
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 2), "p99_ms": round(pct(ms, 99), 2),
            "max_ms": round(max(ms), 2), "mean_ms": round(statistics.mean(ms), 2)}


def ab(base, path, seconds, conc=32, token=None):
    auth = ["-H", f"Authorization: Bearer {token}"] if token else []
    out = subprocess.run(["ab", "-k", "-q", "-c", str(conc), "-t", str(seconds), "-n", "10000000", *auth, base + path],
                         capture_output=True, text=True)
    rps = re.search(r"Requests per second:\s+([\d.]+)", out.stdout)
    failed = re.search(r"Failed requests:\s+(\d+)", out.stdout)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out.stdout)
    p50 = re.search(r"\n\s+50%\s+(\d+)", out.stdout)
    p99 = re.search(r"\n\s+99%\s+(\d+)", out.stdout)
    if not rps:
        raise SystemExit(f"ab failed on {path}: {out.stdout[-500:]} {out.stderr[-500:]}")
    return {"path": path, "concurrency": conc, "seconds": seconds, "req_per_s": float(rps.group(1)),
            "failed": int(failed.group(1)) if failed else None, "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "p50_ms": int(p50.group(1)) if p50 else None, "p99_ms": int(p99.group(1)) if p99 else None}


# Words people type: common, rare, verbs and objects of the loaded titles, and
# the first letters of a word as it is typed.
WORDS = ["the", "for", "data", "research", "survey", "pricing", "brand", "customer", "feedback", "analyse",
         "design", "write", "build", "map", "clean", "test", "plan", "review", "audit", "model", "summarise",
         "prototype", "competitor", "social", "media", "launch", "sales", "leads", "onboarding", "supplier",
         "budget", "forecast", "responses", "website", "copy", "carbon", "emissions", "hiring", "delivery",
         "routes", "app", "reviews", "market", "size", "tea", "fintech", "climate", "coffee", "edtech",
         "logistics", "fashion", "health", "travel", "bakery", "bike", "studio", "zephyrine", "quillmark",
         "borealis", "tamarind", "vellichor", "kestrel", "juniperx", "obsidian"]
CATEGORIES = ["content-writing", "social-media", "graphic-design", "market-research", "data-entry",
              "data-analysis", "business-analysis", "finance", "user-research", "software", "hr", "sales",
              "operations", "sustainability"]


def distinct_queries(n=2000, seed=15):
    """n different search query strings, in the mix people send: words
    alone, words as typed, filters alone, words with filters, other sorts
    and later pages."""
    import random
    rnd = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        parts = []
        kind = rnd.random()
        if kind < 0.75:
            words = rnd.sample(WORDS, rnd.choice([1, 1, 2, 2, 3]))
            if rnd.random() < 0.25:
                words[-1] = words[-1][: rnd.randint(3, max(3, len(words[-1])))]
            parts.append("q=" + "+".join(words))
        if kind >= 0.5 or rnd.random() < 0.3:
            for _ in range(rnd.choice([1, 1, 2])):
                f = rnd.random()
                if f < 0.3:
                    parts.append("category=" + rnd.choice(CATEGORIES))
                elif f < 0.5:
                    parts.append("mode=" + rnd.choice(["remote", "hybrid", "in_person"]))
                elif f < 0.65:
                    parts.append("max_hours=" + str(rnd.choice([5, 10, 20, 40])))
                elif f < 0.8:
                    parts.append(rnd.choice(["currency=INR&min_price=", "currency=GBP&min_price=", "min_price="])
                                 + str(rnd.choice([50, 100, 250, 500, 5000])))
                else:
                    parts.append("for_credit=true")
        if rnd.random() < 0.2:
            parts.append("sort=" + rnd.choice(["newest", "price", "deadline"]))
        if rnd.random() < 0.1:
            parts.append("cursor=o" + rnd.choice(["k", "14", "1e"]))
        # One value per parameter: the first of each name wins.
        by_name = {}
        for p in "&".join(parts).split("&"):
            by_name.setdefault(p.split("=")[0], p)
        q = "&".join(by_name.values())
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def distinct_load(base, pid, prefix, seconds, conc=32):
    """wrk with every request a different query string (bench/distinct.lua),
    the server's RSS sampled while it runs."""
    import os
    import tempfile
    import threading
    with tempfile.TemporaryDirectory() as tmp:
        qfile, out = os.path.join(tmp, "queries.txt"), os.path.join(tmp, "wrk.json")
        with open(qfile, "w") as f:
            f.write("\n".join(distinct_queries()) + "\n")
        peak, stop = [0], threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], memory(pid)["rss_mib"])
                time.sleep(0.5)

        t = threading.Thread(target=sample)
        t.start()
        env = dict(os.environ, STINT_QUERIES=qfile, STINT_PREFIX=prefix, STINT_WRK_OUT=out)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "distinct.lua")
        run = subprocess.run(["wrk", "-t2", f"-c{conc}", f"-d{seconds}s", "-s", script, base],
                             capture_output=True, text=True, env=env)
        stop.set()
        t.join()
        if run.returncode != 0 or not os.path.exists(out):
            raise SystemExit(f"wrk failed: {run.stdout[-500:]} {run.stderr[-500:]}")
        r = json.load(open(out))
    r["req_per_s"] = round(r["requests"] / r["seconds"], 1)
    r.update({"prefix": prefix, "distinct_queries": 2000, "concurrency": conc, "rss_during_max_mib": peak[0]})
    return r


def memory(pid):
    status = open(f"/proc/{pid}/status").read()
    get = lambda k: int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) // 1024
    return {"rss_mib": get("VmRSS"), "peak_rss_mib": get("VmHWM")}


def publish_and_alert(c, owner, student):
    today = time.strftime("%Y-%m-%d")
    day = lambda n: time.strftime("%Y-%m-%d", time.gmtime(time.time() + n * 86400))
    project = {
        "title": "Benchmark survey analysis with statistics",
        "summary": "Analyse survey responses with statistics and spreadsheets and summarise the findings.",
        "brief": "We surveyed our customers. Code the open answers and summarise the scores by city for our team.",
        "deliverables": "- Coded dataset\n- Report", "acceptance_criteria": "- Every response coded",
        "category": "data-analysis", "required_skills": ["spreadsheets", "statistics"], "preferred_skills": ["python"],
        "estimated_hours": 20, "start_date": day(12), "due_date": day(26), "price_minor": 900000, "currency": "INR",
        "work_mode": "remote", "slots": 1, "application_deadline": day(5), "decision_by": day(8),
    }
    s, body, _ = c.request("POST", "/api/v1/projects", owner, project)
    if s != 201:
        raise SystemExit(f"create: {s} {body[:300]}")
    pid = json.loads(body)["id"]
    t0 = time.perf_counter()
    s, body, publish_ms = c.request("POST", f"/api/v1/projects/{pid}/publish", owner)
    if s != 200:
        raise SystemExit(f"publish: {s} {body[:300]}")
    link = f"/projects/{pid}"
    while time.perf_counter() - t0 < 60:
        s, body, _ = c.request("GET", "/api/v1/me/notifications", student)
        items = json.loads(body)["items"]
        if any(i["kind"] == "match_alert" and i.get("link") == link for i in items):
            return {"publish_ms": round(publish_ms, 1), "alert_delivered_ms": round((time.perf_counter() - t0) * 1000, 1)}
        time.sleep(0.02)
    return {"publish_ms": round(publish_ms, 1), "alert_delivered_ms": None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--ab-seconds", type=int, default=15)
    a = ap.parse_args()
    c = Client(a.base)
    student = token(c, "bench.student@stint.bench")
    owner = token(c, "owner0@org.bench")
    res = {}
    paths = [f"/api/v1/projects?{q}" for _, q in QUERIES]
    lat = latency(c, paths, a.rounds)
    all_ms = [m for v in lat.values() for m in v]
    res["search_api"] = summary(all_ms)
    by_class = {}
    for (cls, q), p in zip(QUERIES, paths):
        by_class.setdefault(cls, []).extend(lat[p])
    res["search_api_by_class"] = {k: summary(v) for k, v in by_class.items()}
    worst = max(lat.items(), key=lambda kv: pct(kv[1], 99))
    res["slowest_query"] = {"path": worst[0], **summary(worst[1])}
    # The anonymous page is cached for 5 s per query string; a varying extra
    # parameter measures the uncached render.
    res["search_page_cached"] = summary(latency(c, ["/projects?q=market+research"], a.rounds * 4)["/projects?q=market+research"])
    uncached = [f"/projects?q=market+research&u={i}" for i in range(a.rounds * 4)]
    res["search_page_uncached"] = summary([m for v in latency(c, uncached, 1, warm=False).values() for m in v])
    # The same set as the bench student: relevance, then match over the
    # first 100 results, each result with its match.
    mine = latency(c, paths, max(a.rounds // 5, 1), student)
    res["search_api_student"] = summary([m for v in mine.values() for m in v])
    res["top5_matches"] = summary(latency(c, ["/api/v1/me/matches"], a.rounds * 8, student)["/api/v1/me/matches"])
    # All 2,000 applicants scored and sorted; the best 50 returned (the default page).
    res["rank_applicants"] = summary(latency(c, ["/api/v1/projects/1/applications"], a.rounds * 4, owner)["/api/v1/projects/1/applications"])
    # The same ranking, 200 returned (the largest page).
    big = "/api/v1/projects/1/applications?limit=200"
    res["rank_applicants_200"] = summary(latency(c, [big], a.rounds * 2, owner)[big])
    # Real traffic: 2,000 different searches, none served from the cache.
    res["load_distinct_api"] = distinct_load(a.base, a.pid, "/api/v1/projects?", a.ab_seconds)
    res["load_distinct_page"] = distinct_load(a.base, a.pid, "/projects?", a.ab_seconds)
    # The default page uncached, one at a time.
    plain = [f"/projects?n={i}" for i in range(a.rounds * 4)]
    res["default_page_uncached"] = summary([m for v in latency(c, plain, 1, warm=False).values() for m in v])
    # One popular page under load: computed once per 5 s, served from memory.
    res["load_search_page"] = ab(a.base, "/projects?q=market+research", a.ab_seconds)
    res["load_healthz"] = ab(a.base, "/healthz", a.ab_seconds)
    res["memory_after_load"] = memory(a.pid)
    res["publish_alerts"] = publish_and_alert(c, owner, student)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
