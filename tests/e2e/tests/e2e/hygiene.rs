//! Key hygiene in the real app: the "Needs attention" view shows the sandbox's seeded expiring
//! IBM key with its reason, and after a key is created and deleted through the UI the Activity
//! view lists both (the audit log the desktop writes). Screenshots of the three views.

use keyrack_e2e::{with_app, App};
use serde_json::{json, Value};

use crate::keys::{delete_key, discard_secret, open_create, submit_create, unique};

async fn show(app: &App, page: &str) {
    app.click(&format!("[data-testid=nav-{page}]")).await;
    app.wait_for(&format!("[data-testid={page}-view]")).await;
}

#[tokio::test]
async fn needs_attention_and_activity_after_a_create_and_a_delete() {
    with_app("hygiene", |app| async move {
        app.wait_keys_loaded().await;

        // The sandbox seeds IBM's "ci-deploy" to expire in 3 days.
        show(&app, "attention").await;
        let list = app
            .wait_text("[data-testid=attention-view]", |t| t.contains("ci-deploy"))
            .await;
        let flagged: Vec<Value> = app.invoke("attention_list", json!({})).await.unwrap();
        let ci = flagged
            .iter()
            .find(|a| a["key"]["name"] == "ci-deploy")
            .unwrap_or_else(|| panic!("ci-deploy needs no attention: {flagged:?}"));
        assert_eq!(ci["reasons"][0]["kind"], "expiring", "{ci}");
        let item = app
            .wait_text(
                &format!("[data-attention-key='{}']", ci["key_id"].as_str().unwrap()),
                |t| t.contains("ci-deploy"),
            )
            .await;
        assert!(
            item.contains("expires in 2 days") || item.contains("expires in 3 days"),
            "{item}"
        );
        assert!(list.contains("Snooze 7 days"), "{list}");
        let count = app
            .wait_text("[data-testid=attention-count]", |t| !t.is_empty())
            .await;
        assert!(count.trim().parse::<u32>().unwrap() >= 1, "{count}");
        app.screenshot("hygiene-attention").await;

        show(&app, "overview").await;
        app.wait_for("[data-testid=expiry-chart] circle").await;
        app.wait_for("[data-testid=vendor-chart] rect").await;
        app.screenshot("hygiene-overview").await;

        // A key created and deleted through the window.
        app.click("#sidebar .top li:first-child button").await;
        let name = format!("e2e audit {}", unique());
        open_create(&app, "sandbox-ibm").await;
        app.fill("#create-name", &name).await;
        let key = submit_create(&app).await;
        discard_secret(&app).await;
        delete_key(&app, &key.id, &name, "IBM Cloud (Sandbox)").await;

        show(&app, "activity").await;
        let created = format!(
            "[data-testid=activity-view] tr[data-action=key_create][data-key-id='{}']",
            key.id
        );
        let deleted = format!(
            "[data-testid=activity-view] tr[data-action=key_delete][data-key-id='{}']",
            key.id
        );
        let created_text = app.wait_text(&created, |t| t.contains("Created")).await;
        assert!(created_text.contains(&name), "{created_text}");
        let deleted_text = app.wait_text(&deleted, |t| t.contains("Deleted")).await;
        assert!(deleted_text.contains("OK"), "{deleted_text}");
        // Newest first: the delete comes before the create.
        let table = app
            .wait_text("[data-testid=activity-view] tbody", |t| {
                t.contains("Deleted")
            })
            .await;
        assert!(
            table.find("Deleted").unwrap() < table.find("Created").unwrap(),
            "{table}"
        );
        app.screenshot("hygiene-activity").await;
    })
    .await;
}
