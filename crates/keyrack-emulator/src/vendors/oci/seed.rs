//! The seeded tenancy: the admin (whose fresh key pair the manifest hands out), demo users and
//! keys, and the vendor's published test identity, so that OCI's published signing test
//! vectors replay.

use chrono::{Duration, Utc};
use rand::Rng;
use rsa::RsaPublicKey;

use super::{keys, SecretPem, Settings, State, StoredKey, User};
use crate::state::SeedOptions;

/// The tenancy and user of the vendor's signing vectors. The sandbox tenancy reuses this
/// tenancy OCID so that the vectors' keyIds resolve.
pub const VECTOR_TENANCY: &str =
    "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
pub const VECTOR_USER: &str =
    "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq";
/// The vectors' keyId carries this placeholder, not the test key's real fingerprint; the test
/// key is registered under it as given.
pub const VECTOR_FINGERPRINT: &str = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";

/// The vendor's published 1024-bit test public key (never accepted for upload: too small).
const VECTOR_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
";

const KEYS_PER_LOAD_USER: usize = 3;

pub fn seed(state: &mut State, opts: &SeedOptions) {
    let admin_pair = keys::admin_key_pair();
    let admin_public = RsaPublicKey::from(admin_pair);
    let admin_fingerprint = keys::fingerprint(&admin_public);
    let mut clock = SeedClock::new(8 + opts.extra_keys);

    let mut admin = user("sandbox-admin", true);
    admin.keys.push(stored(
        keys::public_pem(&admin_public),
        admin_fingerprint.clone(),
        clock.next(),
    ));
    let mut deployer = user("ci-deployer", false);
    let mut analyst = user("analyst", false);
    let mut vector = User {
        id: VECTOR_USER.to_string(),
        name: "vendor-test-vectors".to_string(),
        is_admin: false,
        keys: Vec::new(),
        time_created: Some(Utc::now() - Duration::days(400)),
    };
    if !opts.empty {
        admin.keys.push(demo_key(clock.next()));
        for _ in 0..KEYS_PER_LOAD_USER {
            deployer.keys.push(demo_key(clock.next()));
        }
        analyst.keys.push(demo_key(clock.next()));
        vector.keys.push(stored(
            VECTOR_PUBLIC_KEY.to_string(),
            VECTOR_FINGERPRINT.to_string(),
            clock.next(),
        ));
    }
    let mut users = vec![admin, deployer, analyst, vector];

    let mut remaining = opts.extra_keys;
    let mut n = 1;
    while remaining > 0 {
        let mut load = user(&format!("load-user-{n}"), false);
        for _ in 0..remaining.min(KEYS_PER_LOAD_USER) {
            load.keys.push(demo_key(clock.next()));
        }
        remaining -= load.keys.len();
        users.push(load);
        n += 1;
    }

    *state = State {
        region: "us-ashburn-1".to_string(),
        tenancy: VECTOR_TENANCY.to_string(),
        admin_user: users[0].id.clone(),
        admin_fingerprint,
        admin_private_key_pem: SecretPem(keys::private_pkcs8_pem(admin_pair)),
        users,
        retry_tokens: Vec::new(),
        settings: Settings::default(),
    };
}

/// `ocid1.user.oc1..` + 60 base32 characters, the shape of real user OCIDs.
fn user_ocid() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut rng = rand::thread_rng();
    let unique: String = (0..52)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("ocid1.user.oc1..aaaaaaaa{unique}")
}

fn user(name: &str, is_admin: bool) -> User {
    User {
        id: user_ocid(),
        name: name.to_string(),
        is_admin,
        keys: Vec::new(),
        time_created: Some(Utc::now() - Duration::days(400)),
    }
}

fn demo_key(at: chrono::DateTime<Utc>) -> StoredKey {
    let public = keys::demo_public_key();
    stored(keys::public_pem(&public), keys::fingerprint(&public), at)
}

fn stored(key_value: String, fingerprint: String, at: chrono::DateTime<Utc>) -> StoredKey {
    StoredKey {
        fingerprint,
        key_value,
        time_created: at,
        etag: crate::util::random_hex(32),
        active_from: None,
    }
}

/// Creation times spread over the last 30 days in seeding order (lists are creation-ordered).
struct SeedClock {
    next: chrono::DateTime<Utc>,
    step: Duration,
}

impl SeedClock {
    fn new(count: usize) -> Self {
        let span = Duration::days(30);
        let count = i64::try_from(count.max(1)).unwrap_or(i64::MAX);
        SeedClock {
            next: Utc::now() - span,
            step: Duration::milliseconds((span.num_milliseconds() / count).max(1)),
        }
    }

    fn next(&mut self) -> chrono::DateTime<Utc> {
        let t = self.next;
        self.next += self.step;
        t
    }
}
