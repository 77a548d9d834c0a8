//! The `junction` binary as an operator uses it: first run, tokens, a crash right after a
//! write, consistency checks, reindexing and bad configuration.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

use std::{
    path::Path,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_junction");

fn junction(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("JUNCTION_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("JUNCTION_LOG", "warn")
        .output()
        .expect("run junction")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    async fn start(data_dir: &Path, extra: &[&str]) -> Server {
        let port = free_port();
        let child = Command::new(BIN)
            .arg("serve")
            .args(extra)
            .env("JUNCTION_DATA_DIR", data_dir)
            .env("JUNCTION_ADDR", format!("127.0.0.1:{port}"))
            .env_remove("DATABASE_URL")
            .env("JUNCTION_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok((200, _)) = server.call("GET", "/healthz", None, None).await {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server did not come up");
    }

    /// A minimal HTTP/1.1 client: one request per connection.
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> std::io::Result<(u16, Value)> {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        let text = String::from_utf8_lossy(&raw);
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None, None).await.expect("request")
    }

    /// SIGKILL: no shutdown handlers run.
    fn kill_hard(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_serves_the_demo_and_a_write_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]).await;

    // First run on a new embedded database: the demo register is there.
    let (status, page) = server.get("/api/v1/services?per_page=5").await;
    assert_eq!(status, 200);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(5));
    assert!(page["total"].as_u64().unwrap() > 50);

    // A token from the CLI, printed as the last line, works against the running server.
    let out = junction(dir.path(), &["token", "create", "--name", "test"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = last_line(&out.stdout);
    assert!(token.starts_with("jct_"), "{token}");
    let (status, created) = server
        .call("POST", "/api/v1/organisations", Some(&token), Some(&json!({"name": "Wrenfield Bee Keepers", "description": "Hives, honey and swarm collection"})))
        .await
        .unwrap();
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();

    // Kill -9 straight after the write is acknowledged.
    server.kill_hard();

    let server = Server::start(dir.path(), &[]).await;
    let (status, got) = server.get(&format!("/api/v1/organisations/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(got["name"], "Wrenfield Bee Keepers");
    let (_, found) = server.get("/api/v1/organisations?q=honey").await;
    assert_eq!(found["total"], 1, "searchable after the restart: {found}");
    // The demo register was not loaded a second time.
    let (_, page2) = server.get("/api/v1/services?per_page=5").await;
    assert_eq!(page2["total"], page["total"]);
    drop(server);

    let out = junction(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_notices_a_stale_index_and_reindex_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-demo"]).await;
    let (_, page) = server.get("/api/v1/services").await;
    assert_eq!(page["total"], 0, "--no-demo leaves the register empty");
    drop(server);

    // Written while no server runs: the index is now behind the database.
    let out = junction(dir.path(), &["demo", "load"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = junction(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing from index"));

    let out = junction(dir.path(), &["reindex"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = junction(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Loading the demo again changes nothing.
    let out = junction(dir.path(), &["demo", "load"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already loaded"));
}

#[test]
fn an_unusable_database_url_stops_start_up_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        "mysql://root@127.0.0.1/junction",
        "postgres://nobody@127.0.0.1:1/junction",
    ] {
        let out = Command::new(BIN)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("JUNCTION_DATA_DIR", dir.path())
            .env("DATABASE_URL", url)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{url} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("DATABASE_URL"), "{url}: {stderr}");
    }
    let out = Command::new(BIN)
        .args(["serve"])
        .env("JUNCTION_DATA_DIR", dir.path())
        .env("JUNCTION_PUBLIC_URL", "junction.example")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JUNCTION_PUBLIC_URL"));
}

/// `junction token create --role editor --organisation <id>`: the organisation is required
/// and must exist, and the token it prints may change that organisation's records only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_tokens_are_scoped_to_their_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let council = "50a74cff-026f-4c84-aa8f-f5f8d837115f";
    let parish = "0977e471-f11f-48de-beb4-59c88f8de0e9";
    let out = junction(dir.path(), &["demo", "load"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = junction(
        dir.path(),
        &["token", "create", "--name", "ed", "--role", "editor"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--organisation"));
    let unknown = uuid::Uuid::new_v4().to_string();
    let out = junction(
        dir.path(),
        &[
            "token",
            "create",
            "--name",
            "ed",
            "--role",
            "editor",
            "--organisation",
            &unknown,
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no organisation"));
    let out = junction(
        dir.path(),
        &[
            "token",
            "create",
            "--name",
            "council editor",
            "--role",
            "editor",
            "--organisation",
            council,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = last_line(&out.stdout);
    assert!(token.starts_with("jct_"), "{token}");

    let server = Server::start(dir.path(), &[]).await;
    let (status, body) = server
        .call(
            "POST",
            &format!("/api/v1/organisations/{council}/verify"),
            Some(&token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, body) = server
        .call(
            "POST",
            &format!("/api/v1/organisations/{parish}/verify"),
            Some(&token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(body["error"]["field"], "id");
}
