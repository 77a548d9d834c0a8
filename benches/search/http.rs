//! Junction over HTTP: the real router (`junction::app`) on a loopback port, serving the
//! benchmark's index, timed with a minimal keep-alive HTTP/1.1 client.

use std::{net::SocketAddr, sync::Arc};

use anyhow::{Context, bail};
use junction::{AppState, Config, search::SearchIndex, store::Store};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

use crate::cases::Case;
use crate::stats::{Limits, Samples};

/// A running Junction with an empty SQLite database and the benchmark's index.
pub struct Server {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the router as `junction::start` would, but on `index` and a temporary data dir.
pub async fn serve(index: SearchIndex) -> anyhow::Result<Server> {
    let data = tempfile::Builder::new()
        .prefix("junction-bench-data-")
        .tempdir()?;
    let mut config = Config::for_data_dir(data.path());
    let store = Store::connect(&config.database_url()).await?.store;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    config.addr = addr;
    let state = AppState {
        mailer: junction::mail::Mailer::from_config(&config)?,
        boundaries: store.boundaries.clone(),
        store,
        search: index,
        config: Arc::new(config),
    };
    let app = junction::app(state);
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("benchmark server stopped: {err}");
        }
    });
    Ok(Server {
        addr,
        task,
        _data: data,
    })
}

/// One keep-alive connection.
pub struct Client {
    conn: BufReader<TcpStream>,
    line: String,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> anyhow::Result<Client> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            conn: BufReader::new(stream),
            line: String::new(),
        })
    }

    async fn read_line(&mut self) -> anyhow::Result<&str> {
        self.line.clear();
        if self.conn.read_line(&mut self.line).await? == 0 {
            bail!("the server closed the connection");
        }
        Ok(self.line.trim_end())
    }

    /// `GET path`: the status and the body.
    pub async fn get(&mut self, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n");
        self.conn.get_mut().write_all(request.as_bytes()).await?;
        let status: u16 = self
            .read_line()
            .await?
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("not an HTTP status line")?;
        let mut length = None;
        let mut chunked = false;
        loop {
            let line = self.read_line().await?.to_ascii_lowercase();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("content-length:") {
                length = Some(v.trim().parse::<usize>()?);
            } else if line.starts_with("transfer-encoding:") && line.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let size = usize::from_str_radix(self.read_line().await?, 16)?;
                let start = body.len();
                body.resize(start + size, 0);
                self.conn.read_exact(&mut body[start..]).await?;
                self.read_line().await?;
                if size == 0 {
                    break;
                }
            }
        } else {
            body.resize(length.context("no content-length")?, 0);
            self.conn.read_exact(&mut body).await?;
        }
        Ok((status, body))
    }
}

/// The `total` of a search answer, found without parsing the whole body.
fn total_of(body: &[u8]) -> Option<usize> {
    let key = b"\"total\":";
    let at = body.windows(key.len()).position(|w| w == key)? + key.len();
    let digits: Vec<u8> = body[at..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Times `GET /api/v1/search` for the text+near `cases`, one request at a time on one
/// keep-alive connection.
pub async fn run(addr: SocketAddr, cases: &[Case], limits: Limits) -> anyhow::Result<Samples> {
    anyhow::ensure!(
        cases.iter().any(|c| c.http_path().is_some()),
        "no text+near queries to send"
    );
    let mut client = Client::connect(addr).await?;
    limits
        .time_async(cases, async |case: &Case| {
            let path = case.http_path().unwrap_or_default();
            let (status, body) = client.get(&path).await?;
            if status != 200 {
                bail!(
                    "{path} answered {status}: {}",
                    String::from_utf8_lossy(&body)
                );
            }
            total_of(&body).with_context(|| format!("{path}: no total in the answer"))
        })
        .await
}
