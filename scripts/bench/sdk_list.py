"""`make bench`, section 3: what listing every key costs with the vendors' official SDKs, one
vendor after another (how a script without Keyrack would do it). Runs in the tests/sdk venv.

    python scripts/bench/sdk_list.py MANIFEST   → prints the keys listed and the seconds taken

Each vendor lists what Keyrack lists for it: IBM every API key of the account (not each key's
activity, which Keyrack reads for "last used": 2,000 more requests one after another would add
100 s, so the SDKs' figure is a lower bound), Scaleway every API key, OCI every user's signing
keys, OpenAI the admin keys and every project's keys, Codefresh the account's keys (Codefresh
has no Python SDK; its REST call is made with urllib, as its CLI does).
"""

import json
import sys
import tempfile
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import oci
from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
from ibm_platform_services import IamIdentityV1
from openai import OpenAI
from scaleway import Client
from scaleway.iam.v1alpha1 import IamV1Alpha1API


def ibm(m):
    iam = IamIdentityV1(authenticator=IAMAuthenticator(m["api_key"], url=m["iam_url"]))
    iam.set_service_url(m["base_url"])
    keys, token = [], None
    while True:
        page = iam.list_api_keys(
            account_id=m["account_id"], scope="account", pagesize=100, pagetoken=token
        ).get_result()
        keys.extend(page["apikeys"])
        if not page.get("next"):
            break
        token = parse_qs(urlparse(page["next"]).query)["pagetoken"][0]
    return len(keys)


def scaleway(m):
    client = Client(
        access_key=m["access_key"],
        secret_key=m["secret_key"],
        api_url=m["base_url"],
        default_organization_id=m["organization_id"],
        default_project_id=m["project_id"],
    )
    return len(IamV1Alpha1API(client).list_api_keys_all(page_size=100))


def oci_keys(m):
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as pem:
        pem.write(m["private_key_pem"])
        pem.flush()
        config = {"user": m["user"], "tenancy": m["tenancy"], "region": m["region"],
                  "fingerprint": m["fingerprint"], "key_file": pem.name}
        identity = oci.identity.IdentityClient(config, service_endpoint=m["base_url"])
        users = oci.pagination.list_call_get_all_results(
            identity.list_users, m["tenancy"], limit=100).data
        return sum(len(identity.list_api_keys(u.id).data) for u in users)


def openai(m):
    client = OpenAI(api_key=m["admin_key"], admin_api_key=m["admin_key"], base_url=m["base_url"])
    org = client.admin.organization
    count = sum(1 for _ in org.admin_api_keys.list(limit=100)) if hasattr(org, "admin_api_keys") else 0
    for project in org.projects.list(limit=100):
        count += sum(1 for _ in org.projects.api_keys.list(project.id, limit=100))
    return count


def codefresh(m):
    request = urllib.request.Request(m["base_url"] + "/auth/keys")
    request.add_header("Authorization", m["api_key"])
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(json.load(response))


VENDORS = {"ibm": ibm, "scaleway": scaleway, "oci": oci_keys, "openai": openai, "codefresh": codefresh}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    start = time.monotonic()
    counts = {name: list_keys(manifest[name]) for name, list_keys in VENDORS.items()}
    print(json.dumps({"seconds": time.monotonic() - start, "keys": counts}))


if __name__ == "__main__":
    main()
