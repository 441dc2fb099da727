"""IBM Cloud IAM Identity through the official `ibm-platform-services` SDK, unchanged.

IAMAuthenticator exchanges the manifest's API key at `<iam_url>/identity/token`; IamIdentityV1
then runs a whole key lifecycle against the emulator's base URL.
"""

from urllib.parse import parse_qs, urlparse

from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
from ibm_platform_services import IamIdentityV1
import time

from ibm_platform_services.iam_identity_v1 import (
    ApiKey,
    ApiKeyList,
    Report,
    ReportReference,
    ServiceIdList,
)

from harness import Suite, add_fault, clear_faults, expect_error, manifest, requests_log

m = manifest("ibm")
suite = Suite("ibm")
s = suite.state

authenticator = IAMAuthenticator(m["api_key"], url=m["iam_url"])
iam = IamIdentityV1(authenticator=authenticator)
iam.set_service_url(m["base_url"])


def list_all(pagesize):
    """Every key of the admin, following `next` links the way the SDK's own tests do."""
    keys, token, pages = [], None, 0
    while True:
        page = iam.list_api_keys(
            account_id=m["account_id"], iam_id=m["iam_id"], pagesize=pagesize, pagetoken=token
        ).get_result()
        pages += 1
        # The SDK's own models raise on a missing required field or a malformed date.
        ApiKeyList.from_dict(page)
        keys.extend(page["apikeys"])
        if not page.get("next"):
            return keys, pages
        token = parse_qs(urlparse(page["next"]).query)["pagetoken"][0]
        assert pages < 100, "paging never ends"


@suite.step
def token_exchange_gives_a_jwt():
    token = authenticator.token_manager.get_token()
    assert token.count(".") == 2, "the access token is a JWT"


@suite.step
def list_pages_agree_with_one_big_page():
    one_page, pages = list_all(100)
    assert pages == 1
    paged, pages = list_all(1)
    assert len(one_page) >= 2, "the seed has keys enough to page through"
    # A full last page may still carry `next` (then an empty page ends the walk).
    assert len(one_page) <= pages <= len(one_page) + 1, (pages, len(one_page))
    assert [k["id"] for k in paged] == [k["id"] for k in one_page]
    for key in paged:
        assert key["iam_id"] == m["iam_id"]
        assert key["apikey"] == "", "list items never carry a user key's value"
    s["initial_count"] = len(one_page)


@suite.step
def create_returns_the_value_once():
    response = iam.create_api_key(
        name="sdk-conformance",
        iam_id=m["iam_id"],
        account_id=m["account_id"],
        description="created by tests/sdk",
    )
    assert response.get_status_code() == 201
    key = response.get_result()
    ApiKey.from_dict(key)
    assert key["name"] == "sdk-conformance"
    assert len(key["apikey"]) >= 32, "the secret is returned on create"
    assert key["id"].startswith("ApiKey-")
    s["id"] = key["id"]
    s["value"] = key["apikey"]


@suite.step
def get_has_an_etag_and_no_value():
    response = iam.get_api_key(id=s["id"], include_history=True)
    key = response.get_result()
    ApiKey.from_dict(key)
    etag = response.get_headers()["ETag"]
    assert etag and etag == key["entity_tag"], (etag, key.get("entity_tag"))
    assert key["apikey"] == ""
    assert key["description"] == "created by tests/sdk"
    assert isinstance(key.get("history", []), list)
    s["etag"] = etag


@suite.step
def new_key_exchanges_for_a_token():
    own = IAMAuthenticator(s["value"], url=m["iam_url"])
    assert own.token_manager.get_token().count(".") == 2


@suite.step
def get_details_by_value():
    key = iam.get_api_keys_details(iam_api_key=s["value"]).get_result()
    ApiKey.from_dict(key)
    assert key["id"] == s["id"]


@suite.step
def list_sorts_filters_and_includes_history():
    page = iam.list_api_keys(
        account_id=m["account_id"], iam_id=m["iam_id"], sort="name", order="desc",
        include_history=True,
    ).get_result()
    ApiKeyList.from_dict(page)
    names = [k["name"] for k in page["apikeys"]]
    assert names == sorted(names, reverse=True), names
    assert all(k.get("history") for k in page["apikeys"]), "each key has its create record"
    found = iam.list_api_keys(account_id=m["account_id"], filter='name co "sdk-conf"').get_result()
    assert [k["id"] for k in found["apikeys"]] == [s["id"]]


@suite.step
def update_needs_the_current_etag():
    response = iam.update_api_key(
        id=s["id"], if_match=s["etag"], name="sdk-renamed", description="renamed"
    )
    key = response.get_result()
    ApiKey.from_dict(key)
    assert key["name"] == "sdk-renamed" and key["description"] == "renamed"
    assert key["entity_tag"] != s["etag"], "an update moves the ETag on"
    # The old ETag is stale now.
    expect_error(409, iam.update_api_key, id=s["id"], if_match=s["etag"], name="stale")
    s["etag"] = key["entity_tag"]


@suite.step
def update_expiry_leak_action_and_support_sessions_then_remove_the_expiry():
    response = iam.update_api_key(
        id=s["id"], if_match=s["etag"], expires_at="2049-01-02T18:30+0000",
        action_when_leaked="delete", support_sessions=True,
    )
    key = response.get_result()
    ApiKey.from_dict(key)
    assert key["expires_at"].startswith("2049-01-02T18:30"), key["expires_at"]
    assert key["action_when_leaked"] == "delete"
    assert key["support_sessions"] is True
    assert key["name"] == "sdk-renamed", "fields not sent stay as they were"
    # IBM clears a property sent as "": the key no longer expires.
    key = iam.update_api_key(
        id=s["id"], if_match=key["entity_tag"], expires_at=""
    ).get_result()
    ApiKey.from_dict(key)
    assert "expires_at" not in key, key
    # The service's own validation of the leak action.
    expect_error(400, iam.update_api_key, id=s["id"], if_match="*", action_when_leaked="shout")
    s["etag"] = key["entity_tag"]


@suite.step
def get_with_activity_reports_the_last_authentication():
    key = iam.get_api_key(id=s["id"], include_activity=True).get_result()
    ApiKey.from_dict(key)
    activity = key["activity"]
    assert activity["authn_count"] >= 1, activity
    assert activity["last_authn"], "the key exchanged for a token above"
    plain = iam.get_api_key(id=s["id"]).get_result()
    assert "activity" not in plain, "only when asked for"


@suite.step
def list_service_ids_pages():
    one = iam.list_service_ids(account_id=m["account_id"], pagesize=100).get_result()
    ServiceIdList.from_dict(one)
    assert len(one["serviceids"]) >= 2, "the seed has service IDs"
    ids, token = [], None
    while True:
        page = iam.list_service_ids(
            account_id=m["account_id"], pagesize=1, pagetoken=token
        ).get_result()
        ServiceIdList.from_dict(page)
        ids.extend(sid["iam_id"] for sid in page["serviceids"])
        if not page.get("next"):
            break
        token = parse_qs(urlparse(page["next"]).query)["pagetoken"][0]
    assert ids == [sid["iam_id"] for sid in one["serviceids"]]
    assert all(i.startswith("iam-ServiceId-") for i in ids), ids


@suite.step
def lock_blocks_writes_until_unlocked():
    assert iam.lock_api_key(id=s["id"]).get_status_code() == 204
    assert iam.get_api_key(id=s["id"]).get_result()["locked"] is True
    expect_error(409, iam.delete_api_key, id=s["id"])
    assert iam.unlock_api_key(id=s["id"]).get_status_code() == 204
    assert iam.get_api_key(id=s["id"]).get_result()["locked"] is False


@suite.step
def disable_then_enable():
    assert iam.disable_api_key(id=s["id"]).get_status_code() == 204
    assert iam.get_api_key(id=s["id"]).get_result()["disabled"] is True
    assert iam.enable_api_key(id=s["id"]).get_status_code() == 204
    assert iam.get_api_key(id=s["id"]).get_result()["disabled"] is False


@suite.step
def created_locked_and_disabled_via_headers():
    key = iam.create_api_key(
        name="sdk-locked", iam_id=m["iam_id"], entity_lock="true", entity_disable="true"
    ).get_result()
    assert key["locked"] is True and key["disabled"] is True
    iam.unlock_api_key(id=key["id"])
    iam.delete_api_key(id=key["id"])


@suite.step
def delete_then_gone():
    assert iam.delete_api_key(id=s["id"]).get_status_code() == 204
    expect_error(404, iam.get_api_key, id=s["id"])
    keys, _ = list_all(100)
    assert s["id"] not in [k["id"] for k in keys]
    assert len(keys) == s["initial_count"]


@suite.step
def unknown_key_is_404_with_the_services_message():
    exc = expect_error(404, iam.get_api_key, id="ApiKey-00000000-0000-0000-0000-000000000000")
    # The SDK core reads errors[0].message; its fallbacks would say "Unknown error"/"Not Found".
    assert exc.message and exc.message not in ("Unknown error", "Not Found"), exc.message
    assert exc.global_transaction_id or exc.http_response.headers.get("Transaction-Id")


@suite.step
def activity_report_is_made_then_read_by_reference_and_as_latest():
    made = iam.create_report(account_id=m["account_id"], type="inactive", duration="1")
    assert made.get_status_code() == 202, made.get_status_code()
    reference = ReportReference.from_dict(made.get_result()).reference
    # 204 while it is being generated, as the SDK's own integration test expects and polls for.
    got = iam.get_report(account_id=m["account_id"], reference=reference)
    assert got.get_status_code() == 204 and got.get_result() is None, got.get_status_code()
    for _ in range(30):
        time.sleep(0.25)
        got = iam.get_report(account_id=m["account_id"], reference=reference)
        if got.get_status_code() != 204:
            break
    assert got.get_status_code() == 200, got.get_status_code()
    report = Report.from_dict(got.get_result())
    assert report.reference == reference and report.report_duration == "1"
    listed = {k.name: k for k in report.apikeys}
    assert "keyrack-sandbox-admin" not in listed, "this suite's own key authenticated just now"
    never = listed["ci-nightly"]
    assert never.type == "serviceid" and never.last_authn is None, never
    assert all(k.type in ("user", "serviceid") for k in listed.values())
    latest = iam.get_report(account_id=m["account_id"], reference="latest").get_result()
    assert Report.from_dict(latest).reference == reference
    exc = expect_error(404, iam.get_report, account_id=m["account_id"], reference="test123")
    assert exc.message and "test123" in exc.message, exc.message


@suite.step
def sdk_retries_honour_the_throttle():
    retrying = IamIdentityV1(authenticator=authenticator)
    retrying.set_service_url(m["base_url"])
    retrying.enable_retries(max_retries=2, retry_interval=2.0)
    add_fault({"vendor": "ibm", "path_prefix": "/v1/apikeys", "kind": "status", "status": 429,
               "retry_after": 1, "count": 1})
    try:
        page = retrying.list_api_keys(account_id=m["account_id"], iam_id=m["iam_id"])
        assert page.get_status_code() == 200
        lists = [r["status"] for r in requests_log() if r["path"] == "/v1/apikeys"]
        assert lists[-2:] == [429, 200], lists
    finally:
        clear_faults()


@suite.step
def wrong_api_key_is_refused_at_the_token_exchange():
    bad = IamIdentityV1(authenticator=IAMAuthenticator("x" * 44, url=m["iam_url"]))
    bad.set_service_url(m["base_url"])
    expect_error(400, bad.list_api_keys, account_id=m["account_id"])


suite.run()
