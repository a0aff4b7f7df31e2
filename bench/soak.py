#!/usr/bin/env python3
"""A soak of a running Stint server with demo data (`stint serve --demo`).

`--clients` threads, each on its own keep-alive connection, for `--seconds`,
each request drawn from a mix of what people do all day: anonymous search
pages with varied words and filters, project pages, the API search as a
student, a student's matches and notifications, and both sides of one
engagement reading the workspace and writing to its thread (so the thread
grows by thousands of messages during the run). The server's VmRSS is
sampled every 10 seconds. Afterwards a burst of `--burst` concurrent
wrong-password token requests tests the bound on password hashing, and RSS
is read again after it and after a rest. Prints one JSON object.
"""
import argparse
import http.client
import json
import random
import threading
import time

import measure
from measure import pct

PASSWORD = "stint-demo-2026"
STUDENTS = ["asha.rao@dit.example.ac.in", "karan.mehta@dit.example.ac.in", "divya.k@dit.example.ac.in",
            "e.clarke@northbridge.example.ac.uk", "maya.johnson@mail.example", "carlos.mendes@mail.example"]
EMPLOYERS = ["priya@brightleaf.example", "rohan@chaiandcode.example", "farah@anvaya.example",
             "vikram.iyer@meridian-cg.example", "dana@kestrelhealth.example", "marcus@northwind-outdoor.example",
             "sofia@greenway.example", "ben@atlasfintech.example", "isla@thistleandthread.example",
             "oliver@lumenlearning.example", "amelia.shaw@harbourline.example"]
WORDS = ["survey", "data", "market", "research", "brand", "social", "design", "finance", "model", "sql",
         "python", "content", "blog", "customer", "interview", "pricing", "report", "excel", "dashboard", "ux"]
FILTERS = ["", "&mode=remote", "&category=data-analysis", "&category=market-research", "&max_hours=20",
           "&currency=INR", "&currency=GBP&min_price=100", "&for_credit=true", "&sort=newest", "&sort=price"]


class Client(measure.Client):
    """measure.py's keep-alive client, reconnecting once if the server
    closed the connection (long runs see that)."""

    def call(self, method, path, token=None, body=None):
        for attempt in range(2):
            try:
                return self.request(method, path, token, body)
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def token(c, email):
    s, b, _ = c.call("POST", "/api/v1/auth/token", body={"email": email, "password": PASSWORD, "name": "soak"})
    if s != 201:
        raise SystemExit(f"cannot sign in {email}: {s} {b[:200]}")
    return json.loads(b)["token"]


def find_engagement(c, students, employers):
    """An active demo engagement and the tokens of its two sides."""
    for st in students:
        s, b, _ = c.call("GET", "/api/v1/me/engagements", st)
        for e in json.loads(b) if s == 200 else []:
            if e["status"] in ("active", "revision_requested"):
                for em in employers:
                    if c.call("GET", f"/api/v1/engagements/{e['id']}", em)[0] == 200:
                        return e["id"], st, em
    raise SystemExit("no active engagement in the demo data")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--burst", type=int, default=200)
    a = ap.parse_args()

    setup = Client(a.base)
    students = [token(setup, e) for e in STUDENTS]
    employers = [token(setup, e) for e in EMPLOYERS]
    eng, eng_student, eng_employer = find_engagement(setup, students, employers)
    s, b, _ = setup.call("GET", "/api/v1/projects?limit=100")
    project_ids = [p["id"] for p in json.loads(b)["items"]]

    rss = [(0, rss_mib(a.pid))]
    stop = time.monotonic() + a.seconds
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "by_status": {}, "messages_posted": 0}
    workspace_ms = []  # (seconds since start, ms) for GET /api/v1/engagements/{id}
    start = time.monotonic()

    def worker(seed):
        rnd = random.Random(seed)
        c = Client(a.base)
        while time.monotonic() < stop:
            roll = rnd.random()
            if roll < 0.30:
                q = "+".join(rnd.sample(WORDS, rnd.randint(1, 2)))
                req = ("GET", f"/projects?q={q}{rnd.choice(FILTERS)}", None, None)
            elif roll < 0.45:
                req = ("GET", f"/projects/{rnd.choice(project_ids)}", None, None)
            elif roll < 0.60:
                q = rnd.choice(WORDS)
                req = ("GET", f"/api/v1/projects?q={q}{rnd.choice(FILTERS)}", rnd.choice(students), None)
            elif roll < 0.67:
                req = ("GET", "/api/v1/me/matches", rnd.choice(students), None)
            elif roll < 0.74:
                req = ("GET", "/api/v1/me/notifications", rnd.choice(students + employers), None)
            elif roll < 0.88:
                req = ("GET", f"/api/v1/engagements/{eng}", rnd.choice([eng_student, eng_employer]), None)
            else:
                who = rnd.choice([eng_student, eng_employer])
                req = ("POST", f"/api/v1/engagements/{eng}/messages", who,
                       {"body": f"Progress note {rnd.randint(0, 10**9)}: checked the survey coding."})
            method, path, tok, body = req
            try:
                status, _, ms = c.call(method, path, tok, body)
            except Exception:
                status, ms = 0, 0
            with lock:
                stats["requests"] += 1
                stats["by_status"][str(status)] = stats["by_status"].get(str(status), 0) + 1
                if status == 0 or status >= 500:
                    stats["errors"] += 1
                if method == "POST" and status == 201:
                    stats["messages_posted"] += 1
                if path == f"/api/v1/engagements/{eng}" and status == 200:
                    workspace_ms.append((time.monotonic() - start, ms))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(a.clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(10)
        rss.append((round(time.monotonic() - start), rss_mib(a.pid)))
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start

    minute = min(60, a.seconds / 4)
    first = [ms for t, ms in workspace_ms if t < minute]
    last = [ms for t, ms in workspace_ms if t > elapsed - minute]

    # The burst: wrong passwords from many connections at once.
    burst = {"sent": a.burst, "by_status": {}}
    before_burst = rss_mib(a.pid)
    barrier = threading.Barrier(a.burst)

    def wrong(i):
        c = Client(a.base)
        barrier.wait()
        try:
            status, _, _ = c.call("POST", "/api/v1/auth/token",
                                  body={"email": STUDENTS[i % len(STUDENTS)], "password": f"wrong password {i}"})
        except Exception:
            status = 0
        with lock:
            burst["by_status"][str(status)] = burst["by_status"].get(str(status), 0) + 1

    peak = [before_burst]
    bthreads = [threading.Thread(target=wrong, args=(i,)) for i in range(a.burst)]
    for t in bthreads:
        t.start()
    while any(t.is_alive() for t in bthreads):
        peak.append(rss_mib(a.pid))
        time.sleep(0.05)
    burst["rss_before_mib"] = before_burst
    burst["rss_peak_mib"] = max(p for p in peak if p)
    burst["rss_after_mib"] = rss_mib(a.pid)
    time.sleep(30)
    burst["rss_after_30s_rest_mib"] = rss_mib(a.pid)

    print(json.dumps({
        "clients": a.clients,
        "seconds": round(elapsed),
        "requests": stats["requests"],
        "req_per_s": round(stats["requests"] / elapsed, 1),
        "errors": stats["errors"],
        "by_status": stats["by_status"],
        "thread_messages_posted": stats["messages_posted"],
        "workspace_get_ms_first_minute": {"n": len(first), "p50": pct(first, 50), "p99": pct(first, 99)},
        "workspace_get_ms_last_minute": {"n": len(last), "p50": pct(last, 50), "p99": pct(last, 99)},
        "rss_mib_start": rss[0][1],
        "rss_mib_end": rss[-1][1],
        "rss_mib_samples": rss,
        "password_burst": burst,
    }, indent=1))


if __name__ == "__main__":
    main()
