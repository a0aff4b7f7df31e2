"""Webhook delivery benchmark: how long an event takes to reach an
organization's endpoint, and whether a slow endpoint holds others back.

    python3 bench/webhooks.py [path to stint] [--students N]

Starts `stint serve --demo` on SQLite in a fresh directory (webhooks allowed
to loopback), a receiver on loopback that answers at once on /fast and after
3 seconds on /slow, and BrightLeaf's owner subscribing /fast to
`application.submitted`. N new students (default 200) apply to one project
from 4 threads. Phase A: /fast only. Phase B: /slow is subscribed too, so
each event goes to both. Latency is the receiver's clock at arrival minus
the event's `timestamp` in the body (both on this machine). Prints JSON.
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIN = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "target/release/stint"
N = int(sys.argv[sys.argv.index("--students") + 1]) if "--students" in sys.argv else 200
PITCH = "I coded 300 open survey answers for my thesis in Sheets and summarised them for my department."

arrivals = {"/fast": [], "/slow": []}
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        now = datetime.now(timezone.utc)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/slow":
            time.sleep(3)
        event = json.loads(body)
        at = datetime.fromisoformat(event["timestamp"][:26].rstrip("Z") + "+00:00")
        with lock:
            arrivals[self.path].append(((now - at).total_seconds() * 1000, self.headers["webhook-id"]))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(base, method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    for attempt in range(20):
        try:
            with urllib.request.urlopen(req) as r:
                text = r.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            if e.code == 503 and attempt < 19:  # password checks are bounded
                time.sleep(0.2)
                continue
            raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:300]}")


def token(base, email, password):
    return call(base, "POST", "/api/v1/auth/token", body={"email": email, "password": password})["token"]


def day(n):
    return (datetime.now(timezone.utc) + timedelta(days=n)).date().isoformat()


def project(base, boss, title):
    p = call(base, "POST", "/api/v1/projects", boss, {
        "title": title,
        "summary": "Code open survey answers against our codebook and count the themes for the product team.",
        "brief": "We have 400 open answers from a customer survey. Code them with our codebook and count each theme.",
        "deliverables": "- The coded answers in a spreadsheet", "acceptance_criteria": "- Every answer has a code",
        "category": "data-analysis", "required_skills": ["spreadsheets"], "preferred_skills": [],
        "estimated_hours": 10, "start_date": day(12), "due_date": day(26), "price_minor": 600000, "currency": "INR",
        "work_mode": "remote", "slots": 1, "application_deadline": day(5), "decision_by": day(8),
    })
    call(base, "POST", f"/api/v1/projects/{p['id']}/publish", boss)
    return p["id"]


def students(base, prefix, n):
    def one(i):
        email = f"{prefix}{i}@bench.example"
        call(base, "POST", "/api/v1/auth/register", body={"email": email, "password": "a long bench password", "name": f"Bench {i}", "role": "student"})
        return token(base, email, "a long bench password")
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(n)))


def apply_all(base, tokens, project_id):
    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda t: call(base, "POST", f"/api/v1/projects/{project_id}/applications", t, {"pitch": PITCH}), tokens))
    return time.monotonic() - started


def wait_for(path, count, limit=300):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        with lock:
            if len(arrivals[path]) >= count:
                return True
        time.sleep(0.05)
    return False


def summary(values):
    values = sorted(values)
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 1)
    return {"n": len(values), "p50_ms": pick(0.5), "p90_ms": pick(0.9), "p99_ms": pick(0.99), "max_ms": round(values[-1], 1)}


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def main():
    rport = free_port()
    receiver = ThreadingHTTPServer(("127.0.0.1", rport), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    data = tempfile.mkdtemp(prefix="stint-bench-hooks-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "STINT_LOG": "warn", "STINT_AUTH_RATE_PER_MINUTE": "1000000", "STINT_WEBHOOKS_ALLOW_PRIVATE": "true"}
    server = subprocess.Popen([BIN, "--data-dir", data, "serve", "--demo", "--addr", f"127.0.0.1:{port}"], env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except OSError:
                time.sleep(0.2)
        boss = token(base, "priya@brightleaf.example", "stint-demo-2026")
        fast = call(base, "POST", "/api/v1/webhooks", boss, {"url": f"http://127.0.0.1:{rport}/fast", "events": ["application.submitted"]})
        result = {"students_per_phase": N}
        # Phase A: one fast endpoint.
        tokens = students(base, "a", N)
        pid = project(base, boss, "Benchmark survey coding, phase A")
        result["a_apply_seconds"] = round(apply_all(base, tokens, pid), 2)
        ok = wait_for("/fast", N)
        result["a_all_delivered"] = ok
        result["a_fast_latency"] = summary([ms for ms, _ in arrivals["/fast"]])
        # Phase B: a slow endpoint (3 s an answer) subscribed too.
        call(base, "POST", "/api/v1/webhooks", boss, {"url": f"http://127.0.0.1:{rport}/slow", "events": ["application.submitted"]})
        tokens = students(base, "b", N)
        pid = project(base, boss, "Benchmark survey coding, phase B")
        before = len(arrivals["/fast"])
        started = time.monotonic()
        result["b_apply_seconds"] = round(apply_all(base, tokens, pid), 2)
        result["b_all_delivered_fast"] = wait_for("/fast", before + N)
        result["b_all_delivered_slow"] = wait_for("/slow", N, limit=600)
        result["b_seconds_until_slow_done"] = round(time.monotonic() - started, 1)
        result["b_fast_latency"] = summary([ms for ms, _ in arrivals["/fast"][before:]])
        result["b_slow_latency"] = summary([ms for ms, _ in arrivals["/slow"]])
        ids = [i for _, i in arrivals["/fast"]]
        result["duplicates"] = len(ids) - len(set(ids))
        h = []
        for _ in range(50):
            t = time.monotonic()
            urllib.request.urlopen(base + "/healthz").read()
            h.append((time.monotonic() - t) * 1000)
        result["healthz_after"] = summary(h)
        result["server_rss_mb_after"] = rss_mb(server.pid)
        log = call(base, "GET", f"/api/v1/webhooks/{fast['endpoint']['id']}/messages", boss)
        result["fast_log_newest_attempts"] = log["items"][0]["attempts"]
        print(json.dumps(result, indent=2))
    finally:
        server.terminate()
        server.wait()
        receiver.shutdown()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
