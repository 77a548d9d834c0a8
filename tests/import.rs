//! Imports of real open data, read in place from ../shared: the Norwich OpenStreetMap extract,
//! the HSDS 3.0 example datapackage and Cheltenham's land and assets register — every row
//! accounted for, re-imports that change nothing, dry runs — on SQLite and PostgreSQL.
//! `import_writes.rs` has duplicates and transactions, `import_cli.rs` the command.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use common::TestApp;
use common::imports::*;
use junction::domain::{Asset, Location, Organisation, RecordKind, Service, Space};
use junction::import::{self, Parsed, Status, mapping::Mapping};
use junction::store::SourceRef;

both_dbs!(norwich_osm_every_row_accounted_and_reimport_unchanged);
async fn norwich_osm_every_row_accounted_and_reimport_unchanged(app: &TestApp) {
    let rows = csv_rows(&shared(NORWICH));
    assert_eq!(rows, 298);
    let first = run(app, norwich(), osm_source(), false).await;
    assert_eq!(first.total(), rows, "{first}");
    assert_eq!(accounted(&first), rows);
    assert!(first.count(Status::Created) > 100, "{first}");
    assert!(first.to_string().ends_with(&first.summary()));
    // Rejections name their row and say why: the third data row has no town (nor a postcode,
    // which alone would not keep a place with a point out).
    let text = first.to_string();
    assert!(
        text.contains("row 3 [node/1940837999]: rejected: no town"),
        "{text}"
    );
    assert!(!text.contains("no postcode"), "{text}");
    // A place with a point, a street and a town but no postcode is listed, found by its
    // point; its ORUK location has no address (HSDS requires a postal code on one).
    let no_postcode: Vec<Location> = app
        .state
        .store
        .get_many(&app.state.store.all_ids::<Location>().await.unwrap())
        .await
        .unwrap()
        .into_iter()
        .filter(|l: &Location| l.postcode.is_empty())
        .collect();
    assert_eq!(no_postcode.len(), 1, "{text}");

    let before = versions(app).await;
    let changes = app.change_count().await;
    let second = run(app, norwich(), osm_source(), false).await;
    assert_eq!(second.total(), rows);
    assert_eq!(second.count(Status::Created), 0, "{second}");
    assert_eq!(second.count(Status::Updated), 0, "{second}");
    assert_eq!(second.count(Status::Flagged), 0, "{second}");
    assert_eq!(
        second.count(Status::Rejected),
        first.count(Status::Rejected)
    );
    assert_eq!(versions(app).await, before, "no record's version moved");
    assert_eq!(app.change_count().await, changes, "nothing was logged");

    // The Millennium Library, as mapped.
    let library: Vec<Space> = find_by_name(app, "Norfolk and Norwich Millennium Library").await;
    assert_eq!(library.len(), 1);
    let library = &library[0];
    assert_eq!(
        library.opening_hours.as_deref(),
        Some("Mo-Fr 09:00-20:00; Sa 09:00-17:00")
    );
    let terms = app
        .get("/api/v1/taxonomy-terms?q=libraries&per_page=50")
        .await;
    let libraries = terms.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "libraries")
        .expect("libraries term")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(library.categories, vec![libraries]);
    assert_eq!(library.phone.as_deref(), Some("+44 1603 774774"));
    let location: Location = app
        .state
        .store
        .get(library.location_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(location.address_1.as_deref(), Some("The Forum"));
    assert_eq!(location.address_2.as_deref(), Some("Millennium Plain"));
    assert_eq!(
        (location.town.as_str(), location.postcode.as_str()),
        ("Norwich", "NR2 1AW")
    );
    assert!((location.latitude - 52.6277308).abs() < 1e-9);
    assert!((location.longitude - 1.2909467).abs() < 1e-9);
    let org: Organisation = app
        .state
        .store
        .get(library.organisation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.name, "Norfolk County Council");
    let sources = app
        .state
        .store
        .source_of(RecordKind::Space, library.id)
        .await
        .unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].source_id, "node/299412199");
    assert_eq!(sources[0].source.licence.as_deref(), Some("ODbL-1.0"));
    assert_eq!(
        sources[0].source.attribution.as_deref(),
        Some("© OpenStreetMap contributors")
    );
    // A social facility became a service: a food bank or soup kitchen with a postcode.
    let services = app.state.store.all_ids::<Service>().await.unwrap();
    assert!(!services.is_empty());

    // The site credits the source.
    let page = app.get("/data").await;
    let html = page.json.as_str().unwrap_or_default().to_owned();
    assert!(html.contains("OpenStreetMap: Norwich"), "{html}");
    assert!(html.contains("ODbL-1.0"));
}

both_dbs!(the_geojson_extract_gives_the_same_places);
async fn the_geojson_extract_gives_the_same_places(app: &TestApp) {
    let csv = run(app, norwich(), osm_source(), false).await;
    let bytes = std::fs::read(shared(NORWICH_GEOJSON)).unwrap();
    let parsed = import::osm::read(&bytes, false, "norwich.geojson").unwrap();
    let geo = run(app, parsed, osm_source(), false).await;
    assert_eq!(geo.total(), 298);
    assert_eq!(accounted(&geo), 298);
    // Same ids, same places: the library is the record the CSV made (the GeoJSON has more
    // tags, e.g. email and addr:village, so some records are updated and a few more places
    // have a town).
    let library = geo
        .entries
        .iter()
        .find(|e| e.source_id.as_deref() == Some("node/299412199"))
        .unwrap();
    assert_ne!(library.status, Status::Created, "{geo}");
    assert!(geo.count(Status::Created) <= 5, "{geo}");
    assert!(geo.count(Status::Rejected) <= csv.count(Status::Rejected));
}

both_dbs!(dry_run_reports_the_same_and_writes_nothing);
async fn dry_run_reports_the_same_and_writes_nothing(app: &TestApp) {
    let changes = app.change_count().await;
    let dry = run(app, norwich(), osm_source(), true).await;
    assert!(dry.dry_run);
    assert!(dry.to_string().starts_with("Dry run"));
    for table in [
        "organisations",
        "locations",
        "spaces",
        "services",
        "sources",
        "record_sources",
        "import_reviews",
    ] {
        assert_eq!(app.table_count(table).await, 0, "{table}");
    }
    assert_eq!(app.change_count().await, changes);
    let real = run(app, norwich(), osm_source(), false).await;
    assert_eq!(dry.summary(), real.summary());
}

/// The example datapackage, in place.
fn hsds_package() -> Parsed {
    import::datapackage::read(&shared(HSDS_PACKAGE)).unwrap()
}

fn hsds_source() -> SourceRef {
    SourceRef {
        key: "hsds-example".into(),
        name: "HSDS 3.0 example".into(),
        licence: Some("CC-BY-4.0".into()),
        attribution: Some("Open Referral".into()),
        url: None,
    }
}

both_dbs!(hsds_example_datapackage);
async fn hsds_example_datapackage(app: &TestApp) {
    let rows = csv_rows(&shared(&format!("{HSDS_PACKAGE}/services.csv")));
    let first = run(app, hsds_package(), hsds_source(), false).await;
    // The descriptor is a link to the schema package: read by the standard file names.
    assert!(!first.warnings.is_empty(), "{first}");
    assert_eq!(first.total(), rows, "{first}");
    assert_eq!(accounted(&first), rows);
    assert_eq!(first.count(Status::Created), 1, "{first}");
    let service: Service = app
        .state
        .store
        .get("ac148810-d857-441c-9679-408f346de14b".parse().unwrap())
        .await
        .unwrap()
        .expect("the service keeps its HSDS id");
    assert_eq!(service.name, "Community Counselling");
    assert_eq!(service.opening_hours.as_deref(), Some("Th,Fr 10:00-18:00"));
    assert_eq!(service.phone.as_deref(), Some("+44 1234 234567"));
    assert_eq!((service.min_age, service.max_age), (Some(12), Some(100)));
    let org: Organisation = app
        .state
        .store
        .get(service.organisation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.name, "Example Organization Inc.");
    assert_eq!(org.id.to_string(), "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
    // The example's location is at latitude 100, longitude 101, with a US postal code:
    // Junction can't hold it, and the report says so.
    assert!(service.location_ids.is_empty());
    assert!(
        first
            .to_string()
            .contains("left out location 'MyCity Civic Center'"),
        "{first}"
    );

    let before = versions(app).await;
    let second = run(app, hsds_package(), hsds_source(), false).await;
    assert_eq!(second.count(Status::Unchanged), rows, "{second}");
    assert_eq!(versions(app).await, before);
}

both_dbs!(hsds_locations_with_a_uk_address_come_through);
async fn hsds_locations_with_a_uk_address_come_through(app: &TestApp) {
    // The example package with its location moved to a real UK address, in a temp folder.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(shared(HSDS_PACKAGE)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if name == "locations.csv" {
            text = text.replace(",100,101,", ",52.6277,1.2909,");
        }
        if name == "addresses.csv" {
            text = text.replace(
                "MyCity,MyRegion,MyState,ABC 1234,US",
                "Norwich,Norfolk,Norfolk,NR2 1AW,GB",
            );
        }
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let parsed = import::datapackage::read(dir.path()).unwrap();
    let report = run(app, parsed, hsds_source(), false).await;
    assert_eq!(report.count(Status::Created), 1, "{report}");
    let service: Service = app
        .state
        .store
        .get("ac148810-d857-441c-9679-408f346de14b".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(service.location_ids.len(), 1);
    let location: Location = app
        .state
        .store
        .get(service.location_ids[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(location.name, "MyCity Civic Center");
    assert_eq!(location.postcode, "NR2 1AW");
    assert_eq!(location.address_1.as_deref(), Some("1-30 Main Street"));
    assert_eq!(location.uprn.as_deref(), Some("10092008082"));
}

fn cheltenham() -> Parsed {
    let bytes = std::fs::read(shared(CHELTENHAM_2021)).unwrap();
    let text =
        std::fs::read_to_string(mapping_file("cheltenham-land-and-assets-2021.toml")).unwrap();
    let mapping = Mapping::parse(&text).unwrap();
    import::mapping::read(&bytes, true, &mapping, "cheltenham_2021.csv").unwrap()
}

both_dbs!(cheltenham_land_and_assets_csv_with_the_example_mapping);
async fn cheltenham_land_and_assets_csv_with_the_example_mapping(app: &TestApp) {
    let parsed = cheltenham();
    let source = parsed.source.clone().expect("the mapping names its source");
    assert!(parsed.input.contains("Windows1252"), "{}", parsed.input);
    let report = run(app, parsed, source.clone(), false).await;
    assert_eq!(report.total(), 498, "{report}");
    assert_eq!(accounted(&report), 498);
    // Five asset codes appear twice: the second of each is rejected, by row number; and one
    // property's name is longer than the register allows.
    let text = report.to_string();
    for row in [178, 341, 393, 441, 477] {
        let entry = report
            .entries
            .iter()
            .find(|e| {
                e.place.0.starts_with(&format!("row {row} ")) || e.place.0 == format!("row {row}")
            })
            .unwrap_or_else(|| panic!("row {row} in {text}"));
        assert_eq!(entry.status, Status::Rejected, "{text}");
        assert!(
            entry.reason.as_deref().unwrap().contains("was used before"),
            "{text}"
        );
    }
    assert!(text.contains("row 478 (line 721) [09/04840/Land and Building]: rejected: name: name is 223 characters long"), "{text}");
    assert_eq!(report.count(Status::Rejected), 6, "{text}");
    // Two rows repeat another's name at the same place: held as likely duplicates.
    assert_eq!(report.count(Status::Flagged), 2, "{text}");

    let assets: Vec<Asset> = {
        let ids = app.state.store.all_ids::<Asset>().await.unwrap();
        app.state.store.get_many(&ids).await.unwrap()
    };
    // Windows-1252 read right: the 0xA0 after "Freehold" on row 42 is a no-break space that
    // trims away, not a replacement character that would spoil the tenure.
    let fountain = assets.iter().find(|a| a.name == "Boots Fountain").unwrap();
    assert_eq!(
        serde_json::to_value(fountain.tenure).unwrap(),
        serde_json::json!("freehold")
    );
    assert!(
        !serde_json::to_string(&assets).unwrap().contains('\u{FFFD}'),
        "no mis-decoded text"
    );
    // A cell with line breaks inside its quotes is read whole.
    assert!(
        assets.iter().any(|a| a
            .address_1
            .as_deref()
            .is_some_and(|s| s.ends_with("Land At, Leckhampton Hill"))),
        "multi-line street"
    );
    // Postcodes with a stray line break; eastings and northings to WGS84 in Cheltenham.
    let mews = assets.iter().find(|a| a.name == "1 Berkeley Mews").unwrap();
    assert_eq!(mews.postcode.as_deref(), Some("GL50 1DY"));
    assert_eq!(mews.uprn.as_deref(), Some("100121228178"));
    let (lat, lon) = (mews.latitude.unwrap(), mews.longitude.unwrap());
    assert!(
        (lat - 51.8995).abs() < 0.002 && (lon + 2.0684).abs() < 0.002,
        "{lat},{lon}"
    );
    let owner: Organisation = app
        .state
        .store
        .get(mews.owner_organisation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.name, "Cheltenham Borough Council");
    let sources = app
        .state
        .store
        .source_of(RecordKind::Asset, mews.id)
        .await
        .unwrap();
    assert_eq!(sources[0].source.licence.as_deref(), Some("OGL-UK-3.0"));

    let before = versions(app).await;
    let again = run(app, cheltenham(), source, false).await;
    assert_eq!(
        again.count(Status::Created) + again.count(Status::Updated),
        0,
        "{again}"
    );
    assert_eq!(versions(app).await, before);
}

both_dbs!(cheltenham_geojson_with_the_example_mapping);
async fn cheltenham_geojson_with_the_example_mapping(app: &TestApp) {
    let bytes = std::fs::read(shared(CHELTENHAM_2023)).unwrap();
    let text =
        std::fs::read_to_string(mapping_file("cheltenham-land-and-assets-2023.toml")).unwrap();
    let mapping = Mapping::parse(&text).unwrap();
    let parsed = import::mapping::read(&bytes, false, &mapping, "cheltenham_2023.geojson").unwrap();
    let source = parsed.source.clone().unwrap();
    let report = run(app, parsed, source, false).await;
    assert_eq!(report.total(), 459);
    assert_eq!(accounted(&report), 459);
    // The 2023 file names assets by their site address only, so the parts of one site share a
    // name and a point: held as likely duplicates rather than created.
    assert!(report.count(Status::Created) > 350, "{report}");
    assert!(report.count(Status::Flagged) > 0, "{report}");
}

// Rows without an id or a name are rejected with their row numbers.
both_dbs!(rows_without_usable_data_are_rejected_by_row);
async fn rows_without_usable_data_are_rejected_by_row(app: &TestApp) {
    let csv = "ref,name,owner\nA1,Town Hall,Millbrook Council\n,No id,Millbrook Council\nA3,,Millbrook Council\nA4,Depot,\n";
    let mapping = Mapping::parse(
        "kind = \"asset\"\n[fields]\nid = \"ref\"\nname = \"name\"\norganisation = \"owner\"\n",
    )
    .unwrap();
    let parsed = import::mapping::read(csv.as_bytes(), true, &mapping, "t.csv").unwrap();
    let source = SourceRef {
        key: "test".into(),
        name: "Test".into(),
        licence: None,
        attribution: None,
        url: None,
    };
    let report = run(app, parsed, source, false).await;
    let text = report.to_string();
    assert!(text.contains("row 2: rejected: no id"), "{text}");
    assert!(text.contains("row 3 [A3]: rejected: no name"), "{text}");
    assert!(
        text.contains("row 4 [A4]: rejected: no organisation"),
        "{text}"
    );
    assert!(
        text.ends_with("created 1, updated 0, unchanged 0, flagged 0, rejected 3"),
        "{text}"
    );

    // A mapping that names a column the file lacks can't be read at all.
    let bad =
        Mapping::parse("kind = \"asset\"\n[fields]\nid = \"nope\"\nname = \"name\"\n").unwrap();
    assert!(import::mapping::read(csv.as_bytes(), true, &bad, "t.csv").is_err());
}
