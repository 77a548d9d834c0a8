//! Community asset transfer use cases shared by the pages and the API: an expression of
//! interest (the case, then its private link emailed to the applicant) and what the public
//! may see of an asset's cases. Storage is `store::transfer_cases`; the rules
//! `domain::transfer`.

use uuid::Uuid;

use crate::AppState;
use crate::domain::transfer::{NewCase, PublicTransferStatus, TransferCase};
use crate::error::Result;
use crate::mail::Email;

/// The applicant's private link for `token`.
pub fn private_link(config: &crate::Config, token: &str) -> String {
    format!("{}/transfer-cases/{token}", config.public_url())
}

/// A new case and what became of its email.
pub struct Expressed {
    pub case: TransferCase,
    /// The private link, to show once.
    pub link: String,
    /// Whether the link was emailed (a failure is logged; the link is still shown).
    pub mailed: bool,
    pub asset_name: String,
}

/// Records an expression of interest in `asset_id` and emails the applicant their private link.
pub async fn express_interest(state: &AppState, asset_id: Uuid, new: NewCase) -> Result<Expressed> {
    let stages = state.config.transfer_stages();
    let (case, token) = state
        .store
        .create_transfer_case(asset_id, new, &stages)
        .await?;
    let link = private_link(&state.config, &token);
    let asset_name = state
        .store
        .name_of(crate::domain::RecordKind::Asset, asset_id)
        .await?
        .unwrap_or_default();
    let text = format!(
        "Thank you for your expression of interest in {asset_name}, on behalf of {group}.\n\n\
         Follow your case, see its stages and deadlines, and send documents here:\n\n{link}\n\n\
         Keep this link private: anyone who has it can see your case. It is not shown again.\n",
        group = case.group_name,
    );
    let mailed = match state
        .mailer
        .send(&Email {
            to: case.contact_email.clone(),
            subject: format!("Your expression of interest in {asset_name}"),
            text,
        })
        .await
    {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = ?e, case = %case.id, "emailing a transfer case's private link failed");
            false
        }
    };
    tracing::info!(case = %case.id, asset = %asset_id, "expression of interest received");
    Ok(Expressed {
        case,
        link,
        mailed,
        asset_name,
    })
}

/// What the public may see of an asset's cases, oldest first (withdrawn cases say nothing).
pub async fn public_statuses(
    state: &AppState,
    asset_id: Uuid,
) -> Result<Vec<PublicTransferStatus>> {
    let stages = state.config.transfer_stages();
    Ok(state
        .store
        .transfer_cases_of_asset(asset_id, &stages)
        .await?
        .iter()
        .filter_map(TransferCase::public_status)
        .collect())
}
