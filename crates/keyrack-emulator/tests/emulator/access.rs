//! Who may talk to the emulator: requests for its own loopback address only (no DNS
//! rebinding), and the control API as configured (open, behind a token, or absent).

use keyrack_emulator::access::TOKEN_HEADER;
use keyrack_emulator::{ControlApi, EmulatorOptions};

use crate::common::{client, with_options};

#[tokio::test]
async fn a_request_for_another_host_name_is_refused() {
    let emu = with_options(EmulatorOptions::default()).await;
    let port = emu.addr.port();
    let url = format!("{}/api/auth/keys", emu.base_url);
    // What a page at rebound.attacker.example would send after DNS rebinding.
    let foreign = client()
        .get(&url)
        .header("host", format!("rebound.attacker.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 421);
    let control = client()
        .get(format!("{}/__emulator/manifest", emu.base_url))
        .header("host", format!("rebound.attacker.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        control.status(),
        421,
        "the manifest holds the sandbox credentials"
    );
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let ours = client()
            .get(&url)
            .header("host", host.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(
            ours.status(),
            401,
            "{host}: a vendor answer (no credential sent)"
        );
    }
}

#[tokio::test]
async fn the_control_api_can_be_absent_or_behind_a_token() {
    let off = with_options(EmulatorOptions {
        control: ControlApi::Off,
        ..EmulatorOptions::default()
    })
    .await;
    let manifest = client()
        .get(format!("{}/__emulator/manifest", off.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(manifest.status(), 404);
    assert!(off.manifest().get("control_url").is_none());

    let token = "t".repeat(40);
    let guarded = with_options(EmulatorOptions {
        control: ControlApi::Token(token.clone()),
        ..EmulatorOptions::default()
    })
    .await;
    let url = format!("{}/__emulator/faults", guarded.base_url);
    let without = client().get(&url).send().await.unwrap();
    assert_eq!(without.status(), 404);
    let wrong = client()
        .get(&url)
        .header(TOKEN_HEADER, "x".repeat(40))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
    let with = client()
        .get(&url)
        .header(TOKEN_HEADER, token)
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 200);
}
