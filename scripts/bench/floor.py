"""The physical floor of a listing, from the emulator's request log (`GET /__emulator/requests`).

    python3 scripts/bench/floor.py REQUESTS.json LATENCY_MS   → "FLOOR_SECONDS CHAIN REQUESTS"

Every request costs one round trip of LATENCY_MS. What must wait for what is the vendors' API
shape, not Keyrack's choice: a token before the calls it signs, a cursor page after the page
that named its cursor, page-number pages after the first (which tells the total), a call per
item after the page that listed the item. RULES says which stage each path is in and how its
requests chain; the floor is the longest vendor's sum over its stages of the longest chain in
the stage (vendors are independent of one another). A path no rule knows counts as one round
trip of its own (and is named on stderr, so a new call gets a rule).
"""

import json
import re
import sys
from collections import defaultdict

# (vendor, path pattern, stage, how requests to one path chain):
#   "cursor": each page waits for the one before (n requests → n round trips)
#   "number": pages after the first go out together (n → min(n, 2))
#   "each": one request per item, all at once (→ 1)
RULES = [
    ("ibm", r"/identity/token", 0, "each"),
    ("ibm", r"/v1/apikeys/details", 1, "each"),
    ("ibm", r"/v1/apikeys", 2, "cursor"),
    ("ibm", r"/v1/serviceids/?", 2, "cursor"),
    ("ibm", r"/v1/apikeys/[^/]+", 3, "each"),
    # The activity report needs only the token: it is read (or asked for) beside the pages.
    ("ibm", r"/v1/activity/accounts/[^/]+/report(/[^/]+)?", 2, "each"),
    ("scaleway", r"/iam/v1alpha1/[a-z-]+", 0, "number"),
    ("scaleway", r"/account/v3/projects", 0, "number"),
    ("oci", r"/20160918/users/?", 0, "cursor"),
    ("oci", r"/20160918/users/[^/]+/apiKeys/?", 1, "cursor"),
    ("openai", r"/v1/organization/projects", 0, "cursor"),
    ("openai", r"/v1/organization/admin_api_keys", 0, "cursor"),
    ("openai", r"/v1/organization/projects/[^/]+/(api_keys|service_accounts|users)", 1, "cursor"),
    ("openai", r"/v1/organization/(users|invites)", 0, "cursor"),
    ("codefresh", r"/api/auth/keys", 0, "each"),
    ("codefresh", r"/api/user", 0, "each"),
    ("codefresh", r"/api/service-users", 0, "each"),
    ("codefresh", r"/api/auth/key/service-user/[^/]+", 1, "each"),
]


def rule_for(vendor, path):
    for rule_vendor, pattern, stage, chain in RULES:
        if rule_vendor == vendor and re.fullmatch(pattern, path):
            return stage, chain
    return None


def floor(requests):
    # vendor → stage → path → [chain kind, request count]
    per = defaultdict(lambda: defaultdict(dict))
    unknown = set()
    for r in requests:
        vendor, path = r.get("vendor") or "?", r["path"]
        found = rule_for(vendor, path)
        if found is None:
            unknown.add(f"{vendor} {r['method']} {path}")
            found = (0, "each")
        stage, chain = found
        entry = per[vendor][stage].setdefault(path, [chain, 0])
        entry[1] += 1
    for u in sorted(unknown):
        print(f"floor.py: no rule for {u}; counted as one round trip", file=sys.stderr)
    cost = {"cursor": lambda n: n, "number": lambda n: min(n, 2), "each": lambda n: 1}
    return max(
        (
            sum(max(cost[c](n) for c, n in paths.values()) for paths in stages.values())
            for stages in per.values()
        ),
        default=0,
    )


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        requests = json.load(f)["requests"]
    latency_ms = float(sys.argv[2])
    chain = floor(requests)
    print(f"{chain * latency_ms / 1000:.3f} {chain} {len(requests)}")


if __name__ == "__main__":
    main()
