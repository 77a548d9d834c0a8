//! Import writes on SQLite and PostgreSQL: a likely duplicate held for review and merged, and
//! an object written whole or not at all.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use common::TestApp;
use common::imports::*;
use junction::domain::{Location, Organisation, RecordKind, Service, Space};
use junction::import::{Object, Parsed, Part, Place, Primary, Status};
use junction::store::reviews::Resolution;
use junction::store::{Actor, SourceRef};

both_dbs!(a_likely_duplicate_is_flagged_and_merge_keeps_both_identifiers);
async fn a_likely_duplicate_is_flagged_and_merge_keeps_both_identifiers(app: &TestApp) {
    let store = &app.state.store;
    let actor = Actor::new("test");
    // The register already has the library, from a council list of its own.
    let council = SourceRef {
        key: "norfolk-libraries".into(),
        name: "Norfolk libraries".into(),
        licence: Some("OGL-UK-3.0".into()),
        attribution: None,
        url: None,
    };
    let org: Organisation = serde_json::from_value(serde_json::json!({"name": "Norfolk Libraries", "description": "The county's library service"})).unwrap();
    let (_, org) = store
        .upsert_from_source(&council, "org-1", org, &actor)
        .await
        .unwrap();
    let loc: Location = serde_json::from_value(serde_json::json!({"name": "The Forum", "address_1": "The Forum, Millennium Plain", "town": "Norwich", "postcode": "NR2 1AW", "latitude": 52.62775, "longitude": 1.29098, "organisation_id": org.id})).unwrap();
    let (_, loc) = store
        .upsert_from_source(&council, "loc-1", loc, &actor)
        .await
        .unwrap();
    let space: Space = serde_json::from_value(serde_json::json!({"name": "Norfolk & Norwich Millennium Library", "organisation_id": org.id, "location_id": loc.id})).unwrap();
    let (_, existing) = store
        .upsert_from_source(&council, "lib-1", space, &actor)
        .await
        .unwrap();

    let report = run(app, norwich(), osm_source(), false).await;
    let entry = report
        .entries
        .iter()
        .find(|e| e.source_id.as_deref() == Some("node/299412199"))
        .unwrap();
    assert_eq!(entry.status, Status::Flagged, "{report}");
    assert!(
        entry
            .reason
            .as_deref()
            .unwrap()
            .contains("likely duplicate of space"),
        "{report}"
    );
    let named: Vec<Space> = find_by_name(app, "Norfolk and Norwich Millennium Library").await;
    assert!(named.is_empty(), "not created");

    // Imported again: still held, not created, and counted as unchanged.
    let again = run(app, norwich(), osm_source(), false).await;
    let entry = again
        .entries
        .iter()
        .find(|e| e.source_id.as_deref() == Some("node/299412199"))
        .unwrap();
    assert_eq!(entry.status, Status::Unchanged, "{again}");
    assert_eq!(again.count(Status::Created), 0);

    let reviews = store.reviews(false).await.unwrap();
    let review = reviews
        .iter()
        .find(|r| r.source_id == "node/299412199")
        .unwrap();
    assert_eq!(review.candidate_id, existing.id);
    store
        .resolve_review(review.id, Resolution::Merged)
        .await
        .unwrap();
    let sources = store
        .source_of(RecordKind::Space, existing.id)
        .await
        .unwrap();
    let ids: Vec<(&str, &str)> = sources
        .iter()
        .map(|s| (s.source.key.as_str(), s.source_id.as_str()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("norfolk-libraries", "lib-1"),
            ("osm-norwich", "node/299412199")
        ]
    );
    assert!(
        store
            .resolve_review(review.id, Resolution::Merged)
            .await
            .is_err(),
        "settled once"
    );

    // After the merge the OSM row is the existing record: unchanged, nothing written to it.
    let version = store
        .get::<Space>(existing.id)
        .await
        .unwrap()
        .unwrap()
        .version;
    let third = run(app, norwich(), osm_source(), false).await;
    let entry = third
        .entries
        .iter()
        .find(|e| e.source_id.as_deref() == Some("node/299412199"))
        .unwrap();
    assert_eq!(entry.status, Status::Unchanged, "{third}");
    assert_eq!(
        store
            .get::<Space>(existing.id)
            .await
            .unwrap()
            .unwrap()
            .version,
        version
    );

    // Deleting the record removes its source identifiers.
    store.delete::<Space>(existing.id, &actor).await.unwrap();
    assert!(
        store
            .source_of(RecordKind::Space, existing.id)
            .await
            .unwrap()
            .is_empty()
    );
}

fn object(source_id: &str, min_age: i32) -> Object {
    let org: Organisation = serde_json::from_value(
        serde_json::json!({"name": format!("Group {source_id}"), "description": "A group"}),
    )
    .unwrap();
    let loc: Location = serde_json::from_value(serde_json::json!({"name": "Hall", "address_1": "1 High Street", "town": "Millbrook", "postcode": "OL1 1AA", "latitude": 53.54, "longitude": -2.1})).unwrap();
    let service: Service = serde_json::from_value(serde_json::json!({"organisation_id": uuid::Uuid::nil(), "name": format!("Club {source_id}"), "description": "Weekly club", "min_age": min_age})).unwrap();
    Object {
        place: Place(format!("object {source_id}")),
        source_id: source_id.into(),
        preferred_id: None,
        organisation: Some(Part::new(format!("{source_id}#org"), org)),
        locations: vec![Part::new(format!("{source_id}#loc"), loc)],
        primary: Primary::Service(service),
        notes: Vec::new(),
    }
}

fn parsed(objects: Vec<Object>) -> Parsed {
    Parsed {
        input: "objects".into(),
        items: objects.into_iter().map(Ok).collect(),
        ..Parsed::default()
    }
}

both_dbs!(a_failure_part_way_leaves_nothing_half_written_and_a_rerun_completes);
async fn a_failure_part_way_leaves_nothing_half_written_and_a_rerun_completes(app: &TestApp) {
    let source = SourceRef {
        key: "objects".into(),
        name: "Objects".into(),
        licence: None,
        attribution: None,
        url: None,
    };
    let changes = app.change_count().await;
    // The organisation and location are written first; the service then fails the rules
    // (an age of 200), so its transaction rolls back with them.
    let report = run(app, parsed(vec![object("bad", 200)]), source.clone(), false).await;
    assert_eq!(report.count(Status::Rejected), 1, "{report}");
    assert!(report.to_string().contains("min_age"), "{report}");
    for table in ["organisations", "locations", "services", "record_sources"] {
        assert_eq!(app.table_count(table).await, 0, "{table}");
    }
    assert_eq!(app.change_count().await, changes);

    // An import stopped after its first object: running the whole input again completes it.
    let first = run(app, parsed(vec![object("a", 5)]), source.clone(), false).await;
    assert_eq!(
        first.summary(),
        "created 1, updated 0, unchanged 0, flagged 0, rejected 0"
    );
    let all = run(
        app,
        parsed(vec![object("a", 5), object("b", 5)]),
        source.clone(),
        false,
    )
    .await;
    assert_eq!(
        all.summary(),
        "created 1, updated 0, unchanged 1, flagged 0, rejected 0"
    );
    // A changed object is updated in place.
    let changed = run(
        app,
        parsed(vec![object("a", 7), object("b", 5)]),
        source,
        false,
    )
    .await;
    assert_eq!(
        changed.summary(),
        "created 0, updated 1, unchanged 1, flagged 0, rejected 0"
    );
    let club: Vec<Service> = find_by_name(app, "Club a").await;
    assert_eq!(
        (club.len(), club[0].min_age, club[0].version),
        (1, Some(7), 2)
    );
}
