//! Community asset transfer cases (migration `000015`): `transfer_cases`, their stage history
//! `transfer_case_stages` and attached documents `transfer_case_documents`, whose files live
//! under `<data-dir>/transfer-documents/` with generated names. Every write is one
//! transaction; a case's private link token is stored only as its SHA-256 hash. Cases are
//! not register records and never enter the change log — except that completing one marks
//! its asset `transferred`, which is an ordinary logged asset update in the same transaction.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{Actor, Store, records::get_in};
use crate::domain::transfer::{
    CaseDocument, CaseState, Closing, NewCase, StageEntry, StageList, StageStep, TransferCase,
    TransferTerms, interest_closed_on, today,
};
use crate::domain::upload::Accepted;
use crate::domain::vocab::CommunityUse;
use crate::domain::{Asset, Publication, Record, RecordKind};
use crate::error::{AppError, Result};

mod case {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "transfer_cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub asset_id: Uuid,
        pub token_hash: String,
        pub group_name: String,
        pub contact_name: String,
        pub contact_email: String,
        pub contact_phone: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub proposal: String,
        pub stage: String,
        pub state: String,
        pub terms: Option<String>,
        pub terms_detail: Option<String>,
        pub decided_on: Option<Date>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod stage {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "transfer_case_stages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub position: i32,
        pub stage: String,
        pub stage_label: String,
        pub entered_on: Date,
        pub officer: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        pub notes_public: bool,
        pub deadline: Option<Date>,
        pub recorded_by: String,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod document {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "transfer_case_documents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub file_name: String,
        pub stored_name: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub uploaded_by: String,
        pub uploaded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A case on the staff list: enough to sort and flag it without its history.
#[derive(Debug, Clone)]
pub struct CaseListing {
    pub case: TransferCase,
    pub asset_name: String,
}

/// A stored document: what it is and where its bytes are.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub info: CaseDocument,
    pub path: PathBuf,
}

fn label_of(stages: &StageList, key: &str, state: CaseState) -> String {
    match state {
        CaseState::Withdrawn | CaseState::Declined => state.label().to_owned(),
        _ => stages
            .get(key)
            .map(|s| s.label.clone())
            .unwrap_or_else(|| key.to_owned()),
    }
}

fn to_case(
    m: case::Model,
    stages: &StageList,
    history: Vec<stage::Model>,
    documents: Vec<document::Model>,
) -> Result<TransferCase> {
    let state = CaseState::parse(&m.state)
        .ok_or_else(|| anyhow::anyhow!("transfer case {} has unknown state", m.id))?;
    // The label it was entered under, when the configured list no longer has the stage.
    let mut stage_label = label_of(stages, &m.stage, state);
    if stages.get(&m.stage).is_none()
        && let Some(h) = history.iter().rev().find(|h| h.stage == m.stage)
    {
        stage_label = h.stage_label.clone();
    }
    Ok(TransferCase {
        id: m.id,
        asset_id: m.asset_id,
        group_name: m.group_name,
        contact_name: m.contact_name,
        contact_email: m.contact_email,
        contact_phone: m.contact_phone,
        proposal: m.proposal,
        stage: m.stage,
        stage_label,
        state,
        terms: m.terms.as_deref().and_then(TransferTerms::parse),
        terms_detail: m.terms_detail,
        decided_on: m.decided_on,
        created_at: m.created_at,
        updated_at: m.updated_at,
        history: history
            .into_iter()
            .map(|h| StageEntry {
                stage: h.stage,
                stage_label: h.stage_label,
                entered_on: h.entered_on,
                officer: h.officer,
                notes: h.notes,
                notes_public: h.notes_public,
                deadline: h.deadline,
                recorded_at: h.recorded_at,
            })
            .collect(),
        documents: documents.into_iter().map(doc_info).collect(),
    })
}

fn doc_info(d: document::Model) -> CaseDocument {
    CaseDocument {
        id: d.id,
        file_name: d.file_name,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        uploaded_by: d.uploaded_by,
        uploaded_at: d.uploaded_at,
    }
}

fn not_found() -> AppError {
    AppError::NotFound("transfer case".into())
}

/// Refuses to delete an asset that has transfer cases (their history must not vanish with it).
/// Called by the record delete inside its transaction.
pub(super) async fn refuse_delete_with_cases(
    txn: &DatabaseTransaction,
    kind: RecordKind,
    id: Uuid,
) -> Result<()> {
    if kind != RecordKind::Asset {
        return Ok(());
    }
    let n = case::Entity::find()
        .filter(case::Column::AssetId.eq(id))
        .count(txn)
        .await?;
    if n > 0 {
        return Err(AppError::Conflict {
            message: format!(
                "this asset has {n} community asset transfer case{}: it cannot be deleted while they are kept",
                if n == 1 { "" } else { "s" }
            ),
            field: None,
        });
    }
    Ok(())
}

impl Store {
    /// Records an expression of interest in `asset_id`, at the first stage. The asset must be
    /// published and offered for transfer, and its closing date (if any) not passed in the UK. Returns the case and its private link token (only
    /// the token's hash is kept).
    pub async fn create_transfer_case(
        &self,
        asset_id: Uuid,
        mut new: NewCase,
        stages: &StageList,
    ) -> Result<(TransferCase, String)> {
        new.validate()?;
        let txn = self.begin_write().await?;
        let asset: Asset = get_in::<Asset, _>(&txn, asset_id)
            .await?
            .filter(|a| a.publication() == Publication::Published)
            .ok_or_else(|| AppError::NotFound(format!("asset {asset_id}")))?;
        if asset.community_use != CommunityUse::OfferedForTransfer {
            return Err(AppError::Conflict {
                message: format!(
                    "{} is not offered for community asset transfer, so it takes no expressions of interest",
                    asset.name
                ),
                field: Some("asset_id".into()),
            });
        }
        if let Some(closed_on) = interest_closed_on(asset.transfer_closing_date, today()) {
            return Err(AppError::InterestClosed { closed_on });
        }
        let token = super::secrets::random_hex()?;
        let now = Utc::now();
        let id = Uuid::new_v4();
        let first = stages.first();
        case::Entity::insert(case::ActiveModel {
            id: Set(id),
            asset_id: Set(asset_id),
            token_hash: Set(super::secrets::sha256_hex(&token)),
            group_name: Set(new.group_name),
            contact_name: Set(new.contact_name),
            contact_email: Set(new.contact_email),
            contact_phone: Set(new.contact_phone),
            proposal: Set(new.proposal),
            stage: Set(first.key.clone()),
            state: Set(CaseState::Open.as_str().to_owned()),
            terms: Set(None),
            terms_detail: Set(None),
            decided_on: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        insert_stage(
            &txn,
            id,
            0,
            (first.key.as_str(), first.label.as_str()),
            StepFields {
                entered_on: today(),
                ..StepFields::default()
            },
            "applicant",
        )
        .await?;
        txn.commit().await?;
        let case = self
            .transfer_case(id, stages)
            .await?
            .ok_or_else(not_found)?;
        Ok((case, token))
    }

    /// One case with its history and documents.
    pub async fn transfer_case(
        &self,
        id: Uuid,
        stages: &StageList,
    ) -> Result<Option<TransferCase>> {
        let Some(m) = case::Entity::find_by_id(id).one(&self.db).await? else {
            return Ok(None);
        };
        self.load_case(m, stages).await.map(Some)
    }

    /// The case whose private link carries `token`.
    pub async fn transfer_case_by_token(
        &self,
        token: &str,
        stages: &StageList,
    ) -> Result<Option<TransferCase>> {
        if !super::secrets::is_secret_shape(token) {
            return Ok(None);
        }
        let Some(m) = case::Entity::find()
            .filter(case::Column::TokenHash.eq(super::secrets::sha256_hex(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        self.load_case(m, stages).await.map(Some)
    }

    async fn load_case(&self, m: case::Model, stages: &StageList) -> Result<TransferCase> {
        let history = stage::Entity::find()
            .filter(stage::Column::CaseId.eq(m.id))
            .order_by_asc(stage::Column::Position)
            .all(&self.db)
            .await?;
        let documents = document::Entity::find()
            .filter(document::Column::CaseId.eq(m.id))
            .order_by_asc(document::Column::UploadedAt)
            .all(&self.db)
            .await?;
        to_case(m, stages, history, documents)
    }

    /// Every case of an asset, oldest first.
    pub async fn transfer_cases_of_asset(
        &self,
        asset_id: Uuid,
        stages: &StageList,
    ) -> Result<Vec<TransferCase>> {
        let rows = case::Entity::find()
            .filter(case::Column::AssetId.eq(asset_id))
            .order_by_asc(case::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            out.push(self.load_case(m, stages).await?);
        }
        Ok(out)
    }

    /// Every case, open ones first, then newest first, with its asset's name.
    pub async fn transfer_cases(&self, stages: &StageList) -> Result<Vec<CaseListing>> {
        let rows = case::Entity::find()
            .order_by_desc(case::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let asset_name = self
                .name_of(RecordKind::Asset, m.asset_id)
                .await?
                .unwrap_or_else(|| "(asset removed)".into());
            out.push(CaseListing {
                case: self.load_case(m, stages).await?,
                asset_name,
            });
        }
        out.sort_by_key(|l| l.case.state != CaseState::Open);
        Ok(out)
    }

    /// Every open case with its history (for deadline reminders), oldest first.
    pub async fn open_transfer_cases(&self, stages: &StageList) -> Result<Vec<CaseListing>> {
        let rows = case::Entity::find()
            .filter(case::Column::State.eq(CaseState::Open.as_str()))
            .order_by_asc(case::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let asset_name = self
                .name_of(RecordKind::Asset, m.asset_id)
                .await?
                .unwrap_or_else(|| "(asset removed)".into());
            out.push(CaseListing {
                case: self.load_case(m, stages).await?,
                asset_name,
            });
        }
        Ok(out)
    }

    /// Moves an open case on to a later stage. Reaching the last stage completes it and marks
    /// the asset transferred (a logged asset update), in the same transaction.
    pub async fn advance_transfer_case(
        &self,
        id: Uuid,
        mut step: StageStep,
        stages: &StageList,
        actor: &Actor,
    ) -> Result<TransferCase> {
        let txn = self.begin_write().await?;
        let current = lock_case(&txn, id).await?;
        if current.state != CaseState::Open.as_str() {
            return Err(closed(&current));
        }
        let target = step.validate(stages, &current.stage)?.clone();
        let entered_on = step.entered_on.unwrap_or_else(today);
        let completes = target.key == stages.last().key;
        let position = next_position(&txn, id).await?;
        insert_stage(
            &txn,
            id,
            position,
            (target.key.as_str(), target.label.as_str()),
            StepFields {
                entered_on,
                officer: step.officer.clone(),
                notes: step.notes.clone(),
                notes_public: step.notes_public,
                deadline: step.deadline,
            },
            &actor.0,
        )
        .await?;
        let mut update = case::ActiveModel {
            id: Set(id),
            stage: Set(target.key.clone()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        };
        if completes {
            update.state = Set(CaseState::Completed.as_str().to_owned());
            update.terms = Set(step.terms.map(|t| t.as_str().to_owned()));
            update.terms_detail = Set(step.terms_detail.clone());
            update.decided_on = Set(Some(entered_on));
            mark_asset_transferred(self, &txn, current.asset_id, actor).await?;
        }
        case::Entity::update(update).exec(&txn).await?;
        txn.commit().await?;
        if completes {
            self.changed.notify_one();
        }
        self.transfer_case(id, stages).await?.ok_or_else(not_found)
    }

    /// Ends an open case as withdrawn or declined, with the reason (shown to the applicant).
    pub async fn close_transfer_case(
        &self,
        id: Uuid,
        mut closing: Closing,
        stages: &StageList,
        actor: &Actor,
    ) -> Result<TransferCase> {
        closing.validate()?;
        let txn = self.begin_write().await?;
        let current = lock_case(&txn, id).await?;
        if current.state != CaseState::Open.as_str() {
            return Err(closed(&current));
        }
        let entered_on = closing.entered_on.unwrap_or_else(today);
        let outcome = closing.outcome;
        let position = next_position(&txn, id).await?;
        insert_stage(
            &txn,
            id,
            position,
            (outcome.as_str(), outcome.label()),
            StepFields {
                entered_on,
                officer: closing.officer,
                notes: Some(closing.reason),
                notes_public: true,
                deadline: None,
            },
            &actor.0,
        )
        .await?;
        case::Entity::update(case::ActiveModel {
            id: Set(id),
            stage: Set(outcome.as_str().to_owned()),
            state: Set(outcome.as_str().to_owned()),
            decided_on: Set(Some(entered_on)),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        txn.commit().await?;
        self.transfer_case(id, stages).await?.ok_or_else(not_found)
    }

    /// Attaches a checked file to a case: the bytes are written under `dir` with a generated
    /// name, then the row is committed; if the commit fails the file is removed again.
    pub async fn add_transfer_document(
        &self,
        case_id: Uuid,
        accepted: &Accepted,
        bytes: &[u8],
        uploaded_by: &str,
        dir: &Path,
    ) -> Result<CaseDocument> {
        let id = Uuid::new_v4();
        let stored_name = id.simple().to_string();
        let path = dir.join(&stored_name);
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
        let partial = dir.join(format!("{stored_name}.partial"));
        tokio::fs::write(&partial, bytes)
            .await
            .map_err(|e| anyhow::anyhow!("writing an uploaded document: {e}"))?;
        let written = async {
            let txn = self.begin_write().await?;
            lock_case(&txn, case_id).await?;
            let row = document::Model {
                id,
                case_id,
                file_name: accepted.file_name.clone(),
                stored_name: stored_name.clone(),
                content_type: accepted.content_type.to_owned(),
                size_bytes: i64::try_from(bytes.len()).map_err(anyhow::Error::from)?,
                uploaded_by: uploaded_by.to_owned(),
                uploaded_at: Utc::now(),
            };
            document::Entity::insert(document::ActiveModel::from(row.clone()).reset_all())
                .exec_without_returning(&txn)
                .await?;
            tokio::fs::rename(&partial, &path)
                .await
                .map_err(|e| anyhow::anyhow!("storing an uploaded document: {e}"))?;
            if let Err(e) = txn.commit().await {
                tokio::fs::remove_file(&path).await.ok();
                return Err(e.into());
            }
            Ok::<_, AppError>(row)
        }
        .await;
        match written {
            Ok(row) => Ok(doc_info(row)),
            Err(e) => {
                tokio::fs::remove_file(&partial).await.ok();
                Err(e)
            }
        }
    }

    /// A case's document and the path of its bytes under `dir`.
    pub async fn transfer_document(
        &self,
        case_id: Uuid,
        document_id: Uuid,
        dir: &Path,
    ) -> Result<Option<StoredDocument>> {
        let Some(d) = document::Entity::find_by_id(document_id)
            .filter(document::Column::CaseId.eq(case_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let path = dir.join(&d.stored_name);
        Ok(Some(StoredDocument {
            info: doc_info(d),
            path,
        }))
    }
}

#[derive(Default)]
struct StepFields {
    entered_on: NaiveDate,
    officer: Option<String>,
    notes: Option<String>,
    notes_public: bool,
    deadline: Option<NaiveDate>,
}

async fn insert_stage(
    txn: &DatabaseTransaction,
    case_id: Uuid,
    position: i32,
    (key, label): (&str, &str),
    f: StepFields,
    recorded_by: &str,
) -> Result<()> {
    stage::Entity::insert(stage::ActiveModel {
        id: Set(Uuid::new_v4()),
        case_id: Set(case_id),
        position: Set(position),
        stage: Set(key.to_owned()),
        stage_label: Set(label.to_owned()),
        entered_on: Set(f.entered_on),
        officer: Set(f.officer),
        notes: Set(f.notes),
        notes_public: Set(f.notes_public),
        deadline: Set(f.deadline),
        recorded_by: Set(recorded_by.to_owned()),
        recorded_at: Set(Utc::now()),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// The case row, locked for this transaction on PostgreSQL (SQLite's write transaction
/// already serialises writers).
async fn lock_case(txn: &DatabaseTransaction, id: Uuid) -> Result<case::Model> {
    case::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(not_found)
}

async fn next_position(txn: &DatabaseTransaction, id: Uuid) -> Result<i32> {
    let n = stage::Entity::find()
        .filter(stage::Column::CaseId.eq(id))
        .count(txn)
        .await?;
    Ok(i32::try_from(n).map_err(anyhow::Error::from)?)
}

fn closed(m: &case::Model) -> AppError {
    AppError::Conflict {
        message: format!(
            "this case is already {}: it cannot change any more",
            m.state
        ),
        field: Some("stage".into()),
    }
}

/// Completing a transfer changes the asset's community use to `transferred`, through the
/// ordinary logged update so the index, feeds and history see it.
async fn mark_asset_transferred(
    store: &Store,
    txn: &DatabaseTransaction,
    asset_id: Uuid,
    actor: &Actor,
) -> Result<()> {
    let Some(mut asset) = get_in::<Asset, _>(txn, asset_id).await? else {
        return Ok(());
    };
    if asset.community_use == CommunityUse::Transferred {
        return Ok(());
    }
    let version = asset
        .meta()
        .map(|m| m.version)
        .ok_or_else(|| anyhow::anyhow!("stored asset without meta"))?;
    asset.community_use = CommunityUse::Transferred;
    store
        .update_in(txn, asset_id, version, asset, actor)
        .await?;
    Ok(())
}
