//! Accounts' use cases, between the pages and the store: signing in (with the lockout),
//! inviting someone (an account plus an emailed set-password link) and "forgotten your
//! password?". No HTTP here; `web::account` turns these into pages and cookies.

pub mod password;
pub mod signing;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Config;
use crate::domain::Role;
use crate::error::Result;
use crate::mail::{Email, Mailer};
use crate::store::Store;
use crate::store::password_tokens::Purpose;
use crate::store::sessions::NewSession;
use crate::store::sign_in_failures::ThrottleKey;
use crate::store::users::User;

/// What a sign-in attempt came to.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the new session.
    Ok(User, NewSession),
    /// Wrong email or password (which one is never said).
    Wrong,
    /// Too many failures: refused until then, whatever the password.
    Locked(DateTime<Utc>),
}

/// Checks an email and password from a client `address`. Failures are counted against the
/// email (known or not) and the address; a lock refuses even the right password.
pub async fn sign_in(store: &Store, email: &str, password: &str, address: &str) -> Result<SignIn> {
    let keys = [ThrottleKey::account(email), ThrottleKey::address(address)];
    if let Some(until) = store.locked_until(&keys).await? {
        tracing::warn!(%address, "sign-in refused: locked after repeated failures");
        return Ok(SignIn::Locked(until));
    }
    let candidate = store.sign_in_candidate(email).await?;
    let (user, stored) = match candidate {
        Some((u, h)) if !u.is_disabled() => (Some(u), h),
        _ => (None, None),
    };
    if password::verify(password.to_owned(), stored).await?
        && let Some(user) = user
    {
        store.clear_sign_in_failures(&keys[0]).await?;
        store.sweep_sessions().await?;
        let session = store.create_session(user.id).await?;
        tracing::info!(user = %user.id, "signed in");
        return Ok(SignIn::Ok(user, session));
    }
    // The email and the password stay out of the log; a known account is named by its id.
    tracing::warn!(
        user = ?user.as_ref().map(|u| u.id),
        %address,
        "sign-in failed: wrong email or password"
    );
    match store.record_sign_in_failure(&keys).await? {
        Some(until) => Ok(SignIn::Locked(until)),
        None => Ok(SignIn::Wrong),
    }
}

/// "In 15 minutes", "in 1 minute": how long until `until`, rounded up, in plain words.
pub fn wait_words(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (until - now).num_seconds().max(1);
    let minutes = (secs + 59) / 60;
    if minutes == 1 {
        "in 1 minute".to_owned()
    } else {
        format!("in {minutes} minutes")
    }
}

/// The link that sets a password with `token`.
pub fn password_link(config: &Config, token: &str) -> String {
    format!("{}/password/new?token={token}", config.public_url())
}

/// Creates an account and emails its set-password link. Returns the account and the link
/// (which `junction user create` also prints). The account stays if the mail fails; the
/// error says so and a new link can be sent.
pub async fn invite(
    store: &Store,
    mailer: &Mailer,
    config: &Config,
    email: &str,
    role: Role,
    organisations: &[Uuid],
) -> Result<(User, String)> {
    let user = store.create_user(email, role, organisations).await?;
    let link = send_set_password(store, mailer, config, &user).await?;
    Ok((user, link))
}

/// Emails `user` a new set-password link; returns the link.
pub async fn send_set_password(
    store: &Store,
    mailer: &Mailer,
    config: &Config,
    user: &User,
) -> Result<String> {
    let token = store.issue_password_token(user.id, Purpose::Set).await?;
    let link = password_link(config, &token);
    let text = format!(
        "You have been given an account on the Junction register at {site} ({role}).\n\n\
         Choose your password here:\n\n{link}\n\n\
         The link works once and expires in 3 days. If it has expired, use \"Forgotten your password?\" on the sign-in page.\n",
        site = config.public_url(),
        role = user.role.label(),
    );
    mailer
        .send(&Email {
            to: user.email.clone(),
            subject: "Set your Junction password".into(),
            text,
        })
        .await?;
    tracing::info!(user = %user.id, "set-password link sent");
    Ok(link)
}

/// "Forgotten your password?": emails a reset link if `email` has an enabled account; does
/// nothing otherwise. The caller answers the same either way.
pub async fn request_reset(
    store: &Store,
    mailer: &Mailer,
    config: &Config,
    email: &str,
) -> Result<()> {
    let Some(user) = store
        .user_by_email(email)
        .await?
        .filter(|u| !u.is_disabled())
    else {
        tracing::info!("password reset asked for an address with no enabled account");
        return Ok(());
    };
    let token = store.issue_password_token(user.id, Purpose::Reset).await?;
    let link = password_link(config, &token);
    let text = format!(
        "Someone asked to reset the password of your account on the Junction register at {site}.\n\n\
         Choose a new password here:\n\n{link}\n\n\
         The link works once and expires in 1 hour. If you did not ask for this, ignore this email: your password has not changed.\n",
        site = config.public_url(),
    );
    mailer
        .send(&Email {
            to: user.email.clone(),
            subject: "Reset your Junction password".into(),
            text,
        })
        .await?;
    tracing::info!(user = %user.id, "password reset link sent");
    Ok(())
}

/// Sets a password through a link's token. `None` when the link is no longer usable.
pub async fn set_password(store: &Store, token: &str, new_password: &str) -> Result<Option<Uuid>> {
    let hash = password::hash(new_password.to_owned()).await?;
    let user = store.redeem_password_token(token, &hash).await?;
    if let Some(id) = user
        && let Some(u) = store.user(id).await?
    {
        // A new password lifts a lock on the account.
        store
            .clear_sign_in_failures(&ThrottleKey::account(&u.email))
            .await?;
        tracing::info!(user = %id, "password set through a link");
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_whole_minutes() {
        let now = Utc::now();
        assert_eq!(
            wait_words(now + chrono::Duration::minutes(15), now),
            "in 15 minutes"
        );
        assert_eq!(
            wait_words(now + chrono::Duration::seconds(61), now),
            "in 2 minutes"
        );
        assert_eq!(
            wait_words(now + chrono::Duration::seconds(5), now),
            "in 1 minute"
        );
    }
}
