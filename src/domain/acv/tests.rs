use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

fn nomination(received: NaiveDate) -> Nomination {
    Nomination {
        reference: None,
        asset_id: None,
        name: " The Plough ".into(),
        address_text: Some("1 High Street, Millbrook".into()),
        latitude: Some(53.54),
        longitude: Some(-2.11),
        nominating_group: "Friends of the Plough".into(),
        nominator_contact: Some("Jo Bloggs, 07700 900123".into()),
        received,
        reasons: "The village's last pub, home of the darts league".into(),
        notes: None,
    }
}

fn listed_on(day: NaiveDate, today: NaiveDate) -> AcvEntry {
    let mut e = nomination(day)
        .into_entry(Uuid::new_v4(), today)
        .expect("valid nomination");
    e.decide(
        DecisionInput {
            decision: Decision::Listed,
            decided: day,
            reason: None,
        },
        today,
    )
    .expect("listed");
    e
}

#[test]
fn six_weeks_beginning_with_1_march_end_on_11_april() {
    assert_eq!(interim_moratorium_ends(d(2026, 3, 1)), d(2026, 4, 11));
    assert_eq!(weeks_beginning_with(d(2026, 3, 1), 1), d(2026, 3, 7));
}

#[test]
fn decision_is_due_8_weeks_beginning_with_receipt() {
    // 56 days counting the day of receipt.
    assert_eq!(decision_due(d(2026, 1, 5)), d(2026, 3, 1));
    assert_eq!(decision_due(d(2025, 12, 10)), d(2026, 2, 3));
}

#[test]
fn overdue_only_after_the_due_day_and_only_while_undecided() {
    let e = nomination(d(2026, 1, 5))
        .into_entry(Uuid::new_v4(), d(2026, 1, 5))
        .expect("valid");
    assert!(
        !e.decision_overdue(d(2026, 3, 1)),
        "the due day itself is in time"
    );
    assert!(e.decision_overdue(d(2026, 3, 2)));
    assert_eq!(e.stage(d(2026, 3, 2)), Stage::Nominated);
    let mut decided = e.clone();
    decided
        .decide(
            DecisionInput {
                decision: Decision::Listed,
                decided: d(2026, 3, 5),
                reason: None,
            },
            d(2026, 3, 5),
        )
        .expect("a late decision is still a decision");
    assert!(!decided.decision_overdue(d(2026, 6, 1)));
}

#[test]
fn a_listing_ends_the_day_before_the_fifth_anniversary() {
    assert_eq!(listing_ends(d(2024, 3, 1)), d(2029, 2, 28));
    assert_eq!(listing_ends(d(2021, 6, 15)), d(2026, 6, 14));
    assert_eq!(listing_ends(d(2023, 1, 1)), d(2027, 12, 31));
    let e = listed_on(d(2021, 6, 15), d(2026, 1, 1));
    assert_eq!(e.list_ends(), Some(d(2026, 6, 14)));
    assert_eq!(e.stage(d(2026, 6, 14)), Stage::Listed);
    assert_eq!(e.stage(d(2026, 6, 15)), Stage::Lapsed);
    assert_eq!(e.ended(d(2026, 6, 15)), Some(d(2026, 6, 14)));
    assert_eq!(e.ended(d(2026, 6, 14)), None);
}

#[test]
fn a_listing_on_29_february_ends_on_28_february_five_years_on() {
    // 2029 has no 29 February: the anniversary falls on 1 March, so the listing's last
    // day is 28 February 2029.
    assert_eq!(listing_ends(d(2024, 2, 29)), d(2029, 2, 28));
    // Into a leap year the anniversary exists.
    assert_eq!(
        months_beginning_with(d(2024, 2, 29), 4 * 12),
        d(2028, 2, 28)
    );
    assert_eq!(listing_ends(d(2023, 2, 28)), d(2028, 2, 27));
    assert_eq!(listing_ends(d(2023, 3, 1)), d(2028, 2, 29));
}

#[test]
fn unsuccessful_nominations_stay_listed_as_such_for_5_years() {
    let mut e = nomination(d(2024, 1, 10))
        .into_entry(Uuid::new_v4(), d(2024, 3, 1))
        .expect("valid");
    let refused = e.decide(
        DecisionInput {
            decision: Decision::Unsuccessful,
            decided: d(2024, 3, 1),
            reason: None,
        },
        d(2024, 3, 1),
    );
    assert!(
        matches!(&refused, Err(Refusal::Invalid(f)) if f.field == "reason"),
        "{refused:?}"
    );
    e.decide(
        DecisionInput {
            decision: Decision::Unsuccessful,
            decided: d(2024, 3, 1),
            reason: Some("Its main use is not for the community".into()),
        },
        d(2024, 3, 1),
    )
    .expect("decided");
    assert_eq!(e.list_ends(), Some(d(2029, 2, 28)));
    assert_eq!(e.stage(d(2029, 2, 28)), Stage::Unsuccessful);
    assert_eq!(e.stage(d(2029, 3, 1)), Stage::Lapsed);
    assert_eq!(e.moratorium_on(d(2025, 1, 1)), Moratorium::None);
}

#[test]
fn interim_then_free_sale_when_no_group_asks() {
    let mut e = listed_on(d(2024, 1, 10), d(2026, 3, 1));
    e.notify_disposal(
        NoticeInput {
            received: d(2026, 3, 1),
        },
        Uuid::new_v4(),
        d(2026, 3, 1),
    )
    .expect("notice");
    let dates = e.disposals[0].dates();
    assert_eq!(dates.interim_moratorium_ends, d(2026, 4, 11));
    assert_eq!(dates.full_moratorium_ends, None);
    assert_eq!(dates.moratorium_ends, d(2026, 4, 11));
    assert_eq!(dates.protected_period_starts, d(2026, 3, 1));
    assert_eq!(dates.protected_period_ends, d(2027, 8, 31));
    assert_eq!(e.moratorium_on(d(2026, 2, 28)), Moratorium::None);
    assert_eq!(e.moratorium_on(d(2026, 4, 11)), Moratorium::Interim);
    assert_eq!(e.moratorium_on(d(2026, 4, 12)), Moratorium::Protected);
    assert_eq!(e.moratorium_on(d(2027, 8, 31)), Moratorium::Protected);
    assert_eq!(e.moratorium_on(d(2027, 9, 1)), Moratorium::None);
}

#[test]
fn a_request_in_time_brings_the_full_moratorium() {
    let mut e = listed_on(d(2024, 1, 10), d(2026, 3, 1));
    let id = Uuid::new_v4();
    e.notify_disposal(
        NoticeInput {
            received: d(2026, 3, 1),
        },
        id,
        d(2026, 3, 1),
    )
    .expect("notice");
    // The last day of the interim period is still in time.
    e.request_to_bid(
        id,
        BidderRequestInput {
            received: d(2026, 4, 11),
            group: "Plough Community Pub Ltd".into(),
        },
        d(2026, 4, 11),
    )
    .expect("in time");
    let dates = e.disposals[0].dates();
    // 6 months beginning with the notice, not with the end of the interim period.
    assert_eq!(dates.full_moratorium_ends, Some(d(2026, 8, 31)));
    assert_eq!(dates.moratorium_ends, d(2026, 8, 31));
    assert_eq!(dates.protected_period_ends, d(2027, 8, 31));
    // From the day of the request the full moratorium is the one in force.
    assert_eq!(e.moratorium_on(d(2026, 4, 10)), Moratorium::Interim);
    assert_eq!(e.moratorium_on(d(2026, 4, 11)), Moratorium::Full);
    assert_eq!(e.moratorium_on(d(2026, 4, 12)), Moratorium::Full);
    assert_eq!(e.moratorium_on(d(2026, 8, 31)), Moratorium::Full);
    assert_eq!(e.moratorium_on(d(2026, 9, 1)), Moratorium::Protected);
    // A second group's request is not recorded over the first.
    let again = e.request_to_bid(
        id,
        BidderRequestInput {
            received: d(2026, 4, 1),
            group: "Another group".into(),
        },
        d(2026, 4, 20),
    );
    assert!(matches!(again, Err(Refusal::Conflict(_))), "{again:?}");
}

#[test]
fn a_late_request_is_refused() {
    let mut e = listed_on(d(2024, 1, 10), d(2026, 5, 1));
    let id = Uuid::new_v4();
    e.notify_disposal(
        NoticeInput {
            received: d(2026, 3, 1),
        },
        id,
        d(2026, 5, 1),
    )
    .expect("notice");
    let late = e.request_to_bid(
        id,
        BidderRequestInput {
            received: d(2026, 4, 12),
            group: "Too Late Group".into(),
        },
        d(2026, 5, 1),
    );
    assert!(
        matches!(&late, Err(Refusal::Invalid(f)) if f.field == "received" && f.message.contains("2026-04-11")),
        "{late:?}"
    );
    assert_eq!(e.disposals[0].bidder_request, None);
}

#[test]
fn a_notice_period_across_29_february() {
    // Notice received 20 January 2024: the six weeks cross the leap day.
    assert_eq!(interim_moratorium_ends(d(2024, 1, 20)), d(2024, 3, 1));
    assert_eq!(interim_moratorium_ends(d(2025, 1, 20)), d(2025, 3, 2));
    // Received on 29 February 2024 itself.
    assert_eq!(interim_moratorium_ends(d(2024, 2, 29)), d(2024, 4, 10));
    assert_eq!(full_moratorium_ends(d(2024, 2, 29)), d(2024, 8, 28));
    assert_eq!(protected_period_ends(d(2024, 2, 29)), d(2025, 8, 28));
    // Six months beginning with 31 August end with February, leap or not.
    assert_eq!(full_moratorium_ends(d(2023, 8, 31)), d(2024, 2, 29));
    assert_eq!(full_moratorium_ends(d(2025, 8, 31)), d(2026, 2, 28));
    assert_eq!(full_moratorium_ends(d(2023, 9, 1)), d(2024, 2, 29));
}

#[test]
fn a_second_disposal_episode_after_the_first_protected_period() {
    let mut e = listed_on(d(2022, 5, 3), d(2026, 1, 1));
    let first = Uuid::new_v4();
    e.notify_disposal(
        NoticeInput {
            received: d(2023, 1, 16),
        },
        first,
        d(2026, 1, 1),
    )
    .expect("first notice");
    assert_eq!(e.disposals[0].dates().protected_period_ends, d(2024, 7, 15));
    // Inside the first protected period a new notice starts nothing.
    let early = e.notify_disposal(
        NoticeInput {
            received: d(2024, 7, 15),
        },
        Uuid::new_v4(),
        d(2026, 1, 1),
    );
    assert!(
        matches!(&early, Err(Refusal::Conflict(f)) if f.field == "received"),
        "{early:?}"
    );
    let second = Uuid::new_v4();
    e.notify_disposal(
        NoticeInput {
            received: d(2024, 7, 16),
        },
        second,
        d(2026, 1, 1),
    )
    .expect("second notice, the day after the protected period");
    e.request_to_bid(
        second,
        BidderRequestInput {
            received: d(2024, 8, 1),
            group: "Friends of the Plough".into(),
        },
        d(2026, 1, 1),
    )
    .expect("in time");
    assert_eq!(e.disposals.len(), 2);
    let dates = e.disposals[1].dates();
    assert_eq!(dates.interim_moratorium_ends, d(2024, 8, 26));
    assert_eq!(dates.full_moratorium_ends, Some(d(2025, 1, 15)));
    assert_eq!(dates.protected_period_ends, d(2026, 1, 15));
    // The first episode keeps its own dates, without a full moratorium.
    assert_eq!(e.disposals[0].dates().full_moratorium_ends, None);
    assert_eq!(e.moratorium_on(d(2024, 12, 1)), Moratorium::Full);
    assert_eq!(e.moratorium_on(d(2025, 6, 1)), Moratorium::Protected);
}

#[test]
fn notices_need_a_listing_still_in_force() {
    let mut e = nomination(d(2024, 1, 10))
        .into_entry(Uuid::new_v4(), d(2024, 2, 1))
        .expect("valid");
    let r = e.notify_disposal(
        NoticeInput {
            received: d(2024, 2, 1),
        },
        Uuid::new_v4(),
        d(2024, 2, 1),
    );
    assert!(matches!(r, Err(Refusal::Conflict(_))), "{r:?}");
    let mut e = listed_on(d(2019, 1, 10), d(2026, 1, 1));
    let r = e.notify_disposal(
        NoticeInput {
            received: d(2024, 1, 10),
        },
        Uuid::new_v4(),
        d(2026, 1, 1),
    );
    assert!(
        matches!(&r, Err(Refusal::Invalid(f)) if f.message.contains("2024-01-09")),
        "{r:?}"
    );
}

#[test]
fn removals_are_checked_against_the_rules() {
    let mut e = listed_on(d(2019, 1, 10), d(2026, 1, 1));
    let too_soon = e.remove(
        RemovalInput {
            reason: RemovalReason::Expired,
            removed: d(2024, 1, 9),
            note: None,
        },
        d(2026, 1, 1),
    );
    assert!(matches!(too_soon, Err(Refusal::Invalid(_))), "{too_soon:?}");
    e.remove(
        RemovalInput {
            reason: RemovalReason::Expired,
            removed: d(2024, 1, 10),
            note: None,
        },
        d(2026, 1, 1),
    )
    .expect("expired the day after its last day");
    assert_eq!(e.stage(d(2026, 1, 1)), Stage::Removed);
    assert_eq!(e.ended(d(2026, 1, 1)), Some(d(2024, 1, 10)));
    let twice = e.remove(
        RemovalInput {
            reason: RemovalReason::Disposal,
            removed: d(2025, 1, 1),
            note: None,
        },
        d(2026, 1, 1),
    );
    assert!(matches!(twice, Err(Refusal::Conflict(_))), "{twice:?}");

    let mut upheld = listed_on(d(2025, 6, 1), d(2026, 1, 1));
    upheld
        .remove(
            RemovalInput {
                reason: RemovalReason::ReviewUpheld,
                removed: d(2025, 8, 1),
                note: Some("Mainly used by the owner's private members".into()),
            },
            d(2026, 1, 1),
        )
        .expect("review upheld");
    assert_eq!(upheld.moratorium_on(d(2026, 1, 1)), Moratorium::None);
}

#[test]
fn dates_in_the_future_or_before_receipt_are_refused() {
    let r = nomination(d(2026, 5, 2)).into_entry(Uuid::new_v4(), d(2026, 5, 1));
    assert!(
        matches!(&r, Err(Refusal::Invalid(f)) if f.field == "received"),
        "{r:?}"
    );
    let mut e = nomination(d(2026, 5, 1))
        .into_entry(Uuid::new_v4(), d(2026, 5, 1))
        .expect("valid");
    let r = e.decide(
        DecisionInput {
            decision: Decision::Listed,
            decided: d(2026, 4, 30),
            reason: None,
        },
        d(2026, 5, 1),
    );
    assert!(
        matches!(&r, Err(Refusal::Invalid(f)) if f.field == "decided"),
        "{r:?}"
    );
    let mut blank = nomination(d(2026, 5, 1));
    blank.nominating_group = "  ".into();
    let r = blank.into_entry(Uuid::new_v4(), d(2026, 5, 1));
    assert!(
        matches!(&r, Err(Refusal::Invalid(f)) if f.field == "nominating_group"),
        "{r:?}"
    );
}

#[test]
fn the_point_is_wkt_longitude_first() {
    let e = listed_on(d(2025, 6, 1), d(2026, 1, 1));
    assert_eq!(e.point_wkt().as_deref(), Some("POINT(-2.11 53.54)"));
}
