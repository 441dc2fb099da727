//! Where a credential may go: only to the address it was entered for, over https (plain http
//! only to this computer), never after a redirect, and never quoted back from an answer that is
//! not the vendor's own error format.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keyrack_core::vendor;
use keyrack_core::{AccountSettings, Code, Credential, VendorId};

use crate::support;

/// A loopback server answering every request with `answer(headers)`, counting requests.
async fn serve(
    answer: impl Fn(&HeaderMap) -> Response + Clone + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let answer = answer.clone();
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            answer(&headers)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, hits)
}

const SECRET: &str = "a1b2c3d4-0000-4000-8000-5ec2e75ec2e7";

fn scaleway_at(base: &str) -> Arc<dyn keyrack_core::Vendor> {
    let account = support::account(
        VendorId::Scaleway,
        AccountSettings {
            base_url: Some(base.into()),
            organization_id: Some("f46e8a03-0000-404d-b32e-de49bf92e066".into()),
            ..Default::default()
        },
    );
    support::connect(
        &account,
        SECRET,
        &support::fast_http(Duration::from_secs(5)),
    )
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_says_where_it_pointed() {
    // The place a redirect would send the credential to: it must never hear from us.
    let (elsewhere, stolen) = serve(|_| StatusCode::OK.into_response()).await;
    let target = format!("{elsewhere}/iam/v1alpha1/api-keys");
    let (base, hits) = serve(move |_| {
        (
            StatusCode::TEMPORARY_REDIRECT,
            [("location", target.clone())],
        )
            .into_response()
    })
    .await;
    let e = scaleway_at(&base).list().await.unwrap_err();
    assert_eq!(e.code(), Code::Network, "{e}");
    assert!(e.to_string().contains("redirect (307)"), "{e}");
    assert!(e.to_string().contains("does not follow"), "{e}");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "sent once, not retried");
    assert_eq!(
        stolen.load(Ordering::SeqCst),
        0,
        "nothing reached the redirect's target"
    );
}

#[tokio::test]
async fn an_answer_that_is_not_the_vendors_json_is_not_quoted() {
    // A proxy that echoes the request, credential header included.
    let (base, _) = serve(|headers| {
        let echo = format!("{headers:?}");
        (
            StatusCode::BAD_GATEWAY,
            [("content-type", "text/plain")],
            echo,
        )
            .into_response()
    })
    .await;
    let e = scaleway_at(&base).list().await.unwrap_err();
    let public = serde_json::to_string(&e.to_public()).unwrap();
    for shown in [e.to_string(), format!("{e:?}"), public] {
        assert!(!shown.contains(SECRET), "the credential came back: {shown}");
    }
    assert!(e.to_string().contains("text/plain"), "{e}");
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused_before_anything_is_sent() {
    let account = support::account(
        VendorId::Codefresh,
        AccountSettings {
            base_url: Some("http://codefresh.example.com/api".into()),
            ..Default::default()
        },
    );
    let http = support::fast_http(Duration::from_secs(5));
    let e = vendor::connect(&account, Credential::new("k.s"), &http)
        .err()
        .unwrap();
    assert_eq!(e.code(), Code::Config);
    assert!(e.to_string().contains("must use https://"), "{e}");
}
