//! One helper builds the real app for every integration test: SQLite in a temporary
//! directory, or a fresh PostgreSQL database when `JUNCTION_TEST_POSTGRES_URL` is set.
#![allow(dead_code)]

pub mod accounts;
pub mod imports;

use std::time::{Duration, Instant};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode},
};
use http_body_util::BodyExt;
use junction::{AppState, Config, app, search, start};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub token: String,
    pub dir: TempDir,
    pub backend: Backend,
    pg: Option<(String, String)>,
    indexer: Option<tokio::task::JoinHandle<()>>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// The `field` of an error body.
    pub fn field(&self) -> &str {
        self.json["error"]["field"].as_str().unwrap_or_default()
    }

    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }
}

/// The PostgreSQL server tests use, when configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("JUNCTION_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Creates a fresh, uniquely named PostgreSQL database; returns its URL and name.
async fn fresh_pg_database(base: &str) -> (String, String) {
    let name = format!("junction_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(base)
        .await
        .expect("connect to JUNCTION_TEST_POSTGRES_URL");
    admin
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("CREATE DATABASE \"{name}\""),
        ))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (prefix, _) = base.rsplit_once('/').expect("URL has a database path");
    (format!("{prefix}/{name}"), name)
}

impl TestApp {
    /// A new app on `backend` with an empty register (default taxonomy only).
    pub async fn new(backend: Backend) -> TestApp {
        Self::build(backend, false, true).await
    }

    /// A new app with the demo register loaded.
    pub async fn with_demo(backend: Backend) -> TestApp {
        Self::build(backend, true, true).await
    }

    /// Like [`TestApp::new`] but with no indexer task: the index only moves when a test says so.
    pub async fn without_indexer(backend: Backend) -> TestApp {
        Self::build(backend, false, false).await
    }

    /// A new app whose configuration `configure` changes first; the demo register when `demo`.
    pub async fn configured(
        backend: Backend,
        demo: bool,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        Self::build_with(backend, demo, true, configure).await
    }

    async fn build(backend: Backend, demo: bool, indexer: bool) -> TestApp {
        Self::build_with(backend, demo, indexer, |_| {}).await
    }

    async fn build_with(
        backend: Backend,
        demo: bool,
        indexer: bool,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(dir.path());
        configure(&mut config);
        let mut pg = None;
        if backend == Backend::Postgres {
            let base = postgres_url().expect("JUNCTION_TEST_POSTGRES_URL");
            let (url, name) = fresh_pg_database(&base).await;
            config.database_url = Some(url);
            pg = Some((base, name));
        }
        let state = start(config, false).await.expect("start junction");
        if demo {
            junction::demo::load(&state.store).await.expect("load demo");
            search::indexer::catch_up(&state.store, &state.search)
                .await
                .expect("index demo");
        }
        let token = state
            .store
            .create_token("test", junction::domain::Role::Admin, None)
            .await
            .expect("token");
        let indexer =
            indexer.then(|| search::indexer::spawn(state.store.clone(), state.search.clone()));
        TestApp {
            router: app(state.clone()),
            state,
            token,
            dir,
            backend,
            pg,
            indexer,
        }
    }

    /// Stops the indexer and drops the PostgreSQL database. Returns the data directory, which
    /// is removed when the returned value is dropped.
    pub async fn finish(mut self) -> TempDir {
        if let Some(handle) = self.indexer.take() {
            handle.abort();
            handle.await.ok();
        }
        self.state.store.db.clone().close().await.ok();
        if let Some((base, name)) = self.pg.take()
            && let Ok(admin) = Database::connect(&base).await
        {
            admin
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                ))
                .await
                .ok();
            admin.close().await.ok();
        }
        self.dir
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            builder = builder.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let request = match body {
            Some(b) => builder
                .header("content-type", "application/json")
                .body(Body::from(serde_json::to_vec(b).expect("json"))),
            None => builder.body(Body::empty()),
        }
        .expect("request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            headers,
            json,
            bytes: bytes.to_vec(),
        }
    }

    /// Anonymous GET.
    pub async fn get(&self, uri: &str) -> Reply {
        self.request(Method::GET, uri, None, None, &[]).await
    }

    /// GET with the test token.
    pub async fn get_auth(&self, uri: &str) -> Reply {
        self.request(Method::GET, uri, Some(&self.token), None, &[])
            .await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        self.request(Method::POST, uri, Some(&self.token), Some(&body), &[])
            .await
    }

    pub async fn put(&self, uri: &str, body: Value, if_match: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
        self.request(Method::PUT, uri, Some(&self.token), Some(&body), &headers)
            .await
    }

    /// Reads a record with the token, changes it with `change` and PUTs it back at that version.
    pub async fn edit(&self, uri: &str, change: impl FnOnce(&mut Value)) -> Reply {
        let current = self.get_auth(uri).await;
        let mut body = current.json.clone();
        change(&mut body);
        self.put(uri, body, Some(&current.etag())).await
    }

    pub async fn delete(&self, uri: &str) -> Reply {
        self.request(Method::DELETE, uri, Some(&self.token), None, &[])
            .await
    }

    /// Creates an organisation, a location and a service; returns their ids.
    pub async fn seed(&self) -> (String, String, String) {
        let org = self.post("/api/v1/organisations", serde_json::json!({"name": "Oakfield Tenants Association", "description": "Residents of the Oakfield estate working together"})).await;
        assert_eq!(org.status, StatusCode::CREATED, "{}", org.json);
        let org_id = org.json["id"].as_str().expect("id").to_owned();
        let loc = self
            .post(
                "/api/v1/locations",
                serde_json::json!({"name": "Oakfield Community Room", "address_1": "2 Oakfield Walk", "town": "Millbrook", "postcode": "ol4 2qb", "latitude": 53.54, "longitude": -2.09, "organisation_id": org_id}),
            )
            .await;
        assert_eq!(loc.status, StatusCode::CREATED, "{}", loc.json);
        let loc_id = loc.json["id"].as_str().expect("id").to_owned();
        let svc = self
            .post(
                "/api/v1/services",
                serde_json::json!({"name": "Oakfield Warm Welcome", "description": "A heated room with soup, tea and board games on winter afternoons", "organisation_id": org_id, "location_ids": [loc_id], "categories": ["warm-spaces"]}),
            )
            .await;
        assert_eq!(svc.status, StatusCode::CREATED, "{}", svc.json);
        let svc_id = svc.json["id"].as_str().expect("id").to_owned();
        (org_id, loc_id, svc_id)
    }

    /// Polls `check` until it returns true or five seconds pass; returns whether it did.
    pub async fn eventually<F, Fut>(&self, mut check: F) -> bool
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if check().await {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }

    /// Number of rows in any table.
    pub async fn table_count(&self, table: &str) -> i64 {
        let row = self
            .state
            .store
            .db
            .query_one_raw(Statement::from_string(
                self.state.store.backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }

    /// Number of rows in the change log.
    pub async fn change_count(&self) -> i64 {
        self.state.store.last_seq().await.expect("seq");
        let row = self
            .state
            .store
            .db
            .query_one_raw(Statement::from_string(
                self.state.store.backend(),
                "SELECT COUNT(*) AS n FROM changes",
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// Fails when `text` holds any contact person's name, email or phone from the demo `register`
/// (personal data: never published).
pub fn assert_no_contact_people(register: &Value, text: &str) {
    let mut people = 0;
    for kind in ["services", "spaces"] {
        for r in register[kind].as_array().expect("records") {
            if let Some(p) = r.get("contact_person") {
                people += 1;
                for field in ["name", "email", "phone"] {
                    if let Some(v) = p[field].as_str() {
                        assert!(!text.contains(v), "contact person's {field} {v} published");
                    }
                }
            }
        }
    }
    assert!(
        people > 0,
        "the demo register has contact people to look for"
    );
}

/// Runs `name(backend)` against SQLite and, when `JUNCTION_TEST_POSTGRES_URL` is set,
/// PostgreSQL: for tests that build their own apps (several, or configured ones).
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            use super::common::{Backend, postgres_url};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if postgres_url().is_none() {
                    eprintln!(
                        "PostgreSQL not configured (JUNCTION_TEST_POSTGRES_URL): only SQLite ran"
                    );
                    return;
                }
                super::$name(Backend::Postgres).await;
            }
        }
    };
}

/// Runs a test body against SQLite and, when `JUNCTION_TEST_POSTGRES_URL` is set, PostgreSQL,
/// each in a fresh database. `both_dbs!(name)` starts empty; `both_dbs!(name, demo)` loads the
/// demo register first.
#[macro_export]
macro_rules! both_dbs {
    ($name:ident) => {
        $crate::both_dbs!(@expand $name, new);
    };
    ($name:ident, demo) => {
        $crate::both_dbs!(@expand $name, with_demo);
    };
    ($name:ident, no_indexer) => {
        $crate::both_dbs!(@expand $name, without_indexer);
    };
    (@expand $name:ident, $ctor:ident) => {
        mod $name {
            use super::common::{Backend, TestApp, postgres_url};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = TestApp::$ctor(Backend::Sqlite).await;
                super::$name(&app).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if postgres_url().is_none() {
                    eprintln!("PostgreSQL not configured (JUNCTION_TEST_POSTGRES_URL): only SQLite ran");
                    return;
                }
                let app = TestApp::$ctor(Backend::Postgres).await;
                super::$name(&app).await;
                app.finish().await;
            }
        }
    };
}

impl TestApp {
    /// Anonymous GET against any router (for tests that restart the app).
    pub async fn get_with(router: &Router, uri: &str) -> Value {
        let response = router
            .clone()
            .oneshot(
                Request::builder()
                    .uri(uri)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}
