#!/usr/bin/env python3
"""Measures a university's outcomes report and students portal on a running
Stint server loaded with `stint bench-data --university-students N`.

Latency: sequential requests over one keep-alive connection after a warm-up
pass, over varied periods (each computes the whole report: per-student
counts, months, ratings, employers and equity breakdowns). Throughput:
ApacheBench on the report beside `/healthz` as the ceiling. Memory: the
server's VmRSS and VmHWM at the end. Prints one JSON object.
"""
import argparse
import datetime
import http.client
import json
import urllib.parse

from measure import Client, ab, latency, memory, summary, token

CAREERS = "careers@uni.bench"
PASSWORD = "bench-password-2026"


def periods(today):
    """Ten periods a career centre would pick."""
    d = lambda n: (today - datetime.timedelta(days=n)).isoformat()
    year = today.year
    out = [
        "",  # the default: the last twelve months
        f"from={d(364)}&to={today}",
        f"from={d(3 * 365)}&to={today}",
        f"from={d(29)}&to={today}",
        f"from={year - 1}-01-01&to={year - 1}-12-31",
        f"from={year - 1}-09-01&to={year}-08-31",
    ]
    for q in range(4):
        end = today - datetime.timedelta(days=91 * q)
        out.append(f"from={(end - datetime.timedelta(days=90)).isoformat()}&to={end.isoformat()}")
    return out


def cookie(base):
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    body = urllib.parse.urlencode({"email": CAREERS, "password": PASSWORD})
    conn.request("POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie" and "=" in v:
            return v.split(";", 1)[0]
    raise SystemExit(f"cannot sign in to pages as {CAREERS}: {r.status}")


class CookieClient(Client):
    def __init__(self, base, jar):
        super().__init__(base)
        self.jar = jar

    def request(self, method, path, token=None, body=None):
        import time
        t0 = time.perf_counter()
        self.conn.request(method, path, headers={"Cookie": self.jar})
        r = self.conn.getresponse()
        payload = r.read()
        return r.status, payload, (time.perf_counter() - t0) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--ab-seconds", type=int, default=10)
    a = ap.parse_args()
    c = Client(a.base)
    tok = token(c, CAREERS)
    res = {}
    first = json.loads(c.request("GET", "/api/v1/university/outcomes", tok)[1])
    res["report"] = {
        "students": first["summary"]["students"],
        "taking_part": first["summary"]["taking_part"],
        "applications_in_period": first["summary"]["applications"],
        "engagements_started_in_period": first["summary"]["engagements_started"],
        "employers_in_period": first["employers_total"],
    }
    everything = json.loads(c.request("GET", "/api/v1/university/outcomes?from=2020-01-01&to=2024-12-31", tok)[1])
    res["report"]["applications_before_2025"] = everything["summary"]["applications"]
    ps = periods(datetime.date.today())
    api = [f"/api/v1/university/outcomes?{p}" for p in ps]
    lat = latency(c, api, a.rounds, tok)
    res["outcomes_api"] = summary([m for v in lat.values() for m in v])
    worst = max(lat.items(), key=lambda kv: max(kv[1]))
    res["outcomes_api_slowest_period"] = {"path": worst[0], **summary(worst[1])}
    pc = CookieClient(a.base, cookie(a.base))
    pages = [f"/university/outcomes?{p}" for p in ps]
    res["outcomes_page"] = summary([m for v in latency(pc, pages, max(a.rounds // 2, 1)).values() for m in v])
    csv = ["/university/outcomes.csv?table=employers&" + p for p in ps[:3]] + ["/university/outcomes.csv?table=equity"]
    res["outcomes_csv"] = summary([m for v in latency(pc, csv, max(a.rounds // 2, 1)).values() for m in v])
    students = [
        "/api/v1/university/students",
        "/api/v1/university/students?stage=completed",
        "/api/v1/university/students?stage=not_yet_applied",
        "/api/v1/university/students?area=Economics&stage=working",
        "/api/v1/university/students?q=student12",
        "/api/v1/university/students?page=40",
    ]
    res["students_api"] = summary([m for v in latency(c, students, a.rounds, tok).values() for m in v])
    res["load_outcomes_api"] = ab(a.base, "/api/v1/university/outcomes", a.ab_seconds, conc=8, token=tok)
    res["load_healthz"] = ab(a.base, "/healthz", a.ab_seconds)
    res["memory_after_load"] = memory(a.pid)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
