//! The public website through the real router, on the demo register, on SQLite and PostgreSQL:
//! pages render what a person needs, nothing private leaks, forms come back with an error
//! summary, and the shortlist works end to end without JavaScript.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use common::TestApp;
use common::accounts::Page;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

const DEMO: &str = include_str!("../data/demo/register.json");

async fn get(app: &TestApp, uri: &str, cookie: Option<&str>) -> Page {
    let mut b = Request::builder().uri(uri);
    if let Some(c) = cookie {
        b = b.header("cookie", format!("junction_shortlist={c}"));
    }
    common::accounts::send(app, b.body(Body::empty()).unwrap(), None).await
}

async fn post_form(
    app: &TestApp,
    uri: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Page {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut b = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("cookie", format!("junction_shortlist={c}"));
    }
    common::accounts::send(app, b.body(Body::from(body)).unwrap(), None).await
}

fn demo() -> Value {
    serde_json::from_str(DEMO).unwrap()
}

/// A demo service by name.
fn service_named(name: &str) -> Value {
    demo()["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no demo service {name}"))
}

async fn home_search_and_record_pages(app: &TestApp) {
    let home = get(app, "/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    for must in [
        "<html lang=\"en-GB\">",
        "href=\"#main-content\"",
        "<main id=\"main-content\"",
        "<title>Find support, groups and spaces near you – Junction</title>",
        "href=\"/accessibility\"",
        "href=\"/privacy\"",
        "OpenStreetMap contributors",
        "<label class=\"label\" for=\"near\">",
        "href=\"/categories/food\"",
        "href=\"/search?kind=space\"",
    ] {
        assert!(home.body.contains(must), "home page lacks {must}");
    }

    // Search by postcode: the demo library is near OL1 6YA.
    let library = service_named("Millbrook Central Library");
    let id = library["id"].as_str().unwrap();
    let results = get(
        app,
        "/search?q=library&near=OL1+6YA&radius=2000&kind=service",
        None,
    )
    .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    assert!(
        results.body.contains(&format!("href=\"/services/{id}\"")),
        "{}",
        results.body
    );
    assert!(
        results
            .body
            .contains("results for ‘library’ within 2 km of OL1 6YA")
            || results.body.contains("result for ‘library’"),
        "results count"
    );
    assert!(results.body.contains("metres away") || results.body.contains("km away"));
    assert!(results.body.contains("Last checked"));
    assert!(results.body.contains("Add to shortlist"));
    // The filters are a form with facet counts, and the kind filter stays ticked.
    assert!(
        results
            .body
            .contains("id=\"kind-service\" name=\"kind\" value=\"service\" checked"),
        "kind stays ticked"
    );
    assert!(results.body.contains("class=\"count\">("));
    // The results' own forms are never nested in the search form (a browser would merge them).
    let form_start = results
        .body
        .find("<form method=\"get\" action=\"/search\"")
        .unwrap();
    let form_end = form_start + results.body[form_start..].find("</form>").unwrap();
    assert!(
        !results.body[form_start + 5..form_end].contains("<form"),
        "nested forms"
    );

    // The same query as the API answers: the page shows the API's total.
    let api = app
        .get("/api/v1/search?q=library&near=OL1+6YA&radius=2000&kind=service")
        .await;
    let total = api.json["total"].as_u64().unwrap();
    assert!(total > 0);
    let count = if total == 1 {
        "1 result".to_owned()
    } else {
        format!("{total} results")
    };
    assert!(results.body.contains(&count), "page should say {count}");

    // The record page has what a person needs to act.
    let page = get(app, &format!("/services/{id}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    for must in [
        "<title>Millbrook Central Library – Junction</title>",
        "<h1 class=\"heading-l\">Millbrook Central Library</h1>",
        "Run by",
        "Millbrook Borough Council (demo)",
        "0161 496 0429",
        "174 Market Street",
        "Monday to Friday</th><td>9am to 6pm",
        "Closed on bank holidays.",
        "Last checked: ",
        "\"@type\":\"Service\"",
        "rel=\"canonical\" href=\"http://127.0.0.1:8080/services/",
        "Add to shortlist",
    ] {
        assert!(page.body.contains(must), "service page lacks {must}");
    }
    assert!(page.body.contains("Open now") || page.body.contains("Closed now"));

    // Organisation pages list their services and spaces.
    let org = library["organisation_id"].as_str().unwrap();
    let org_page = get(app, &format!("/organisations/{org}"), None).await;
    assert_eq!(org_page.status, StatusCode::OK);
    assert!(org_page.body.contains(&format!("href=\"/services/{id}\"")));
    assert!(org_page.body.contains("Spaces ("));
    assert!(org_page.body.contains("\"@type\":\"Organization\""));

    // A space and an asset.
    let space = &demo()["spaces"][0];
    let space_page = get(
        app,
        &format!("/spaces/{}", space["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(space_page.status, StatusCode::OK);
    assert!(space_page.body.contains("How to book"));
    assert!(space_page.body.contains("Up to 300 people"));
    let asset = &demo()["assets"][0];
    let asset_page = get(
        app,
        &format!("/assets/{}", asset["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(asset_page.status, StatusCode::OK);
    assert!(asset_page.body.contains("MBC-0009"));

    // Categories.
    let cats = get(app, "/categories", None).await;
    assert!(cats.body.contains("href=\"/categories/libraries\""));
    let cat = get(app, "/categories/libraries", None).await;
    assert_eq!(cat.status, StatusCode::OK);
    assert!(cat.body.contains(&format!("href=\"/services/{id}\"")));
    assert!(
        cat.body
            .contains("<title>Libraries – Categories – Junction</title>")
    );
}
both_dbs!(home_search_and_record_pages, demo);

async fn bad_input_comes_back_with_an_error_summary(app: &TestApp) {
    let page = get(app, "/search?q=food&near=Atlantis+Under+The+Sea", None).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("href=\"#near\""));
    assert!(page.body.contains("<title>Error: "));
    // The form keeps what was typed.
    assert!(page.body.contains("value=\"Atlantis Under The Sea\""));

    // Nothing found: suggestions instead of a blank.
    let none = get(app, "/search?q=library&near=OL1+6YA&radius=1000&free=true&accessibility=changing_places&kind=asset", None).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("No results found"), "{}", none.body);
    assert!(none.body.contains("remove the filters"));
    assert!(none.body.contains("search a wider area (within 2 km)"));
    assert!(none.body.contains("Remove filter: </span>Free"));
    // The distance control is there when a place is given…
    assert!(none.body.contains("id=\"radius\""));

    // Empty form fields are not errors.
    let empty = get(app, "/search?q=&near=&radius=5000&sort=distance", None).await;
    assert_eq!(empty.status, StatusCode::OK);
    // …and not without one: a distance from nowhere means nothing.
    assert!(!empty.body.contains("id=\"radius\""), "{}", empty.body);
}
both_dbs!(bad_input_comes_back_with_an_error_summary, demo);

async fn hidden_addresses_and_contact_people_never_reach_a_page(app: &TestApp) {
    let d = demo();
    let hidden: Vec<&Value> = d["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["hide_address"] == true)
        .collect();
    assert!(!hidden.is_empty());
    let people: Vec<String> = d["services"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d["spaces"].as_array().unwrap())
        .filter_map(|s| s["contact_person"]["name"].as_str().map(str::to_owned))
        .collect();
    assert!(!people.is_empty());
    let mut pages = vec!["/sitemap.xml".to_owned(), "/search?per_page=200".to_owned()];
    for loc in &hidden {
        let lid = loc["id"].as_str().unwrap();
        for s in d["services"].as_array().unwrap() {
            if s["location_ids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l == lid)
            {
                pages.push(format!("/services/{}", s["id"].as_str().unwrap()));
            }
        }
        let pc = loc["postcode"].as_str().unwrap();
        pages.push(format!(
            "/search?near={}&radius=2000",
            pc.split(' ').next().unwrap()
        ));
        pages.push(format!(
            "/organisations/{}",
            loc["organisation_id"].as_str().unwrap()
        ));
    }
    // Every service with a named contact person.
    for s in d["services"].as_array().unwrap() {
        if s["contact_person"].is_object() {
            pages.push(format!("/services/{}", s["id"].as_str().unwrap()));
        }
    }
    for uri in &pages {
        let page = get(app, uri, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        for loc in &hidden {
            let street = loc["address_1"].as_str().unwrap();
            let postcode = loc["postcode"].as_str().unwrap();
            assert!(
                !page.body.contains(street),
                "{uri} shows the hidden address {street}"
            );
            assert!(
                !page.body.contains(postcode),
                "{uri} shows the hidden postcode {postcode}"
            );
            let lat = format!("{}", loc["latitude"].as_f64().unwrap());
            assert!(!page.body.contains(&lat), "{uri} shows the hidden point");
        }
        for name in &people {
            assert!(
                !page.body.contains(name.as_str()),
                "{uri} shows the contact person {name}"
            );
        }
    }
    let refuge = get(
        app,
        &format!("/services/{}", "82f86be9-23b3-42d5-839b-ca8b081041e4"),
        None,
    )
    .await;
    assert!(refuge.body.contains("The exact address is not published"));
}
both_dbs!(hidden_addresses_and_contact_people_never_reach_a_page, demo);

async fn a_shortlist_is_made_shared_noted_printed_and_deleted(app: &TestApp) {
    let names = [
        "Millbrook Central Library",
        "Women's Refuge",
        "Family Refuge",
    ];
    let ids: Vec<String> = names
        .iter()
        .map(|n| service_named(n)["id"].as_str().unwrap().to_owned())
        .collect();
    // The first add starts a shortlist and remembers it in a cookie.
    let first = post_form(
        app,
        "/shortlist/add",
        &[
            ("kind", "service"),
            ("id", &ids[0]),
            ("return_to", "/search?q=library"),
        ],
        None,
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.location(), format!("/search?q=library#sl-{}", ids[0]));
    let code = first.shortlist_cookie().expect("a shortlist cookie");
    assert_eq!(code.len(), 18);
    for id in &ids[1..] {
        let again = post_form(
            app,
            "/shortlist/add",
            &[
                ("kind", "service"),
                ("id", id),
                ("return_to", "https://evil.example/"),
            ],
            Some(&code),
        )
        .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(
            again.shortlist_cookie().as_deref(),
            Some(code.as_str()),
            "same shortlist"
        );
        // Only paths on this site are followed back.
        assert!(
            again.location().starts_with("/services/"),
            "{}",
            again.location()
        );
    }
    // Adding one twice changes nothing.
    post_form(
        app,
        "/shortlist/add",
        &[("kind", "service"), ("id", &ids[0])],
        Some(&code),
    )
    .await;
    assert_eq!(app.table_count("shortlist_items").await, 3);

    // The record page now says it is on the shortlist, and the header counts it.
    let record = get(app, &format!("/services/{}", ids[0]), Some(&code)).await;
    assert!(record.body.contains("On your shortlist"));
    assert!(record.body.contains("Your shortlist (3)"));

    // A note.
    let noted = post_form(
        app,
        &format!("/shortlist/{code}/note"),
        &[("id", &ids[0]), ("note", "Ask for Sam at the desk")],
        Some(&code),
    )
    .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    // Personal details are refused with an error summary, and nothing is saved.
    let refused = post_form(
        app,
        &format!("/shortlist/{code}/note"),
        &[("id", &ids[1]), ("note", "Call Jo on 07700 900123")],
        Some(&code),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("There is a problem"));
    assert!(refused.body.contains(&format!("href=\"#note-{}\"", ids[1])));
    assert!(
        refused.body.contains("value=\"Call Jo on 07700 900123\""),
        "what was typed is kept"
    );

    // The shared link in a fresh browser: no cookie, same records and notes.
    let shared = get(app, &format!("/shortlist/{code}"), None).await;
    assert_eq!(shared.status, StatusCode::OK);
    for id in &ids {
        assert!(shared.body.contains(&format!("href=\"/services/{id}\"")));
    }
    assert!(shared.body.contains("value=\"Ask for Sam at the desk\""));
    assert!(!shared.body.contains("07700 900123"));
    assert!(shared.body.contains("Do not write the person’s name"));
    assert!(
        shared
            .body
            .contains("name=\"robots\" content=\"noindex, nofollow\"")
    );
    assert!(
        shared
            .body
            .contains("name=\"referrer\" content=\"no-referrer\"")
    );

    // The print view: contact details, hours and a QR code for each, plus one for the list.
    let print = get(app, &format!("/shortlist/{code}/print"), None).await;
    assert_eq!(print.status, StatusCode::OK);
    assert_eq!(print.body.matches("<svg class=\"qr\"").count(), 4);
    assert!(print.body.contains("0161 496 0429"));
    assert!(print.body.contains("Monday to Friday: 9am to 6pm"));
    assert!(
        print
            .body
            .contains("Note: </strong>Ask for Sam at the desk")
    );
    assert!(print.body.contains("(contact them for the address)"));

    // Remove one, renew, delete.
    let removed = post_form(
        app,
        &format!("/shortlist/{code}/remove"),
        &[("id", &ids[2])],
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.table_count("shortlist_items").await, 2);
    let renewed = post_form(app, &format!("/shortlist/{code}/renew"), &[], None).await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER);
    let deleted = post_form(app, &format!("/shortlist/{code}/delete"), &[], None).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(app.table_count("shortlist_items").await, 0);
    assert_eq!(app.table_count("shortlists").await, 0);
    let gone = get(app, &format!("/shortlist/{code}"), None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(gone.body.contains("expired or been deleted"));
}
both_dbs!(a_shortlist_is_made_shared_noted_printed_and_deleted, demo);

async fn shortlists_expire_with_their_notes(app: &TestApp) {
    let id = service_named("Millbrook Central Library")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = post_form(
        app,
        "/shortlist/add",
        &[("kind", "service"), ("id", &id)],
        None,
    )
    .await;
    let old = first.shortlist_cookie().unwrap();
    post_form(
        app,
        &format!("/shortlist/{old}/note"),
        &[("id", &id), ("note", "bring ID")],
        None,
    )
    .await;
    let past = chrono::Utc::now() - chrono::Duration::days(1);
    let sql = match app.state.store.backend() {
        sea_orm::DbBackend::Postgres => "UPDATE shortlists SET expires_at = $1",
        _ => "UPDATE shortlists SET expires_at = ?",
    };
    app.state
        .store
        .db
        .execute_raw(Statement::from_sql_and_values(
            app.state.store.backend(),
            sql,
            [past.into()],
        ))
        .await
        .unwrap();
    assert_eq!(
        get(app, &format!("/shortlist/{old}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_form(app, &format!("/shortlist/{old}/renew"), &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Adding with the old cookie starts a new shortlist, and the expired one is purged.
    let again = post_form(
        app,
        "/shortlist/add",
        &[("kind", "service"), ("id", &id)],
        Some(&old),
    )
    .await;
    let new = again.shortlist_cookie().unwrap();
    assert_ne!(new, old);
    assert_eq!(app.table_count("shortlists").await, 1);
    assert_eq!(app.table_count("shortlist_items").await, 1);
    // Unknown and malformed codes are simply not found.
    assert_eq!(
        get(app, "/shortlist/abcdefghjkmnpqrstu", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(app, "/shortlist/x'--", None).await.status,
        StatusCode::NOT_FOUND
    );
}
both_dbs!(shortlists_expire_with_their_notes, demo);

async fn friendly_errors_and_what_search_engines_read(app: &TestApp) {
    for uri in [
        "/services/not-an-id",
        "/services/00000000-0000-0000-0000-000000000000",
        "/no/such/page",
        "/categories/no-such-category",
    ] {
        let page = get(app, uri, None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            page.body
                .contains("<h1 class=\"heading-l\">Page not found</h1>"),
            "{uri}"
        );
        assert!(
            page.body
                .contains("<title>Page not found – Junction</title>")
        );
    }
    // The API keeps its JSON errors.
    let api = app.get("/api/v1/no-such-thing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), "not_found");

    // A draft is not public.
    let (_, _, svc) = app.seed().await;
    let current = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    let mut draft = current.json.clone();
    draft["publication"] = "draft".into();
    let put = app
        .put(
            &format!("/api/v1/services/{svc}"),
            draft,
            Some(&current.etag()),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.json);
    assert_eq!(
        get(app, &format!("/services/{svc}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_form(
            app,
            "/shortlist/add",
            &[("kind", "service"), ("id", &svc)],
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let library = service_named("Millbrook Central Library");
    // The sitemap lists what the search index holds, which follows the change log a moment
    // after the write: wait for the draft to leave it (failing if it never does).
    assert!(
        app.eventually(|| async { !get(app, "/sitemap.xml", None).await.body.contains(&svc) })
            .await,
        "drafts stay out of the sitemap"
    );
    let sitemap = get(app, "/sitemap.xml", None).await;
    assert!(
        sitemap.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    assert!(sitemap.body.contains(&format!(
        "http://127.0.0.1:8080/services/{}",
        library["id"].as_str().unwrap()
    )));
    assert!(sitemap.body.contains("/categories/libraries</loc>"));
    assert!(
        !sitemap.body.contains(&svc),
        "drafts stay out of the sitemap"
    );
    let robots = get(app, "/robots.txt", None).await;
    assert!(robots.body.contains("Disallow: /shortlist/"));
    assert!(
        robots
            .body
            .contains("Sitemap: http://127.0.0.1:8080/sitemap.xml")
    );

    for uri in ["/accessibility", "/privacy", "/data"] {
        let page = get(app, uri, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
    }
    let privacy = get(app, "/privacy", None).await;
    assert!(privacy.body.contains("junction_shortlist"));

    // The map page: the list, plus the map's data source with the same parameters.
    let map = get(app, "/map?q=library&near=OL1+6YA", None).await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(
        map.body.contains(
            "data-geojson=\"/api/v1/search.geojson?q=library&amp;near=OL1+6YA&amp;per_page=200\""
        ),
        "{}",
        map.body
    );
    assert!(
        map.body
            .contains("data-tiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"")
    );
    assert!(map.body.contains(&format!(
        "href=\"/services/{}\"",
        library["id"].as_str().unwrap()
    )));
}
both_dbs!(friendly_errors_and_what_search_engines_read, demo);

async fn static_files_have_fingerprinted_names_and_long_caching(app: &TestApp) {
    let home = get(app, "/", None).await;
    let library = format!(
        "/services/{}",
        service_named("Millbrook Central Library")["id"]
            .as_str()
            .unwrap()
    );
    for (prefix, suffix, on) in [
        ("/static/junction.", ".css", "/"),
        ("/static/map.", ".js", library.as_str()),
        // Search-as-you-type enhances the "what" box on the home and results pages.
        ("/static/suggest.", ".js", "/search?q=food"),
    ] {
        let page = get(app, on, None).await;
        let start = page
            .body
            .find(prefix)
            .unwrap_or_else(|| panic!("no {prefix} link"));
        let end = start + page.body[start..].find(suffix).unwrap() + suffix.len();
        let url = &page.body[start..end];
        assert!(
            url.len() > prefix.len() + suffix.len() + 8,
            "{url} has a hash"
        );
        let file = get(app, url, None).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let plain = get(
            app,
            &format!("{}{}", prefix.trim_end_matches('.'), suffix),
            None,
        )
        .await;
        assert_eq!(plain.headers["cache-control"], "no-cache");
        assert_eq!(plain.body, file.body);
    }
    assert!(home.body.contains("/static/suggest."));
    assert!(
        home.body.contains("data-suggest"),
        "the what box is enhanced"
    );
    assert!(home.body.len() < 100_000);
    let results = get(app, "/search?near=OL1+1HT", None).await;
    assert!(
        results.body.len() < 100_000,
        "results page is {} bytes",
        results.body.len()
    );
    assert_eq!(
        get(app, "/static/nothing.css", None).await.status,
        StatusCode::NOT_FOUND
    );
}
both_dbs!(static_files_have_fingerprinted_names_and_long_caching, demo);

/// A town named as `near` stands for the register's places in it, but only as anyone may see
/// them: a town whose one location hides its address must resolve to the public (coarsened)
/// point, never to the address it hides.
async fn a_town_as_near_never_gives_away_a_hidden_address(app: &TestApp) {
    let org = app
        .post(
            "/api/v1/organisations",
            serde_json::json!({"name": "Hollowmere Women's Aid", "description": "Safe housing and support"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.json);
    let org = org.json["id"].as_str().unwrap().to_owned();
    // The exact point is well away from the centre of its coarse grid cell.
    let (lat, lon) = (53.61234, -2.05678);
    let refuge = app
        .post(
            "/api/v1/locations",
            serde_json::json!({"name": "Hollowmere Refuge", "address_1": "3 Quiet Lane", "town": "Hollowmere",
                "postcode": "OL12 9XT", "latitude": lat, "longitude": lon, "hide_address": true, "organisation_id": org}),
        )
        .await;
    assert_eq!(refuge.status, StatusCode::CREATED, "{}", refuge.json);
    let shown = app
        .get(&format!(
            "/api/v1/locations/{}",
            refuge.json["id"].as_str().unwrap()
        ))
        .await;
    let public = (
        shown.json["longitude"].as_f64().unwrap(),
        shown.json["latitude"].as_f64().unwrap(),
    );
    assert_ne!(public, (lon, lat), "the API shows only the coarsened point");
    // A public place in another town to measure from.
    let ground = (-2.15, 53.60);
    let asset = app
        .post(
            "/api/v1/assets",
            serde_json::json!({"name": "Rochford Recreation Ground", "owner_organisation_id": org, "community_use": "in_use",
                "town": "Rochford", "postcode": "OL16 1AA", "latitude": ground.1, "longitude": ground.0}),
        )
        .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.json);
    let url = "/api/v1/search?near=Hollowmere&radius=100000&kind=asset";
    assert!(
        app.eventually(|| async { app.get(url).await.json["total"].as_u64() == Some(1) })
            .await,
        "the asset is indexed and the town is found"
    );
    let found = app.get(url).await;
    let distance = found.json["items"][0]["distance_m"].as_f64().unwrap();
    let from_public = junction::geo::haversine_m(public, ground).round();
    let from_exact = junction::geo::haversine_m((lon, lat), ground).round();
    assert!(
        (from_public - from_exact).abs() > 50.0,
        "the test tells the points apart"
    );
    assert!(
        (distance - from_public).abs() <= 1.0,
        "measured from the town's public point ({from_public} m), not the hidden address ({from_exact} m): got {distance} m"
    );
}
both_dbs!(a_town_as_near_never_gives_away_a_hidden_address);

/// HTML pages carry a Content-Security-Policy that allows only this site's own scripts and
/// styles and images from the tile server, and the pages need nothing more: no inline script
/// or style for the policy to block.
async fn pages_carry_a_content_security_policy_they_keep_to(app: &TestApp) {
    let library = format!(
        "/services/{}",
        service_named("Millbrook Central Library")["id"]
            .as_str()
            .unwrap()
    );
    for uri in [
        "/",
        "/search?q=food&near=OL1+1HT",
        library.as_str(),
        "/map?near=OL1+1HT",
        "/no-such-page",
    ] {
        let page = get(app, uri, None).await;
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "script-src 'self';",
            "style-src 'self';",
            // The default tile server of Config::for_data_dir.
            "img-src 'self' https://tile.openstreetmap.org;",
            "connect-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{uri}: {part} in {csp}");
        }
        assert_eq!(page.headers["x-content-type-options"], "nosniff");
        assert_eq!(
            page.headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        // Every script is a file from this site or JSON-LD data; no inline styles.
        for script in page.body.split("<script").skip(1) {
            let tag = &script[..script.find('>').unwrap()];
            assert!(
                tag.contains(" src=\"/static/") || tag.contains("type=\"application/ld+json\""),
                "{uri}: inline script <script{tag}>"
            );
        }
        assert!(!page.body.contains(" style=\""), "{uri}: an inline style");
        assert!(!page.body.contains(" onclick="), "{uri}: an inline handler");
    }
    // Shortlists send no Referer at all: the link is the key.
    let gone = get(app, "/shortlist/aaaaaaaaaaaaaaaaaa", None).await;
    assert_eq!(gone.headers["referrer-policy"], "no-referrer");
    assert!(gone.headers.contains_key("content-security-policy"));
    // JSON is not a page: nosniff, no page policy.
    let api = get(app, "/api/v1/search?q=food", None).await;
    assert_eq!(api.headers["x-content-type-options"], "nosniff");
    assert!(!api.headers.contains_key("content-security-policy"));
}
both_dbs!(pages_carry_a_content_security_policy_they_keep_to, demo);
