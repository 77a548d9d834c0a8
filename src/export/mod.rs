//! Exports of the whole register. Each is produced a page of records at a time and handed
//! on in pieces as it is made, so no export holds the whole register in memory: the HTTP
//! handlers stream the pieces into the response body and the command line into a file.

pub mod acv_csv;
pub mod datapackage;
pub mod tables;
pub mod transparency;

use std::io;

use axum::body::{Body, Bytes};
use tokio::sync::mpsc;

/// The pieces of an export as they are made; an `Err` ends it early.
pub type Pieces = mpsc::Receiver<io::Result<Bytes>>;

/// A response body that sends the pieces as they arrive.
pub fn body(pieces: Pieces) -> Body {
    Body::from_stream(futures_util::stream::unfold(pieces, |mut rx| async move {
        rx.recv().await.map(|piece| (piece, rx))
    }))
}

/// Writes the pieces to `path`, through a temporary file beside it that is renamed into place
/// only when the export is complete.
pub async fn to_file(mut pieces: Pieces, path: &std::path::Path) -> anyhow::Result<u64> {
    use tokio::io::AsyncWriteExt;
    let partial = path.with_extension("partial");
    let mut file = tokio::fs::File::create(&partial)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", partial.display()))?;
    let mut written = 0u64;
    while let Some(piece) = pieces.recv().await {
        let piece = match piece {
            Ok(p) => p,
            Err(e) => {
                drop(file);
                tokio::fs::remove_file(&partial).await.ok();
                return Err(anyhow::anyhow!("the export failed: {e}"));
            }
        };
        file.write_all(&piece).await?;
        written += piece.len() as u64;
    }
    file.flush().await?;
    file.sync_all().await?;
    tokio::fs::rename(&partial, path).await?;
    Ok(written)
}
