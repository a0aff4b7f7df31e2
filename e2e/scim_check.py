"""Checks Stint's SCIM 2.0 service with scim2-tester (PyPI), which tests a
server against RFC 7643 and RFC 7644: discovery, then create, read, list,
search, replace, delete and PATCH add / replace / remove of every attribute
the server publishes.

    python scim_check.py BASE_URL TOKEN EMAIL_DOMAIN

Stint provisions only addresses in the organization's email domains (as a
directory of that organization would send them), so the tester's random
email addresses are given EMAIL_DOMAIN; everything else is the tester's
own. Prints every check and exits 1 when any failed.
"""

import re
import sys

import httpx2
import scim2_tester.checkers  # noqa: F401 (loads every checker module)
import scim2_tester.filling as filling
from pydantic import BaseModel
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

base, token, domain = sys.argv[1], sys.argv[2], sys.argv[3]

original = filling.generate_random_value


RANDOM_ADDRESS = re.compile(r"^([0-9a-f-]{36})@[0-9a-f-]{36}\.com$")


def moved(v):
    """The tester's random addresses (uuid@uuid.com), moved into the domain,
    wherever they are in a generated value. Only what changes is assigned
    (assignment re-validates, and would decode binary values twice)."""
    if isinstance(v, str):
        m = RANDOM_ADDRESS.match(v)
        return f"{m.group(1)}@{domain}" if m else v
    if isinstance(v, list):
        new = [moved(x) for x in v]
        return new if any(a is not b for a, b in zip(new, v)) else v
    if isinstance(v, BaseModel):
        for name in type(v).model_fields:
            old = getattr(v, name)
            new = moved(old)
            if new is not old:
                setattr(v, name, new)
    return v


def in_domain(context, path, mutability=None, required=None):
    return moved(original(context, path=path, mutability=mutability, required=required))


# The generator is looked up by name in each module that imported it.
for name, module in list(sys.modules.items()):
    if name.startswith("scim2_tester") and getattr(module, "generate_random_value", None) is original:
        module.generate_random_value = in_domain

http = httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
client = SyncSCIMClient(http)
results = check_server(client)
failed = 0
for r in results:
    bad = r.status not in (Status.SUCCESS, Status.SKIPPED)
    failed += bad
    where = f"[{r.resource_type}] " if getattr(r, "resource_type", None) else ""
    print(f"{r.status.name:8} {where}{r.title}: {r.reason or ''}")
counts = {}
for r in results:
    counts[r.status.name] = counts.get(r.status.name, 0) + 1
print("scim2-tester:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
sys.exit(1 if failed else 0)
