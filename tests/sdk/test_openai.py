"""OpenAI Administration API through the official `openai` Python SDK, unchanged.

The pinned SDK has typed `client.admin.organization…` resources authenticated with the admin
key; the script also goes through the raw `client.get` helper the older SDKs offered.
"""

import openai
from openai import OpenAI

from harness import Suite, add_fault, clear_faults, expect_error, manifest, requests_log

m = manifest("openai")
suite = Suite("openai")
s = suite.state

# max_retries=0: a wrong status must fail at once, not after the SDK's back-off. Strict
# validation makes the SDK reject any response that does not match its typed models.
client = OpenAI(
    api_key=m["admin_key"],
    admin_api_key=m["admin_key"],
    base_url=m["base_url"],
    max_retries=0,
    _strict_response_validation=True,
)
org = client.admin.organization
# The way older SDKs reached the admin API: the admin key as the plain API key, raw helpers.
plain = OpenAI(api_key=m["admin_key"], base_url=m["base_url"], max_retries=0)


@suite.step
def projects_list_pages_by_cursor():
    first = org.projects.list(limit=1)
    assert len(first.data) == 1
    everything = [p.id for p in org.projects.list(limit=1)]  # auto-paging iterator
    assert m["project_id"] in everything
    assert everything[0] == first.data[0].id
    assert len(everything) == len(set(everything)), "no project is listed twice"
    s["projects"] = len(everything)


@suite.step
def project_create_retrieve_rename():
    project = org.projects.create(name="sdk-conformance")
    assert project.id.startswith("proj_") and project.status == "active"
    assert org.projects.retrieve(project.id).name == "sdk-conformance"
    renamed = org.projects.update(project.id, name="sdk-renamed")
    assert renamed.name == "sdk-renamed"
    assert len(list(org.projects.list())) == s["projects"] + 1
    s["project"] = project.id


@suite.step
def service_account_create_returns_its_key_once():
    account = org.projects.service_accounts.create(s["project"], name="sdk-bot")
    assert account.id.startswith("svc_acct_")
    assert account.api_key is not None, "the create response carries the key"
    assert account.api_key.value.startswith("sk-"), "the key value is shown once"
    s["account"] = account.id
    s["key_id"] = account.api_key.id
    s["key_value"] = account.api_key.value


@suite.step
def the_new_project_key_lists_models():
    # What Keyrack's rotation does to prove a new key works: GET /v1/models with that key.
    with_key = OpenAI(
        api_key=s["key_value"],
        base_url=m["base_url"],
        max_retries=0,
        _strict_response_validation=True,
    )
    models = list(with_key.models.list())
    assert models and all(model.object == "model" for model in models)
    wrong = OpenAI(api_key="sk-proj-not-a-key", base_url=m["base_url"], max_retries=0)
    expect_error(401, wrong.models.list)


@suite.step
def service_account_retrieve_and_list():
    account = org.projects.service_accounts.retrieve(s["account"], project_id=s["project"])
    assert account.name == "sdk-bot"
    ids = [a.id for a in org.projects.service_accounts.list(s["project"])]
    assert ids == [s["account"]]


@suite.step
def second_key_for_the_service_account():
    key = org.projects.service_accounts.api_keys.create(
        s["account"], project_id=s["project"], name="second"
    )
    assert key.value.startswith("sk-") and key.value != s["key_value"]
    s["second_key_id"] = key.id


@suite.step
def scoped_key_create_update_and_unknown_scope():
    keys = org.projects.service_accounts.api_keys
    made = keys.create(s["account"], project_id=s["project"], name="reader",
                       scopes=["api.all.read"], expires_in_seconds=3600)
    assert made.name == "reader" and made.expires_at and made.expires_at > made.created_at
    key = org.projects.api_keys.retrieve(made.id, project_id=s["project"])
    assert key.expires_at == made.expires_at
    # `scopes` is not in the SDK's model; the emulator answers it as an extra field.
    assert key.to_dict()["scopes"] == ["api.all.read"]
    updated = org.projects.api_keys.update(
        made.id, project_id=s["project"], scopes=["model.read", "api.model.read"],
        expires_in_seconds=7200,
    )
    assert updated.to_dict()["scopes"] == ["model.read", "api.model.read"]
    assert updated.expires_at > key.expires_at
    exc = expect_error(400, org.projects.api_keys.update, made.id, project_id=s["project"],
                       scopes=["api.everything"])
    assert isinstance(exc, openai.BadRequestError)
    assert exc.param == "scopes" and exc.code == "invalid_value", exc.body
    expect_error(400, keys.create, s["account"], project_id=s["project"], scopes=["nope"])
    cleared = org.projects.api_keys.update(made.id, project_id=s["project"], scopes=[])
    assert cleared.to_dict()["scopes"] == []
    assert org.projects.api_keys.delete(made.id, project_id=s["project"]).deleted is True


@suite.step
def service_account_only_has_no_key_and_no_expiry():
    bare = org.projects.service_accounts.create(
        s["project"], name="sdk-bare", create_service_account_only=True
    )
    assert bare.api_key is None and bare.role == "none"
    member = org.projects.service_accounts.update(bare.id, project_id=s["project"], role="member")
    assert member.role == "member"
    exc = expect_error(400, org.projects.service_accounts.create, s["project"], name="x",
                       create_service_account_only=True, expires_in_seconds=60)
    assert isinstance(exc, openai.BadRequestError)
    made = org.projects.service_accounts.create(s["project"], name="sdk-expiring",
                                                expires_in_seconds=600)
    assert made.api_key.expires_at and made.api_key.expires_at > made.api_key.created_at
    for account in (bare.id, made.id):
        org.projects.service_accounts.delete(account, project_id=s["project"])


@suite.step
def project_api_keys_page_one_by_one():
    first = org.projects.api_keys.list(s["project"], limit=1)
    assert len(first.data) == 1 and first.has_more is True
    keys = list(org.projects.api_keys.list(s["project"], limit=1))
    assert sorted(k.id for k in keys) == sorted([s["key_id"], s["second_key_id"]])
    for key in keys:
        assert key.owner.type == "service_account"
        assert key.owner.service_account.id == s["account"]
        assert key.redacted_value and s["key_value"] not in key.redacted_value


@suite.step
def project_api_key_retrieve():
    key = org.projects.api_keys.retrieve(s["key_id"], project_id=s["project"])
    assert key.id == s["key_id"]
    assert key.redacted_value.endswith(s["key_value"][-4:])


@suite.step
def update_key_expiry_and_service_account():
    key = org.projects.api_keys.update(
        s["second_key_id"], project_id=s["project"], expires_in_seconds=3600
    )
    assert key.id == s["second_key_id"]
    assert key.expires_at is not None and key.expires_at > key.created_at
    account = org.projects.service_accounts.update(
        s["account"], project_id=s["project"], name="sdk-bot-renamed"
    )
    assert account.name == "sdk-bot-renamed"


@suite.step
def errors_map_to_the_sdks_exception_classes():
    exc = expect_error(404, org.projects.retrieve, "proj_doesnotexist000000000000")
    assert isinstance(exc, openai.NotFoundError)
    assert exc.body and exc.body.get("message"), exc.body
    assert exc.request_id and exc.request_id.startswith("req_")
    exc = expect_error(400, org.projects.create, name="")
    assert isinstance(exc, openai.BadRequestError)


@suite.step
def sdk_retries_a_throttled_call():
    retrying = OpenAI(api_key=m["admin_key"], admin_api_key=m["admin_key"],
                      base_url=m["base_url"], max_retries=2)
    add_fault({"vendor": "openai", "path_prefix": "/v1/organization/projects", "kind": "status",
               "status": 429, "retry_after": 1, "count": 1})
    try:
        assert retrying.admin.organization.projects.retrieve(s["project"]).id == s["project"]
    finally:
        clear_faults()
    seen = [r["status"] for r in requests_log() if r["path"].endswith(s["project"])]
    assert seen[-2:] == [429, 200], seen


@suite.step
def raw_helper_reads_the_same_list():
    page = plain.get(f"/organization/projects/{s['project']}/api_keys", cast_to=object)
    assert page["object"] == "list" and len(page["data"]) == 2
    assert page["first_id"] == page["data"][0]["id"]
    assert page["last_id"] == page["data"][1]["id"]
    assert page["has_more"] is False


@suite.step
def raw_helpers_create_and_delete():
    made = plain.post(
        f"/organization/projects/{s['project']}/service_accounts",
        body={"name": "raw-bot"},
        cast_to=object,
    )
    assert made["api_key"]["value"].startswith("sk-")
    gone = plain.delete(
        f"/organization/projects/{s['project']}/service_accounts/{made['id']}", cast_to=object
    )
    assert gone == {
        "object": "organization.project.service_account.deleted",
        "id": made["id"],
        "deleted": True,
    }


@suite.step
def delete_keys_then_gone():
    deleted = org.projects.api_keys.delete(s["second_key_id"], project_id=s["project"])
    assert deleted.deleted is True and deleted.id == s["second_key_id"]
    expect_error(404, org.projects.api_keys.retrieve, s["second_key_id"], project_id=s["project"])
    assert [k.id for k in org.projects.api_keys.list(s["project"])] == [s["key_id"]]


@suite.step
def delete_service_account():
    deleted = org.projects.service_accounts.delete(s["account"], project_id=s["project"])
    assert deleted.deleted is True
    assert list(org.projects.service_accounts.list(s["project"])) == []


@suite.step
def archive_project_refuses_new_accounts():
    archived = org.projects.archive(s["project"])
    assert archived.status == "archived" and archived.archived_at
    assert s["project"] not in [p.id for p in org.projects.list()]
    assert s["project"] in [p.id for p in org.projects.list(include_archived=True)]
    expect_error(400, org.projects.service_accounts.create, s["project"], name="late")


@suite.step
def admin_api_keys_lifecycle():
    before = [k.id for k in org.admin_api_keys.list(limit=1)]
    made = org.admin_api_keys.create(name="sdk-admin", expires_in_seconds=86400)
    assert made.value.startswith("sk-admin-")
    assert made.expires_at and made.expires_at - made.created_at == 86400
    assert org.admin_api_keys.retrieve(made.id).name == "sdk-admin"
    # The new admin key works on its own.
    own = OpenAI(api_key=made.value, admin_api_key=made.value, base_url=m["base_url"],
                 max_retries=0, _strict_response_validation=True)
    assert sorted(k.id for k in own.admin.organization.admin_api_keys.list()) == sorted(
        before + [made.id]
    )
    deleted = org.admin_api_keys.delete(made.id)
    assert deleted.deleted is True and deleted.id == made.id
    expect_error(401, own.admin.organization.projects.list)
    assert [k.id for k in org.admin_api_keys.list(limit=1)] == before


@suite.step
def wrong_admin_key_is_401():
    bad = OpenAI(api_key="sk-admin-wrong", admin_api_key="sk-admin-wrong",
                 base_url=m["base_url"], max_retries=0)
    exc = expect_error(401, bad.admin.organization.projects.list)
    assert isinstance(exc, openai.AuthenticationError)


suite.run()
