"""OCI Identity API signing keys through the official `oci` Python SDK, unchanged.

The SDK signs every request with the manifest's key (OCI HTTP signatures, verified by the
emulator); a second client signs with a key this script uploads, then deletes.
"""

import os
import tempfile
import uuid

import oci
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from harness import Suite, add_fault, clear_faults, expect_error, manifest, requests_log

m = manifest("oci")
suite = Suite("oci")
s = suite.state
workdir = tempfile.mkdtemp(prefix="keyrack-sdk-oci-")


def write_private(name, data):
    path = os.path.join(workdir, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def config_for(fingerprint, key_file):
    return {
        "user": m["user"],
        "tenancy": m["tenancy"],
        "region": m["region"],
        "fingerprint": fingerprint,
        "key_file": key_file,
    }


def client_for(config):
    return oci.identity.IdentityClient(config, service_endpoint=m["base_url"])


def md5_fingerprint(public_key):
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.MD5())
    digest.update(der)
    return ":".join(f"{b:02x}" for b in digest.finalize())


def new_public_pem():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return pem, md5_fingerprint(private.public_key())


def upload(pem, **kwargs):
    return identity.upload_api_key(
        m["user"], oci.identity.models.CreateApiKeyDetails(key=pem), **kwargs
    )


admin_config = config_for(m["fingerprint"], write_private("admin.pem", m["private_key_pem"].encode()))
identity = client_for(admin_config)


@suite.step
def config_validates():
    oci.config.validate_config(admin_config)


@suite.step
def list_shows_the_signing_key():
    response = identity.list_api_keys(m["user"])
    assert response.status == 200
    keys = response.data
    fingerprints = [k.fingerprint for k in keys]
    assert m["fingerprint"] in fingerprints, fingerprints
    for key in keys:
        assert key.user_id == m["user"]
        assert key.lifecycle_state in ("ACTIVE", "CREATING")
        assert key.key_value.startswith("-----BEGIN PUBLIC KEY-----")
    assert response.headers.get("opc-request-id")
    s["count"] = len(keys)


@suite.step
def list_users_in_the_tenancy_pages_with_opc_next_page():
    response = identity.list_users(m["tenancy"])
    assert response.status == 200
    users = response.data
    assert m["user"] in [u.id for u in users]
    for user in users:
        assert user.name and user.compartment_id == m["tenancy"]
        assert user.lifecycle_state == "ACTIVE"
        assert user.time_created is not None
    # One user a page, chained by opc-next-page, through the SDK's own pager.
    paged = oci.pagination.list_call_get_all_results(
        identity.list_users, m["tenancy"], limit=1
    ).data
    assert [u.id for u in paged] == [u.id for u in users]
    first = identity.list_users(m["tenancy"], limit=1)
    assert first.has_next_page and first.next_page
    # Another compartment is OCI's not-authorized-or-not-found.
    expect_error(404, identity.list_users, "ocid1.tenancy.oc1..aaaaaaaanotours")


@suite.step
def upload_a_new_public_key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    response = identity.upload_api_key(
        m["user"], oci.identity.models.CreateApiKeyDetails(key=public_pem)
    )
    assert response.status == 200
    key = response.data
    assert key.fingerprint == md5_fingerprint(private.public_key())
    assert key.user_id == m["user"]
    assert key.lifecycle_state in ("ACTIVE", "CREATING")
    assert response.headers.get("etag")
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    s["fingerprint"] = key.fingerprint
    s["key_file"] = write_private("new.pem", pem)


@suite.step
def the_new_key_signs_requests():
    config = config_for(s["fingerprint"], s["key_file"])
    oci.config.validate_config(config)
    keys = client_for(config).list_api_keys(m["user"]).data
    assert s["fingerprint"] in [k.fingerprint for k in keys]
    assert len(keys) == s["count"] + 1


@suite.step
def same_key_twice_is_409():
    with open(s["key_file"], "rb") as f:
        private = serialization.load_pem_private_key(f.read(), password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    exc = expect_error(409, upload, public_pem)
    assert exc.code == "Conflict", exc.code


@suite.step
def delete_then_the_key_no_longer_signs():
    response = identity.delete_api_key(m["user"], s["fingerprint"])
    assert response.status == 204
    fingerprints = [k.fingerprint for k in identity.list_api_keys(m["user"]).data]
    assert s["fingerprint"] not in fingerprints
    gone = client_for(config_for(s["fingerprint"], s["key_file"]))
    exc = expect_error(401, gone.list_api_keys, m["user"])
    assert exc.code == "NotAuthenticated", exc.code


@suite.step
def delete_unknown_fingerprint_is_404():
    exc = expect_error(404, identity.delete_api_key, m["user"], "00:" * 15 + "00")
    assert exc.code == "NotAuthorizedOrNotFound", exc.code
    assert exc.request_id, "the SDK reads opc-request-id into the error"


@suite.step
def bad_key_value_is_400():
    exc = expect_error(400, upload, "not a pem")
    assert exc.code == "InvalidParameter", exc.code


@suite.step
def a_retry_token_replays_the_same_upload():
    pem, fingerprint = new_public_pem()
    token = "keyrack-sdk-" + uuid.uuid4().hex
    first = upload(pem, opc_retry_token=token)
    again = upload(pem, opc_retry_token=token)
    assert first.data.fingerprint == again.data.fingerprint == fingerprint
    listed = [k.fingerprint for k in identity.list_api_keys(m["user"]).data]
    assert listed.count(fingerprint) == 1
    s["etag"] = first.headers["etag"]
    s["replayed"] = fingerprint


@suite.step
def delete_with_a_stale_if_match_is_412():
    exc = expect_error(
        412, identity.delete_api_key, m["user"], s["replayed"], if_match='"stale-etag"'
    )
    assert exc.code == "NoEtagMatch", exc.code
    response = identity.delete_api_key(m["user"], s["replayed"], if_match=s["etag"])
    assert response.status == 204


@suite.step
def at_most_three_keys_per_user():
    made = []
    try:
        while len(identity.list_api_keys(m["user"]).data) < 3:
            pem, fingerprint = new_public_pem()
            upload(pem)
            made.append(fingerprint)
        pem, _ = new_public_pem()
        exc = expect_error(400, upload, pem)
        assert exc.code == "LimitExceeded", exc.code
    finally:
        for fingerprint in made:
            identity.delete_api_key(m["user"], fingerprint)
    assert len(identity.list_api_keys(m["user"]).data) == s["count"]


@suite.step
def default_retry_strategy_rides_out_a_503():
    add_fault({"vendor": "oci", "kind": "status", "status": 503, "count": 1})
    try:
        assert identity.list_api_keys(m["user"]).status == 200
    finally:
        clear_faults()
    lists = [r["status"] for r in requests_log() if r["path"].endswith("/apiKeys")]
    assert lists[-2:] == [503, 200], lists


suite.run()
