//! Listener, router composition, body limits, the `/__emulator/` control API and the manifest.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

use crate::access::{guard, ControlApi};
use crate::envelope::error_response;
use crate::faults::Faults;
use crate::middleware::{emulate, MAX_BODY_BYTES};
use crate::request_log::RequestLog;
use crate::state::{read_state, SeedOptions, Shared, SharedInner, Store};
use crate::vendors::{self, vendor_of_path};

#[derive(Debug, Clone, Default)]
pub struct EmulatorOptions {
    /// Default `127.0.0.1:0` (a free port).
    pub listen: Option<SocketAddr>,
    /// Used when there is no state file yet, and by `POST /__emulator/reset`.
    pub seed: SeedOptions,
    /// Load state from this file if it exists; write every change back to it.
    pub state_file: Option<PathBuf>,
    /// Latency added to every vendor request.
    pub latency_ms: u64,
    /// Whether `/__emulator/…` answers, and to whom.
    pub control: ControlApi,
    /// Answer requests for any host name, not only the loopback address listened on: for tests
    /// that replay requests signed for a vendor's real host (OCI's published vectors).
    pub any_host: bool,
}

/// A running emulator, serving until `shutdown` is called or the runtime ends.
pub struct Emulator {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub shared: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// The sandbox manifest: base URL and the seeded admin credentials of every vendor.
    pub fn manifest(&self) -> serde_json::Value {
        manifest(&self.shared)
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

pub fn manifest(shared: &Shared) -> serde_json::Value {
    let store = shared.store();
    let base = &shared.base_url;
    let mut manifest = serde_json::Map::new();
    manifest.insert("base_url".into(), base.as_str().into());
    if shared.control != ControlApi::Off {
        manifest.insert("control_url".into(), format!("{base}/__emulator").into());
    }
    manifest.extend(vendors::manifests(&store, base));
    manifest.into()
}

/// Every vendor's routes and the control API on one router, behind the fault/log middleware.
pub fn app(shared: Shared) -> Router {
    vendors::routes()
        .merge(crate::control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Inner: caps bodies sent without Content-Length; the extractors answer 413.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            emulate,
        ))
        // Outermost: a request for another host, or a control request that is not allowed,
        // goes no further.
        .layer(axum::middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    let message = format!("No route for {} {path}", request.method());
    error_response(
        vendor_of_path(path),
        path,
        StatusCode::NOT_FOUND,
        &message,
        None,
    )
}

async fn method_not_allowed(State(_): State<Shared>, request: Request) -> Response {
    let path = request.uri().path();
    let message = format!("Method {} is not allowed on {path}", request.method());
    error_response(
        vendor_of_path(path),
        path,
        StatusCode::METHOD_NOT_ALLOWED,
        &message,
        None,
    )
}

/// Crate-private so that `start` stays the only public way to get one.
pub(crate) fn new_shared(
    addr: SocketAddr,
    base_url: String,
    store: Store,
    opts: &EmulatorOptions,
) -> Shared {
    Shared(Arc::new(SharedInner {
        addr,
        control: opts.control.clone(),
        any_host: opts.any_host,
        base_url,
        store: Mutex::new(store),
        faults: Faults::default(),
        state_file: opts.state_file.clone(),
        seed: opts.seed.clone(),
        requests: RequestLog::default(),
        latency_ms: opts.latency_ms,
        persist_lock: Mutex::new(()),
    }))
}

/// Bind, seed (or load the state file), and serve in the background.
pub async fn start(opts: EmulatorOptions) -> std::io::Result<Emulator> {
    let listen = opts
        .listen
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{addr}");

    let store = match &opts.state_file {
        Some(path) => match read_state(path)? {
            Some(store) => store,
            None => Store::seeded(&opts.seed),
        },
        None => Store::seeded(&opts.seed),
    };

    let shared = new_shared(addr, base_url.clone(), store, &opts);
    shared.persist();

    let router = app(shared.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });

    Ok(Emulator {
        base_url,
        addr,
        shared,
        shutdown: Some(tx),
        task: Some(task),
    })
}
