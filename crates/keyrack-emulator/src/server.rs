//! Listener, router composition, body limits, the `/__emulator/` control API and the manifest.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;

use crate::faults::Faults;
use crate::state::{read_state, SeedOptions, Shared, SharedInner, Store};
use crate::vendors::{codefresh, ibm, oci, openai, scaleway};

#[derive(Debug, Clone, Default)]
pub struct EmulatorOptions {
    /// Default `127.0.0.1:0` (a free port).
    pub listen: Option<SocketAddr>,
    pub seed: SeedOptions,
    pub state_file: Option<PathBuf>,
    pub latency_ms: u64,
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
    serde_json::json!({
        "base_url": base,
        "ibm": ibm::manifest(&store.ibm, base),
        "scaleway": scaleway::manifest(&store.scaleway, base),
        "oci": oci::manifest(&store.oci, base),
        "openai": openai::manifest(&store.openai, base),
        "codefresh": codefresh::manifest(&store.codefresh, base),
    })
}

/// Every vendor's routes on one router.
pub fn app(shared: Shared) -> Router {
    Router::new()
        .merge(ibm::routes())
        .merge(scaleway::routes())
        .merge(oci::routes())
        .merge(openai::routes())
        .merge(codefresh::routes())
        .with_state(shared)
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

    let shared = Shared(Arc::new(SharedInner {
        base_url: base_url.clone(),
        store: Mutex::new(store),
        faults: Faults::default(),
        state_file: opts.state_file.clone(),
        seed: opts.seed.clone(),
    }));
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
