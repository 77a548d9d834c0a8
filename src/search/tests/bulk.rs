//! Bulk loads (see `search::bulk`).

use super::*;

/// A service named "Lunch club {n}" at `point`.
fn service_at(n: usize, point: [f64; 2]) -> IndexDoc {
    let IndexOp::Upsert(doc) = service(n) else {
        unreachable!("service() upserts")
    };
    IndexDoc {
        card: Card {
            points: vec![point],
            ..doc.card
        },
        ..*doc
    }
}

/// Each committed segment's smallest and largest place key, smallest first.
fn key_runs(index: &SearchIndex) -> anyhow::Result<Vec<(u64, u64)>> {
    let searcher = index.index.reader()?.searcher();
    let mut runs = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(spatial::KEY)?;
        runs.push((column.min_value(), column.max_value()));
    }
    runs.sort_unstable();
    Ok(runs)
}

/// A bulk load replaces what the index held. It commits its records in rounds, each segment
/// a run of place keys that no other segment's run overlaps (so the final merge stacks them;
/// see `bulk`), while searches still see the index as it was; it ends as one segment in key
/// order holding every record and the change log's position, and what follows merges as usual.
#[test]
fn a_bulk_load_ends_in_one_segment() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    index.apply(vec![service(999)], 1)?;
    let mut next = unit(5);
    let mut docs: Vec<IndexDoc> = (0..200)
        .map(|n| service_at(n, [-2.35 + 0.5 * next(), 53.35 + 0.4 * next()]))
        .collect();
    docs.sort_by_key(|d| spatial::record_key(&d.card.points));
    // Two calls in key order, each shuffled within (the load sorts it).
    let mut second = docs.split_off(100);
    docs.reverse();
    second.reverse();
    let mut load = index.bulk_load()?;
    load.round = 40;
    load.add(docs)?;
    load.add(second)?;
    assert_eq!(index.num_docs(), 1, "searches see the index as it was");
    // A segment per round at least (a thread may take both halves of a round).
    let runs = key_runs(&index)?;
    assert!(runs.len() >= 5, "{} segments before merging", runs.len());
    assert!(
        runs.windows(2).all(|w| w[0].1 <= w[1].0),
        "overlapping runs: {runs:?}"
    );
    load.finish(4)?;
    assert_eq!(segments(&index), 1);
    assert_eq!(index.num_docs(), 200);
    assert_eq!(index.applied_seq(), 4);
    assert!(first_segment_in_key_order(&index)?);
    let q = SearchQuery {
        text: Some("lunch".to_owned()),
        limit: 5,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&q)?.total, 200);
    index.apply(vec![service(200)], 5)?;
    assert_eq!(index.search(&q)?.total, 201);
    assert_eq!(index.applied_seq(), 5);
    Ok(())
}

/// A bulk load of nothing (a register with no records) leaves the index empty.
#[test]
fn an_empty_bulk_load_empties_the_index() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    index.apply(vec![service(1), service(2)], 1)?;
    index.apply(vec![service(3)], 2)?;
    index.bulk_load()?.finish(3)?;
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.applied_seq(), 3);
    index.apply(vec![service(4)], 4)?;
    assert_eq!(index.num_docs(), 1);
    Ok(())
}

/// A bulk load cut short (dropped before it finished, as a crash would leave it) leaves an
/// index the next start builds again, and searches meanwhile see the index as it was.
#[test]
fn a_bulk_load_cut_short_is_built_again() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let opened = SearchIndex::open(dir.path())?;
    opened.index.apply(vec![service(1)], 1)?;
    {
        let mut load = opened.index.bulk_load()?;
        load.round = 4;
        load.add((0..10).map(|n| service_at(n, [-2.1, 53.5])).collect())?;
    }
    assert_eq!(opened.index.num_docs(), 1);
    // The writer is free again and merges as usual.
    opened.index.apply(vec![service(2)], 2)?;
    drop(opened);
    let again = SearchIndex::open(dir.path())?;
    assert!(again.needs_rebuild);
    Ok(())
}
