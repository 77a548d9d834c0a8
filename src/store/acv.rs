//! Assets of Community Value in the database: `acv_entries` (a nomination, its decision and
//! removal) and `acv_disposals` (one row per owner's notice). The rules are in
//! [`crate::domain::acv`]; here each change loads the entry inside a write transaction, lets
//! the domain apply and check it, writes the rows with a version check, and appends one row to
//! the change log (kind `acv_entry`, the entry as JSON) in the same transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use serde::Serialize;
use uuid::Uuid;

use super::{Actor, Store, changes, changes::Op, records::get_in};
use crate::domain::acv::{
    AcvEntry, BidderRequest, BidderRequestInput, Decision, DecisionInput, Disposal, Nomination,
    NoticeInput, Refusal, RemovalInput, RemovalReason,
};
use crate::domain::{Asset, FieldError};
use crate::error::{AppError, Result};

/// The change-log kind of an ACV entry.
pub const CHANGE_KIND: &str = "acv_entry";

mod entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "acv_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub reference: String,
        pub asset_id: Option<Uuid>,
        pub name: String,
        pub address_text: Option<String>,
        pub latitude: Option<f64>,
        pub longitude: Option<f64>,
        pub nominating_group: String,
        pub nominator_contact: Option<String>,
        pub nomination_received: Date,
        pub reasons: String,
        pub decision: Option<String>,
        pub decided: Option<Date>,
        pub decision_reason: Option<String>,
        pub removed: Option<Date>,
        pub removal_reason: Option<String>,
        pub removal_note: Option<String>,
        pub notes: Option<String>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod disposal {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "acv_disposals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub entry_id: Uuid,
        pub notice_received: Date,
        pub bidder_request_received: Option<Date>,
        pub interested_group: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An entry as stored: the domain entry and its bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcvRecord {
    #[serde(flatten)]
    pub entry: AcvEntry,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Today in Europe/London: the day the law's periods are counted in.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&London).date_naive()
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Invalid(e) => AppError::Validation(e),
            Refusal::Conflict(e) => AppError::Conflict {
                message: e.message,
                field: Some(e.field),
            },
        }
    }
}

fn to_record(m: entry::Model, disposals: Vec<disposal::Model>) -> Result<AcvRecord> {
    let decision = match m.decision {
        Some(s) => Some(
            Decision::parse(&s)
                .ok_or_else(|| anyhow::anyhow!("acv entry {}: unknown decision {s:?}", m.id))?,
        ),
        None => None,
    };
    let removal_reason =
        match m.removal_reason {
            Some(s) => Some(RemovalReason::parse(&s).ok_or_else(|| {
                anyhow::anyhow!("acv entry {}: unknown removal reason {s:?}", m.id)
            })?),
            None => None,
        };
    let disposals = disposals
        .into_iter()
        .map(|d| Disposal {
            id: d.id,
            notice_received: d.notice_received,
            bidder_request: match (d.bidder_request_received, d.interested_group) {
                (Some(received), Some(group)) => Some(BidderRequest { received, group }),
                _ => None,
            },
        })
        .collect();
    Ok(AcvRecord {
        entry: AcvEntry {
            id: m.id,
            reference: m.reference,
            asset_id: m.asset_id,
            name: m.name,
            address_text: m.address_text,
            latitude: m.latitude,
            longitude: m.longitude,
            nominating_group: m.nominating_group,
            nominator_contact: m.nominator_contact,
            nomination_received: m.nomination_received,
            reasons: m.reasons,
            decision,
            decided: m.decided,
            decision_reason: m.decision_reason,
            removed: m.removed,
            removal_reason,
            removal_note: m.removal_note,
            notes: m.notes,
            disposals,
        },
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(r: &AcvRecord) -> entry::ActiveModel {
    let e = &r.entry;
    entry::ActiveModel {
        id: Set(e.id),
        reference: Set(e.reference.clone()),
        asset_id: Set(e.asset_id),
        name: Set(e.name.clone()),
        address_text: Set(e.address_text.clone()),
        latitude: Set(e.latitude),
        longitude: Set(e.longitude),
        nominating_group: Set(e.nominating_group.clone()),
        nominator_contact: Set(e.nominator_contact.clone()),
        nomination_received: Set(e.nomination_received),
        reasons: Set(e.reasons.clone()),
        decision: Set(e.decision.map(|d| d.as_str().to_owned())),
        decided: Set(e.decided),
        decision_reason: Set(e.decision_reason.clone()),
        removed: Set(e.removed),
        removal_reason: Set(e.removal_reason.map(|r| r.as_str().to_owned())),
        removal_note: Set(e.removal_note.clone()),
        notes: Set(e.notes.clone()),
        version: Set(r.version),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
    }
}

fn disposal_active(entry_id: Uuid, d: &Disposal, now: DateTime<Utc>) -> disposal::ActiveModel {
    disposal::ActiveModel {
        id: Set(d.id),
        entry_id: Set(entry_id),
        notice_received: Set(d.notice_received),
        bidder_request_received: Set(d.bidder_request.as_ref().map(|b| b.received)),
        interested_group: Set(d.bidder_request.as_ref().map(|b| b.group.clone())),
        created_at: Set(now),
    }
}

async fn load_in<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<Option<AcvRecord>> {
    let Some(m) = entry::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let disposals = disposal::Entity::find()
        .filter(disposal::Column::EntryId.eq(id))
        .order_by_asc(disposal::Column::NoticeReceived)
        .all(conn)
        .await?;
    Ok(Some(to_record(m, disposals)?))
}

async fn log<C: ConnectionTrait>(txn: &C, record: &AcvRecord, op: Op, actor: &Actor) -> Result<()> {
    let json = serde_json::to_value(record).map_err(anyhow::Error::from)?;
    changes::append_other(txn, CHANGE_KIND, record.entry.id, op, actor, Some(json)).await?;
    Ok(())
}

fn not_found(id: Uuid) -> AppError {
    AppError::NotFound(format!("ACV entry {id}"))
}

/// The asset's address as one line: "99 Hollins Lane, Hollins Green, Millbrook, OL2 1RY".
fn address_of(asset: &Asset) -> Option<String> {
    let parts: Vec<&str> = [
        &asset.address_1,
        &asset.address_2,
        &asset.town,
        &asset.postcode,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .filter(|s| !s.trim().is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

impl Store {
    /// Records a nomination. When it names an asset in the register, the asset's name,
    /// address and point fill those the nomination leaves out.
    pub async fn acv_nominate(
        &self,
        mut nomination: Nomination,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<AcvRecord> {
        let txn = self.begin_write().await?;
        if let Some(asset_id) = nomination.asset_id {
            let asset: Asset = get_in::<Asset, _>(&txn, asset_id).await?.ok_or_else(|| {
                FieldError::new("asset_id", format!("there is no asset with id {asset_id}"))
            })?;
            if nomination.name.trim().is_empty() {
                nomination.name = asset.name.clone();
            }
            if nomination.address_text.is_none() {
                nomination.address_text = address_of(&asset);
            }
            if nomination.latitude.is_none() && nomination.longitude.is_none() {
                nomination.latitude = asset.latitude;
                nomination.longitude = asset.longitude;
            }
        }
        let entry = nomination.into_entry(Uuid::new_v4(), today)?;
        let now = Utc::now();
        let record = AcvRecord {
            entry,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let taken = entry::Entity::find()
            .filter(entry::Column::Reference.eq(record.entry.reference.as_str()))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(AppError::Conflict {
                message: format!(
                    "another ACV entry already has the reference {}",
                    record.entry.reference
                ),
                field: Some("reference".into()),
            });
        }
        entry::Entity::insert(to_active(&record))
            .exec_without_returning(&txn)
            .await?;
        log(&txn, &record, Op::Create, actor).await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(record)
    }

    /// One entry with its disposal episodes.
    pub async fn acv_get(&self, id: Uuid) -> Result<Option<AcvRecord>> {
        load_in(&self.db, id).await
    }

    /// Every entry, by name, each with its disposal episodes (oldest first).
    pub async fn acv_list(&self) -> Result<Vec<AcvRecord>> {
        let entries = entry::Entity::find()
            .order_by_asc(entry::Column::Name)
            .order_by_asc(entry::Column::Id)
            .all(&self.db)
            .await?;
        let mut disposals: HashMap<Uuid, Vec<disposal::Model>> = HashMap::new();
        for d in disposal::Entity::find()
            .order_by_asc(disposal::Column::NoticeReceived)
            .all(&self.db)
            .await?
        {
            disposals.entry(d.entry_id).or_default().push(d);
        }
        entries
            .into_iter()
            .map(|m| {
                let mine = disposals.remove(&m.id).unwrap_or_default();
                to_record(m, mine)
            })
            .collect()
    }

    /// The entries for one asset of the register, by nomination date.
    pub async fn acv_for_asset(&self, asset_id: Uuid) -> Result<Vec<AcvRecord>> {
        let ids: Vec<Uuid> = entry::Entity::find()
            .filter(entry::Column::AssetId.eq(asset_id))
            .order_by_asc(entry::Column::NominationReceived)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(load_in(&self.db, id).await?);
        }
        Ok(out)
    }

    /// Records the authority's decision on a nomination.
    pub async fn acv_decide(
        &self,
        id: Uuid,
        input: DecisionInput,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<AcvRecord> {
        self.acv_change(id, actor, |e| e.decide(input, today)).await
    }

    /// Starts a disposal episode with the owner's notice.
    pub async fn acv_notify_disposal(
        &self,
        id: Uuid,
        input: NoticeInput,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<AcvRecord> {
        let disposal_id = Uuid::new_v4();
        self.acv_change(id, actor, |e| e.notify_disposal(input, disposal_id, today))
            .await
    }

    /// Records a group's request to be treated as a bidder on one disposal episode.
    pub async fn acv_request_to_bid(
        &self,
        id: Uuid,
        disposal_id: Uuid,
        input: BidderRequestInput,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<AcvRecord> {
        self.acv_change(id, actor, |e| e.request_to_bid(disposal_id, input, today))
            .await
    }

    /// Removes an entry from its list.
    pub async fn acv_remove(
        &self,
        id: Uuid,
        input: RemovalInput,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<AcvRecord> {
        self.acv_change(id, actor, |e| e.remove(input, today)).await
    }

    /// One change to an entry, in one transaction: load, apply the rule, write the entry
    /// (only if still at the version read) and its new or changed disposal rows, log.
    async fn acv_change(
        &self,
        id: Uuid,
        actor: &Actor,
        apply: impl FnOnce(&mut AcvEntry) -> Result<(), Refusal>,
    ) -> Result<AcvRecord> {
        let txn = self.begin_write().await?;
        let before = load_in(&txn, id).await?.ok_or_else(|| not_found(id))?;
        let mut after = before.clone();
        apply(&mut after.entry)?;
        after.version = before.version + 1;
        after.updated_at = Utc::now();
        let res = entry::Entity::update_many()
            .set(to_active(&after))
            .filter(entry::Column::Id.eq(id))
            .filter(entry::Column::Version.eq(before.version))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::Conflict {
                message: "this ACV entry was changed by someone else at the same time: read it again and retry".into(),
                field: None,
            });
        }
        let now = after.updated_at;
        for d in &after.entry.disposals {
            match before.entry.disposals.iter().find(|old| old.id == d.id) {
                None => {
                    disposal::Entity::insert(disposal_active(id, d, now))
                        .exec_without_returning(&txn)
                        .await?;
                }
                Some(old) if old != d => {
                    disposal::Entity::update_many()
                        .col_expr(
                            disposal::Column::BidderRequestReceived,
                            Expr::value(d.bidder_request.as_ref().map(|b| b.received)),
                        )
                        .col_expr(
                            disposal::Column::InterestedGroup,
                            Expr::value(d.bidder_request.as_ref().map(|b| b.group.clone())),
                        )
                        .filter(disposal::Column::Id.eq(d.id))
                        .exec(&txn)
                        .await?;
                }
                Some(_) => {}
            }
        }
        log(&txn, &after, Op::Update, actor).await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(after)
    }
}
