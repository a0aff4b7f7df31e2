"""SCIM provisioning benchmark: what a university's directory meets when it
syncs its students, and what everyone else meets meanwhile.

    python3 bench/scim.py [path to stint] [--users N] [--postgres URL]

Starts `stint serve --demo` in a fresh directory (SQLite, or the PostgreSQL
database URL given, which must exist and be empty), makes a provisioning
token for the demo university through the API, then:

1. provisions N students (default 5,000) with `POST /scim/v2/Users` from 4
   threads, as a directory's first sync does, while a fifth thread asks
   `/healthz` every 50 ms (its slowest answer is the ceiling);
2. times, sequentially over one connection each: `userName eq` lookups of
   random students (what directories send before every change), pages of
   100 at the start and at the end of the list, a filter that has to read
   every resource (`name.familyName eq`), and PATCH `active` off and on;
3. reads the server's resident memory after the load.

Prints JSON: per step the count, median, p95 and max in milliseconds.
"""
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BIN = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "target/release/stint"
N = int(sys.argv[sys.argv.index("--users") + 1]) if "--users" in sys.argv else 5000
PG = sys.argv[sys.argv.index("--postgres") + 1] if "--postgres" in sys.argv else None
DOMAIN = "dit.example.ac.in"
FAMILIES = ["Rao", "Iyer", "Nair", "Menon", "Reddy", "Das", "Khan", "Singh", "Patel", "Bose"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(method, url, token=None, body=None, ctype="application/json"):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", ctype)
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            out = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        out, status = e.read(), e.code
    return status, out, (time.perf_counter() - t0) * 1000


def summary(ms):
    ms = sorted(ms)
    return {
        "count": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 2),
        "max_ms": round(ms[-1], 2),
    }


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def student(i):
    family = FAMILIES[i % len(FAMILIES)]
    email = f"s{i:06d}@{DOMAIN}"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "externalId": f"EMP-{i:06d}",
        "name": {"givenName": f"Student{i}", "familyName": family},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }


def main():
    data_dir = tempfile.mkdtemp(prefix="stint-bench-scim-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STINT_LOG="warn", STINT_AUTH_RATE_PER_MINUTE="100000")
    if PG:
        env["DATABASE_URL"] = PG
    server = subprocess.Popen(
        [BIN, "--data-dir", data_dir, "serve", "--demo", "--addr", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if call("GET", f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        _, out, _ = call("POST", f"{base}/api/v1/auth/token", body={
            "email": "careers@dit.example.ac.in", "password": "stint-demo-2026"})
        api = json.loads(out)["token"]
        _, out, _ = call("POST", f"{base}/api/v1/organization/provisioning/tokens", api, {"label": "bench"})
        token = json.loads(out)["secret"]
        scim = f"{base}/scim/v2"

        stop = threading.Event()
        health = []

        def watch():
            while not stop.is_set():
                health.append(call("GET", f"{base}/healthz")[2])
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            made = list(pool.map(
                lambda i: call("POST", f"{scim}/Users", token, student(i), "application/scim+json"), range(N)))
        elapsed = time.perf_counter() - t0
        stop.set()
        watcher.join()
        bad = [s for s, _, _ in made if s != 201]
        ids = [json.loads(o)["id"] for s, o, _ in made if s == 201]
        result = {
            "engine": "postgres" if PG else "sqlite",
            "users": N,
            "create": {**summary([ms for _, _, ms in made]), "failed": len(bad),
                       "per_second": round(N / elapsed, 1)},
            "healthz_during_create": summary(health),
        }

        rnd = random.Random(20261128)
        lookups = []
        for _ in range(200):
            i = rnd.randrange(N)
            f = urllib.parse.quote(f'userName eq "s{i:06d}@{DOMAIN}"')
            s, o, ms = call("GET", f"{scim}/Users?filter={f}", token)
            assert s == 200 and json.loads(o)["totalResults"] == 1, o
            lookups.append(ms)
        result["filter_userName_eq"] = summary(lookups)
        for name, start in [("page_first_100", 1), ("page_last_100", max(1, N - 99))]:
            times = []
            for _ in range(20):
                s, o, ms = call("GET", f"{scim}/Users?startIndex={start}&count=100", token)
                assert s == 200, o
                times.append(ms)
            result[name] = summary(times)
        times = []
        for _ in range(20):
            f = urllib.parse.quote(f'name.familyName eq "{rnd.choice(FAMILIES)}"')
            s, o, ms = call("GET", f"{scim}/Users?filter={f}&count=100", token)
            assert s == 200, o
            times.append(ms)
        result["filter_scan_familyName"] = summary(times)
        times = []
        for k in range(100):
            uid = ids[rnd.randrange(len(ids))]
            body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "replace", "path": "active", "value": k % 2 == 1}]}
            s, o, ms = call("PATCH", f"{scim}/Users/{uid}", token, body, "application/scim+json")
            assert s == 200, o
            times.append(ms)
        result["patch_active"] = summary(times)
        result["rss_mib_after"] = rss_mib(server.pid)
        print(json.dumps(result, indent=2))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
