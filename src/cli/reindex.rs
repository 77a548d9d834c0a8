//! `junction reindex`: rebuild the search index from the database, with a progress bar.
//! Stop the server first: the index has one writer.

use indicatif::{ProgressBar, ProgressStyle};

use crate::Config;
use crate::search::{SearchIndex, indexer};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let store = super::open_store(&config).await?;
    let index = SearchIndex::open(&config.index_dir())?.index;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}")?.progress_chars("=> "),
    );
    bar.set_message("indexing");
    let n = indexer::rebuild(&store, &index, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    println!("Indexed {n} records up to change {}.", index.applied_seq());
    Ok(())
}
