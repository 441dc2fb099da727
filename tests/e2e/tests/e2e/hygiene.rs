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

#[tokio::test]
async fn rotate_selected_in_needs_attention_rotates_each_key_with_progress() {
    with_app("rotate_selected", |app| async move {
        app.wait_keys_loaded().await;
        show(&app, "attention").await;
        app.wait_text("[data-testid=attention-view]", |t| {
            t.contains("dana-notebook")
        })
        .await;
        let flagged: Vec<Value> = app.invoke("attention_list", json!({})).await.unwrap();
        let id_of = |name: &str| {
            flagged
                .iter()
                .find(|a| a["key"]["name"] == name && a["account_id"] == "sandbox-ibm")
                .unwrap_or_else(|| panic!("{name} needs no attention: {flagged:?}"))["key_id"]
                .as_str()
                .unwrap()
                .to_string()
        };
        // IBM's expiring CI key and a colleague's expired one.
        let picked = [id_of("ci-deploy"), id_of("dana-notebook")];
        for id in &picked {
            app.click(&format!(
                "[data-attention-key='{id}'] [data-testid=attention-pick]"
            ))
            .await;
        }
        app.wait_text("[data-testid=rotate-selected]", |t| t.contains("(2)"))
            .await;
        app.click("[data-testid=rotate-selected]").await;
        // The sandbox's IBM, like IBM, lets a user's API keys be made only by that user: the
        // colleague's key is refused at plan (nothing to run for it, and it says why); the CI
        // key (a service ID's) is planned.
        app.wait_text("[data-testid=rotate-many-run]", |t| {
            t.contains("Rotate 1 key")
        })
        .await;
        app.wait_text("[data-testid=rotate-many-items]", |t| {
            t.contains("their own credential")
        })
        .await;
        app.screenshot("rotate-selected-plan").await;
        app.click("[data-testid=rotate-many-run]").await;
        let summary = app
            .wait_text("[data-testid=rotate-many-summary]", |t| !t.is_empty())
            .await;
        assert_eq!(summary, "1 rotated, 1 could not be planned.", "{summary}");
        let bar = app
            .client()
            .execute(
                "const p = document.querySelector('[data-testid=rotate-many-progress]'); \
                 return `${p.value}/${p.max}`;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(bar, json!("1/1"), "the bar is full");
        app.screenshot("rotate-selected-result").await;
        let status = |id: String| {
            let app = &app;
            async move {
                app.wait_for(&format!(
                    "[data-testid=rotate-many-items] [data-key-id='{id}']"
                ))
                .await
                .attr("data-status")
                .await
                .unwrap()
            }
        };
        let [ci, dana] = picked;
        assert_eq!(status(ci.clone()).await.as_deref(), Some("rotated"));
        assert_eq!(status(dana.clone()).await.as_deref(), Some("refused"));
        let gone: Result<Value, Value> = app
            .invoke(
                "key_get",
                json!({ "accountId": "sandbox-ibm", "keyId": ci }),
            )
            .await;
        assert_eq!(gone.unwrap_err()["code"], "not_found");
        let kept: Value = app
            .invoke(
                "key_get",
                json!({ "accountId": "sandbox-ibm", "keyId": dana }),
            )
            .await
            .unwrap();
        assert_eq!(kept["id"], json!(dana), "the old key is untouched");
        // The new secret waits for the reveal panel until asked for.
        app.click("[data-testid=rotate-many-secrets]").await;
        app.wait_text("[data-testid=reveal-panel]", |t| {
            t.contains("ci-deploy-rotated-")
        })
        .await;
    })
    .await;
}
