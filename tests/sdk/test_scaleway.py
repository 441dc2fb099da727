"""Scaleway IAM through the official `scaleway` Python SDK, unchanged.

`scaleway.Client(access_key, secret_key, api_url=<emulator>)` + `IamV1Alpha1API` run a key
lifecycle for the seeded owner, page through the keys, and read users and applications.
"""

from datetime import datetime, timedelta, timezone

from scaleway import Client
from scaleway.account.v3 import AccountV3ProjectAPI
from scaleway.iam.v1alpha1 import IamV1Alpha1API, ListAPIKeysRequestOrderBy

from harness import Suite, expect_error, manifest

m = manifest("scaleway")
suite = Suite("scaleway")
s = suite.state

client = Client(
    access_key=m["access_key"],
    secret_key=m["secret_key"],
    api_url=m["base_url"],
    default_organization_id=m["organization_id"],
    default_project_id=m["project_id"],
)
iam = IamV1Alpha1API(client)


@suite.step
def client_settings_validate():
    assert client.validate()


@suite.step
def list_one_page_then_all_pages():
    page = iam.list_api_keys(page_size=100)
    assert page.total_count == len(page.api_keys)
    assert any(k.access_key == m["access_key"] for k in page.api_keys)
    for key in page.api_keys:
        assert key.secret_key is None, "a listed key never carries its secret"
    # list_*_all follows `page` until total_count is reached; one key per page.
    everything = iam.list_api_keys_all(page_size=1)
    assert [k.access_key for k in everything] == [k.access_key for k in page.api_keys]
    s["count"] = page.total_count


@suite.step
def create_for_a_user_returns_the_secret_once():
    expires = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
    key = iam.create_api_key(
        description="sdk-conformance",
        user_id=m["user_id"],
        expires_at=expires,
        default_project_id=m["project_id"],
    )
    assert key.access_key.startswith("SCW") and len(key.access_key) == 20
    assert key.secret_key and len(key.secret_key) == 36
    assert key.user_id == m["user_id"] and key.application_id is None
    assert key.expires_at == expires, (key.expires_at, expires)
    assert isinstance(key.created_at, datetime)
    s["key"] = key


@suite.step
def new_key_authenticates():
    own = IamV1Alpha1API(
        Client(access_key=s["key"].access_key, secret_key=s["key"].secret_key,
               api_url=m["base_url"], default_organization_id=m["organization_id"])
    )
    assert own.get_api_key(access_key=s["key"].access_key).access_key == s["key"].access_key


@suite.step
def get_hides_the_secret():
    key = iam.get_api_key(access_key=s["key"].access_key)
    assert key.secret_key is None
    assert key.description == "sdk-conformance"
    assert key.default_project_id == m["project_id"]


@suite.step
def filter_by_bearer():
    mine = iam.list_api_keys_all(user_id=m["user_id"])
    assert s["key"].access_key in [k.access_key for k in mine]
    assert all(k.user_id == m["user_id"] for k in mine)


@suite.step
def update_description_and_expiry():
    later = (datetime.now(timezone.utc) + timedelta(days=60)).replace(microsecond=0)
    key = iam.update_api_key(
        access_key=s["key"].access_key, description="sdk-renamed", expires_at=later
    )
    assert key.description == "sdk-renamed"
    assert key.expires_at == later
    assert key.updated_at >= key.created_at
    # Moved again, and refused in the past with Scaleway's invalid-arguments answer.
    sooner = later - timedelta(days=30)
    assert iam.update_api_key(access_key=s["key"].access_key, expires_at=sooner).expires_at == sooner
    past = datetime.now(timezone.utc) - timedelta(days=1)
    expect_error(400, iam.update_api_key, access_key=s["key"].access_key, expires_at=past)


@suite.step
def delete_then_gone():
    assert iam.delete_api_key(access_key=s["key"].access_key) is None
    expect_error(404, iam.get_api_key, access_key=s["key"].access_key)
    assert iam.list_api_keys(page_size=100).total_count == s["count"]
    # The deleted key's secret no longer authenticates.
    gone = IamV1Alpha1API(
        Client(access_key=s["key"].access_key, secret_key=s["key"].secret_key,
               api_url=m["base_url"], default_organization_id=m["organization_id"])
    )
    expect_error(401, gone.list_api_keys)


@suite.step
def users_list_and_get():
    users = iam.list_users_all()
    assert m["user_id"] in [u.id for u in users]
    user = iam.get_user(user_id=m["user_id"])
    assert user.organization_id == m["organization_id"]
    assert user.email


@suite.step
def applications_list_and_key_for_one():
    apps = iam.list_applications_all()
    assert m["application_id"] in [a.id for a in apps]
    key = iam.create_api_key(description="app key", application_id=m["application_id"])
    assert key.application_id == m["application_id"] and key.user_id is None
    iam.delete_api_key(access_key=key.access_key)


@suite.step
def account_projects_list_and_get():
    projects = AccountV3ProjectAPI(client).list_projects_all()
    assert m["project_id"] in [p.id for p in projects]
    project = AccountV3ProjectAPI(client).get_project(project_id=m["project_id"])
    assert project.organization_id == m["organization_id"]


@suite.step
def order_and_access_key_filters():
    asc = iam.list_api_keys_all(order_by=ListAPIKeysRequestOrderBy.ACCESS_KEY_ASC)
    desc = iam.list_api_keys_all(order_by=ListAPIKeysRequestOrderBy.ACCESS_KEY_DESC)
    names = [k.access_key for k in asc]
    assert names == sorted(names) and [k.access_key for k in desc] == names[::-1]
    # `access_keys` is sent as a repeated query parameter.
    pick = names[:2]
    assert sorted(k.access_key for k in iam.list_api_keys_all(access_keys=pick)) == pick


@suite.step
def unknown_key_is_404_in_scaleways_shape():
    exc = expect_error(404, iam.get_api_key, access_key="SCWAAAAAAAAAAAAAAAAA")
    body = exc.response.json()
    assert body["type"] == "not_found" and body["resource_id"] == "SCWAAAAAAAAAAAAAAAAA", body


@suite.step
def wrong_secret_is_401():
    bad = IamV1Alpha1API(
        Client(access_key=m["access_key"], secret_key="00000000-0000-4000-8000-000000000000",
               api_url=m["base_url"], default_organization_id=m["organization_id"])
    )
    body = expect_error(401, bad.list_api_keys).response.json()
    assert body["type"] == "denied_authentication", body


suite.run()
