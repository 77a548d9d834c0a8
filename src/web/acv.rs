//! `/acv`: the public register of Assets of Community Value — land and buildings listed, and
//! nominations that were unsuccessful — with every date the law sets computed and shown
//! (decision, listing end, moratoria, protected period; see `domain::acv`) and where each
//! listed asset stands today. Also the small ACV block on an asset's own page.
//!
//! Nominations not yet decided are not shown, and neither is the nominator's contact: only the
//! nominating group's name (an organisation) is public.

use axum::{Router, extract::State, routing::get};
use chrono::NaiveDate;
use maud::{Markup, html};
use uuid::Uuid;

use super::layout::{Breadcrumbs, Head, page};
use super::records::parts::row;
use super::records::public_many;
use super::results::record_href;
use super::{PageError, Visitor};
use crate::AppState;
use crate::domain::Asset;
use crate::domain::acv::{AcvEntry, Decision, Disposal, Moratorium, Stage};
use crate::store::acv::today;

pub fn routes() -> Router<AppState> {
    Router::new().route("/acv", get(show))
}

/// A day as people write it, in a `<time>` element: "11 April 2026".
fn day(d: NaiveDate) -> Markup {
    html! { time datetime=(d.format("%Y-%m-%d").to_string()) { (d.format("%-d %B %Y").to_string()) } }
}

/// The id of an entry's section on `/acv`, for links from asset pages.
fn anchor(e: &AcvEntry) -> String {
    format!("acv-{}", e.id)
}

/// An entry on the page, with the link to its asset's page when that is published.
pub struct Listed {
    pub entry: AcvEntry,
    pub asset_href: Option<String>,
}

/// What the owner may do today, in words, with the day it changes.
fn moratorium_text(e: &AcvEntry, today: NaiveDate) -> Markup {
    let Some(d) = e.current_disposal() else {
        return html! { "No notice of intended sale. The owner must tell the council before selling." };
    };
    let dates = d.dates();
    match e.moratorium_on(today) {
        Moratorium::Interim => html! {
            strong { "Interim moratorium" } " until " (day(dates.interim_moratorium_ends))
            ": the owner may not sell. A community group may ask to be treated as a bidder until then."
        },
        Moratorium::Full => html! {
            strong { "Full moratorium" } " until " @if let Some(f) = dates.full_moratorium_ends { (day(f)) }
            ": the owner may sell only to a community interest group."
        },
        Moratorium::Protected => html! {
            strong { "Protected period" } " until " (day(dates.protected_period_ends))
            ": the moratorium is over and the owner may sell to anyone without a new notice."
        },
        Moratorium::None => html! {
            "No notice of intended sale in force. The owner must tell the council before selling."
        },
    }
}

fn episode(d: &Disposal) -> Markup {
    let dates = d.dates();
    html! {
        li {
            "Owner's notice received " (day(d.notice_received)) ". "
            "Interim moratorium to " (day(dates.interim_moratorium_ends)) ". "
            @if let (Some(b), Some(full)) = (&d.bidder_request, dates.full_moratorium_ends) {
                (b.group) " asked on " (day(b.received)) " to be treated as a bidder: full moratorium to " (day(full)) ". "
            }
            "Protected period " (day(dates.protected_period_starts)) " to " (day(dates.protected_period_ends)) "."
        }
    }
}

fn entry_block(item: &Listed, today: NaiveDate) -> Markup {
    let e = &item.entry;
    html! {
        section class="acv-entry" id=(anchor(e)) aria-labelledby={ (anchor(e)) "-name" } {
            h3 class="heading-s" id={ (anchor(e)) "-name" } {
                @match &item.asset_href {
                    Some(href) => a href=(href) { (e.name) },
                    None => (e.name),
                }
            }
            @if let Some(a) = &e.address_text { p class="address" { (a) } }
            dl class="summary-list" {
                (row("Reference", html! { (e.reference) }))
                (row("Nominated by", html! { (e.nominating_group) }))
                (row("Nomination received", day(e.nomination_received)))
                (row("Decision due by", day(e.decision_due())))
                @if let Some(decided) = e.decided {
                    (row(match e.decision { Some(Decision::Listed) => "Listed on", _ => "Decided on" }, day(decided)))
                }
                @if let Some(end) = e.list_ends() {
                    (row(match e.decision { Some(Decision::Listed) => "Listed until", _ => "Kept on this list until" }, day(end)))
                }
                @if e.decision == Some(Decision::Unsuccessful) {
                    @if let Some(r) = &e.decision_reason { (row("Why it was not listed", html! { (r) })) }
                }
                @if e.decision == Some(Decision::Listed) && e.removed.is_none() {
                    (row("Can it be sold now?", moratorium_text(e, today)))
                }
                @if !e.disposals.is_empty() {
                    (row("Notices of intended sale", html! { ul class="list-bullet" { @for d in &e.disposals { (episode(d)) } } }))
                }
                @if let (Some(on), Some(reason)) = (e.removed, e.removal_reason) {
                    (row("Removed", html! { (day(on)) ": " (reason.label()) @if let Some(n) = &e.removal_note { ". " (n) } }))
                } @else if e.stage(today) == Stage::Lapsed {
                    @if let Some(end) = e.list_ends() { (row("Ended", html! { "Its five years ended on " (day(end)) })) }
                }
                (row("Why it was nominated", html! { (e.reasons) }))
                @if let Some(n) = &e.notes { (row("Notes", html! { (n) })) }
            }
        }
    }
}

fn in_stage<'a>(items: &'a [Listed], today: NaiveDate, stages: &[Stage]) -> Vec<&'a Listed> {
    items
        .iter()
        .filter(|i| stages.contains(&i.entry.stage(today)))
        .collect()
}

/// The page's content: a pure function of the entries and the day.
pub fn content(items: &[Listed], today: NaiveDate) -> Markup {
    let listed = in_stage(items, today, &[Stage::Listed]);
    let unsuccessful = in_stage(items, today, &[Stage::Unsuccessful]);
    let ended = in_stage(items, today, &[Stage::Removed, Stage::Lapsed]);
    html! {
        (Breadcrumbs(&[("Home", "/")]))
        h1 class="heading-l" { "Assets of Community Value" }
        p class="lead" { "Land and buildings listed as of community value under the Localism Act 2011, and nominations that were not listed." }
        p { "A community group or parish council can nominate land or a building. The council decides within 8 weeks. A listing lasts 5 years. When the owner of listed land wants to sell, they must tell the council: for 6 weeks nobody may buy it, and if a community group asks in that time to be treated as a bidder, the owner may sell only to a community group for 6 months from the notice. After that the owner may sell to anyone until 18 months from the notice." }
        p { a href="/exports/acv.csv" download { "Download this list as CSV" } " (in the draft national data standard for assets of community value)." }
        p { "Dates are worked out from the rules on " (day(today)) "." }
        h2 class="heading-m" id="listed" { "Listed (" (listed.len()) ")" }
        @if listed.is_empty() { p { "No land or buildings are listed at the moment." } }
        @for i in &listed { (entry_block(i, today)) }
        h2 class="heading-m" id="unsuccessful" { "Unsuccessful nominations (" (unsuccessful.len()) ")" }
        @if unsuccessful.is_empty() { p { "There are no unsuccessful nominations from the last 5 years." } }
        @for i in &unsuccessful { (entry_block(i, today)) }
        @if !ended.is_empty() {
            h2 class="heading-m" id="ended" { "No longer listed (" (ended.len()) ")" }
            @for i in &ended { (entry_block(i, today)) }
        }
    }
}

async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<Markup, PageError> {
    let records = state.store.acv_list().await?;
    let asset_ids: Vec<Uuid> = records.iter().filter_map(|r| r.entry.asset_id).collect();
    let published: Vec<Uuid> = public_many::<Asset>(&state, &asset_ids)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let items: Vec<Listed> = records
        .into_iter()
        .filter(|r| r.entry.decision.is_some())
        .map(|r| Listed {
            asset_href: r
                .entry
                .asset_id
                .filter(|id| published.contains(id))
                .map(|id| record_href("asset", id)),
            entry: r.entry,
        })
        .collect();
    let head = Head {
        canonical: Some(format!("{}/acv", state.config.public_url())),
        ..Head::titled("Assets of Community Value")
    };
    Ok(page(head, &visitor.badge(), content(&items, today())))
}

/// The block on an asset's page when the asset has ACV entries: where it stands, with a link
/// to its entry on `/acv`. Empty when it has none (or only undecided nominations).
pub async fn asset_block(state: &AppState, asset_id: Uuid) -> Result<Markup, PageError> {
    let today = today();
    let entries: Vec<AcvEntry> = state
        .store
        .acv_for_asset(asset_id)
        .await?
        .into_iter()
        .map(|r| r.entry)
        .filter(|e| e.decision.is_some())
        .collect();
    Ok(html! {
        @if !entries.is_empty() {
            section class="acv" aria-labelledby="acv-heading" {
                h2 class="heading-m" id="acv-heading" { "Asset of Community Value" }
                @for e in &entries {
                    p {
                        @match (e.stage(today), e.decided, e.list_ends()) {
                            (Stage::Listed, Some(on), Some(end)) => {
                                "Listed on " (day(on)) " until " (day(end)) ". " (moratorium_text(e, today))
                            }
                            (Stage::Unsuccessful, Some(on), _) => {
                                "Nominated by " (e.nominating_group) "; not listed (" (day(on)) ")."
                            }
                            (Stage::Removed, _, _) => {
                                "Was listed; removed"
                                @if let Some(on) = e.removed { " on " (day(on)) }
                                "."
                            }
                            _ => { "Was listed; its five years have ended." }
                        }
                        " "
                        a href={ "/acv#" (anchor(e)) } { "See its entry in the register of Assets of Community Value" }
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::acv::{DecisionInput, Nomination, NoticeInput};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    #[test]
    fn the_page_shows_the_computed_dates_and_the_moratorium_of_the_day() {
        let today = d(2026, 3, 20);
        let mut e = Nomination {
            reference: Some("ACV/2025/01".into()),
            asset_id: None,
            name: "The Plough".into(),
            address_text: None,
            latitude: None,
            longitude: None,
            nominating_group: "Friends of the Plough".into(),
            nominator_contact: Some("Jo Bloggs 07700 900123".into()),
            received: d(2025, 1, 6),
            reasons: "The last pub in the village".into(),
            notes: None,
        }
        .into_entry(Uuid::new_v4(), today)
        .expect("valid");
        e.decide(
            DecisionInput {
                decision: Decision::Listed,
                decided: d(2025, 2, 28),
                reason: None,
            },
            today,
        )
        .expect("listed");
        e.notify_disposal(
            NoticeInput {
                received: d(2026, 3, 1),
            },
            Uuid::new_v4(),
            today,
        )
        .expect("notice");
        let html = content(
            &[Listed {
                entry: e,
                asset_href: None,
            }],
            today,
        )
        .into_string();
        for expected in [
            "Listed (1)",
            "The Plough",
            "Friends of the Plough",
            "2 March 2025",     // decision due: 8 weeks beginning with 6 January
            "27 February 2030", // listed until
            "Interim moratorium",
            "11 April 2026",  // interim end
            "31 August 2027", // protected period end
        ] {
            assert!(html.contains(expected), "{expected} missing from {html}");
        }
        assert!(!html.contains("07700"), "the nominator's contact was shown");
    }
}
