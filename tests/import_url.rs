//! `junction import <format> URL`, with the real binary, on SQLite and PostgreSQL: an ORUK API
//! (another Junction with the demo register, served on a real port) walked page by page; a
//! static OpenStreetMap extract and an HSDS datapackage served over HTTP give the same report
//! as the files; a protected endpoint refuses an import without its credential and takes one
//! with it (`--token-env`), never printing the secret; an unreachable host, a missing file and
//! an answer that isn't JSON fail before anything is written.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use common::imports::{HSDS_PACKAGE, NORWICH, shared};
use common::{Backend, TestApp};

const SECRET: &str = "s3cret-token-for-the-test";

/// Serves `router` on a random local port; returns its base URL.
async fn serve(router: Router) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (url, server)
}

/// Static files: the Norwich extract (open and behind a bearer token), the HSDS example
/// datapackage folder, and a page that isn't JSON.
fn files() -> Router {
    let norwich = || std::fs::read(shared(NORWICH)).unwrap();
    Router::new()
        .route("/open/norwich.csv", get(move || async move { norwich() }))
        .route(
            "/protected/norwich.csv",
            get(move |headers: HeaderMap| async move {
                let want = format!("Bearer {SECRET}");
                match headers.get(header::AUTHORIZATION) {
                    None => Err(StatusCode::UNAUTHORIZED),
                    Some(v) if v.to_str().unwrap() == want => {
                        Ok(std::fs::read(shared(NORWICH)).unwrap())
                    }
                    Some(_) => Err(StatusCode::FORBIDDEN),
                }
            }),
        )
        .route(
            "/not-json",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<html>hello</html>") }),
        )
        .nest_service(
            "/hsds",
            tower_http::services::ServeDir::new(shared(HSDS_PACKAGE)),
        )
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Run {
    fn summary(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default()
    }
}

/// Runs `junction ARGS` against `app`'s database with the real binary, off the runtime's
/// threads so the servers in this process keep answering.
async fn junction(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_junction"));
    cmd.args(args)
        .env("JUNCTION_DATA_DIR", app.dir.path())
        .env("JUNCTION_LOG", "debug")
        .env_remove("DATABASE_URL")
        .env_remove("JUNCTION_SYNC");
    if let Some(db) = &app.state.config.database_url {
        cmd.env("DATABASE_URL", db);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run junction"))
        .await
        .unwrap();
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn services_total(app: &TestApp) -> u64 {
    app.get("/api/v1/services?per_page=1").await.json["total"]
        .as_u64()
        .unwrap()
}

/// The five counts of a summary line.
fn counts(summary: &str) -> [u64; 5] {
    let n: Vec<u64> = summary
        .split(", ")
        .map(|w| w.rsplit_once(' ').unwrap().1.parse().unwrap())
        .collect();
    n.try_into().unwrap()
}

async fn an_oruk_api_is_walked_page_by_page(backend: Backend) {
    let origin = TestApp::with_demo(backend).await;
    let (url, server) = serve(origin.router.clone()).await;
    let mirror = TestApp::new(backend).await;
    let want = services_total(&origin).await;
    assert!(want > 100, "more than one page of 100");

    let base = format!("{url}/oruk");
    let run = junction(&mirror, &["import", "hsds", &base], &[]).await;
    assert!(run.ok, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("ORUK API, 2 pages"), "{}", run.stdout);
    let [created, updated, unchanged, flagged, rejected] = counts(run.summary());
    assert_eq!(
        (updated, unchanged, rejected),
        (0, 0, 0),
        "{}",
        run.summary()
    );
    assert_eq!(created + flagged, want, "every service accounted for once");
    assert_eq!(services_total(&mirror).await, created);

    // Its /services list works as well as its base, and importing again changes nothing.
    let again = junction(
        &mirror,
        &["import", "hsds", &format!("{base}/services")],
        &[],
    )
    .await;
    assert!(again.ok, "{}", again.stderr);
    assert_eq!(
        again.summary(),
        format!("created 0, updated 0, unchanged {created}, flagged {flagged}, rejected 0"),
        "the same source, by key"
    );

    server.abort();
    origin.finish().await;
    mirror.finish().await;
}

async fn static_files_and_a_protected_endpoint(backend: Backend) {
    let (url, server) = serve(files()).await;
    let app = TestApp::new(backend).await;

    // What the files give, as a dry run.
    let norwich: PathBuf = shared(NORWICH);
    let from_file = junction(
        &app,
        &["import", "osm", norwich.to_str().unwrap(), "--dry-run"],
        &[],
    )
    .await;
    assert!(from_file.ok, "{}", from_file.stderr);
    let package = shared(HSDS_PACKAGE);
    let package_file = junction(
        &app,
        &[
            "import",
            "datapackage",
            package.to_str().unwrap(),
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert!(package_file.ok, "{}", package_file.stderr);

    // Nothing that can't be read writes anything, and each says why.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let failures = [
        ("osm", format!("http://{closed}/x.csv"), "could not reach"),
        ("osm", format!("{url}/missing.csv"), "404 Not Found"),
        ("hsds", format!("{url}/not-json"), "not JSON"),
        (
            "osm",
            format!("{url}/protected/norwich.csv"),
            "asks for a credential (401 Unauthorized)",
        ),
    ];
    for (format, input, why) in &failures {
        let run = junction(&app, &["import", format, input], &[]).await;
        assert!(!run.ok, "{input}: {}", run.stdout);
        assert!(run.stderr.contains(why), "{input}: {}", run.stderr);
    }
    let wrong = junction(
        &app,
        &[
            "import",
            "osm",
            &format!("{url}/protected/norwich.csv"),
            "--token-env",
            "NORWICH_TOKEN",
        ],
        &[("NORWICH_TOKEN", "not-the-token")],
    )
    .await;
    assert!(!wrong.ok);
    assert!(
        wrong
            .stderr
            .contains("refused the credential (403 Forbidden)"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains("not-the-token"), "{}", wrong.stderr);
    assert_eq!(app.table_count("locations").await, 0, "nothing written");

    // The open file over HTTP reports as the file did.
    let open = junction(
        &app,
        &[
            "import",
            "osm",
            &format!("{url}/open/norwich.csv"),
            "--source",
            "norwich-http",
        ],
        &[],
    )
    .await;
    assert!(open.ok, "{}", open.stderr);
    assert_eq!(open.summary(), from_file.summary(), "{}", open.stdout);

    // The protected one with its token: the same rows, and the secret is nowhere in the output.
    let protected = junction(
        &app,
        &[
            "import",
            "osm",
            &format!("{url}/protected/norwich.csv"),
            "--source",
            "norwich-http",
            "--token-env",
            "NORWICH_TOKEN",
            "--dry-run",
        ],
        &[("NORWICH_TOKEN", SECRET)],
    )
    .await;
    assert!(protected.ok, "{}", protected.stderr);
    let [created, _, _, flagged, rejected] = counts(open.summary());
    assert_eq!(
        protected.summary(),
        format!(
            "created 0, updated 0, unchanged {}, flagged 0, rejected {rejected}",
            created + flagged
        ),
        "the same rows"
    );
    assert!(!protected.stdout.contains(SECRET) && !protected.stderr.contains(SECRET));
    let with_header = junction(
        &app,
        &[
            "import",
            "osm",
            &format!("{url}/protected/norwich.csv"),
            "--header",
            &format!("Authorization: Bearer {SECRET}"),
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert!(with_header.ok, "{}", with_header.stderr);
    assert!(
        !with_header.stderr.contains(SECRET),
        "{}",
        with_header.stderr
    );

    // The datapackage folder over HTTP: the same report as the folder on disk.
    let package_url = junction(
        &app,
        &[
            "import",
            "datapackage",
            &format!("{url}/hsds/"),
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert!(package_url.ok, "{}", package_url.stderr);
    assert_eq!(package_url.summary(), package_file.summary());

    server.abort();
    app.finish().await;
}

both_backends!(an_oruk_api_is_walked_page_by_page);
both_backends!(static_files_and_a_protected_endpoint);
