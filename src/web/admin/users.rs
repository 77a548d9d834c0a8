//! `/admin/users` (administrators only): list accounts, create one (which emails its
//! set-password link), change its role and organisations, send a new link, disable or
//! re-enable it. An administrator cannot disable or demote themselves, so the register always
//! keeps one who can manage it.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::user_form::{Errors, Filled, field_errors, read_role, user_form};
use super::{Section, refuse_unless_admin, shell};
use crate::AppState;
use crate::auth;
use crate::domain::Role;
use crate::error::AppError;
use crate::store::sign_in_failures::ThrottleKey;
use crate::store::users::User;
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::layout::{date, error_summary};

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some("The account was created and its set-password link emailed."),
        "mail-failed" => {
            Some("The email could not be sent. Check the mail settings, then send a new link.")
        }
        "saved" => Some("The changes were saved."),
        "link-sent" => Some("A new set-password link was emailed."),
        "disabled" => Some("The account was disabled and signed out everywhere."),
        "enabled" => Some("The account was enabled."),
        _ => None,
    }
}

fn notice_panel(done: Option<&str>) -> Markup {
    html! {
        @if let Some(n) = notice(done) {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
    }
}

pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&who) {
        return Ok(r);
    }
    let users = state.store.users().await?;
    let orgs = state.store.organisation_choices().await?;
    let org_name = |id: &Uuid| {
        orgs.iter()
            .find(|(o, _)| o == id)
            .map(|(_, n)| n.as_str())
            .unwrap_or("(removed organisation)")
    };
    let mut rows = Vec::with_capacity(users.len());
    for u in &users {
        let locked = state
            .store
            .locked_until(&[ThrottleKey::account(&u.email)])
            .await?;
        rows.push((u, locked));
    }
    let content = html! {
        (notice_panel(q.done.as_deref()))
        h1 class="heading-l" { "Users" }
        p { a class="button" href="/admin/users/new" { "Add a user" } }
        table class="table" {
            caption class="visually-hidden" { "Users" }
            thead { tr {
                th scope="col" { "Email" }
                th scope="col" { "Role" }
                th scope="col" { "Organisations" }
                th scope="col" { "Status" }
            } }
            tbody {
                @for (u, locked) in &rows {
                    tr {
                        td { a href={ "/admin/users/" (u.id) } { (u.email) } }
                        td { (u.role.label()) }
                        td {
                            @for (i, o) in u.organisations.iter().enumerate() {
                                @if i > 0 { ", " } (org_name(o))
                            }
                        }
                        td {
                            @if u.is_disabled() { strong class="tag tag--red" { "Disabled" } }
                            @else if let Some(until) = locked { strong class="tag tag--red" { "Locked until " (time(*until)) } }
                            @else if !u.has_password { "Invited: no password yet" }
                            @else { "Active" }
                        }
                    }
                }
            }
        }
    };
    Ok(shell(
        &who,
        "Users",
        Section::Users,
        StatusCode::OK,
        content,
    ))
}

/// "14:05 on 3 November 2026", in UK time.
fn time(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::London);
    format!("{} on {}", local.format("%H:%M"), date(at))
}

fn new_page(who: &SignedIn, filled: &Filled, orgs: &[(Uuid, String)], errors: &Errors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if errors.is_empty() {
        "Add a user"
    } else {
        "Error: Add a user"
    };
    let content = html! {
        (error_summary(errors))
        h1 class="heading-l" { "Add a user" }
        (user_form(who, "/admin/users/new", filled, true, orgs, errors))
        p { a href="/admin/users" { "Back to users" } }
    };
    shell(who, title, Section::Users, status, content)
}

pub async fn new(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&who) {
        return Ok(r);
    }
    let orgs = state.store.organisation_choices().await?;
    let filled = Filled {
        email: String::new(),
        role: Some(Role::Editor),
        organisations: Vec::new(),
    };
    Ok(new_page(&who, &filled, &orgs, &Vec::new()))
}

pub async fn create(State(state): State<AppState>, form: CsrfForm) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&form.who) {
        return Ok(r);
    }
    let orgs = state.store.organisation_choices().await?;
    let email = form.get("email").unwrap_or_default().trim().to_owned();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(("email".into(), "Enter an email address".into()));
    }
    let (role, organisations) = read_role(&form, &mut errors);
    let filled = Filled {
        email: email.clone(),
        role,
        organisations: organisations.clone(),
    };
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Ok(new_page(&form.who, &filled, &orgs, &errors));
    };
    let user = match state.store.create_user(&email, role, &organisations).await {
        Ok(u) => u,
        Err(e) => return Ok(new_page(&form.who, &filled, &orgs, &field_errors(e)?)),
    };
    tracing::info!(user = %user.id, by = %form.who.user().id, "user created");
    let done =
        match auth::send_set_password(&state.store, &state.mailer, &state.config, &user).await {
            Ok(_) => "created",
            Err(e) => {
                tracing::error!(error = ?e, user = %user.id, "emailing a set-password link failed");
                "mail-failed"
            }
        };
    Ok(Redirect::to(&format!("/admin/users/{}?done={done}", user.id)).into_response())
}

async fn load(state: &AppState, id: &str) -> Result<User, PageError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound("user".into()))?;
    Ok(state
        .store
        .user(id)
        .await?
        .ok_or_else(|| AppError::NotFound("user".into()))?)
}

fn edit_page(
    who: &SignedIn,
    user: &User,
    filled: &Filled,
    orgs: &[(Uuid, String)],
    errors: &Errors,
    done: Option<&str>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if errors.is_empty() {
        "Change a user"
    } else {
        "Error: Change a user"
    };
    let base = format!("/admin/users/{}", user.id);
    let myself = user.id == who.user().id;
    let content = html! {
        (error_summary(errors))
        (notice_panel(done))
        h1 class="heading-l" { (user.email) }
        dl class="summary-list" {
            div class="summary-list__row" { dt class="summary-list__key" { "Added" } dd class="summary-list__value" { (date(user.created_at)) } }
            div class="summary-list__row" {
                dt class="summary-list__key" { "Status" }
                dd class="summary-list__value" {
                    @if let Some(at) = user.disabled_at { "Disabled on " (date(at)) }
                    @else if !user.has_password { "Invited: no password yet" }
                    @else { "Active" }
                }
            }
        }
        h2 class="heading-m" { "Role and organisations" }
        @if myself {
            p { "You cannot change your own role or disable your own account: ask another administrator." }
        } @else {
            (user_form(who, &base, filled, false, orgs, errors))
        }
        @if !myself && !user.is_disabled() {
            h2 class="heading-m" { "Password" }
            form method="post" action={ (base) "/send-link" } {
                (csrf_field(who))
                p { "Email a new link to choose a password (for example when the first one expired). The old password keeps working until the link is used." }
                button type="submit" class="button button--secondary" { "Email a new set-password link" }
            }
        }
        @if !myself {
            h2 class="heading-m" { "Access" }
            @if user.is_disabled() {
                form method="post" action={ (base) "/enable" } {
                    (csrf_field(who))
                    button type="submit" class="button button--secondary" { "Enable this account" }
                }
            } @else {
                form method="post" action={ (base) "/disable" } {
                    (csrf_field(who))
                    p { "A disabled account cannot sign in, and is signed out everywhere at once." }
                    button type="submit" class="button button--warning" { "Disable this account" }
                }
            }
        }
        p { a href="/admin/users" { "Back to users" } }
    };
    shell(who, title, Section::Users, status, content)
}

pub async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&who) {
        return Ok(r);
    }
    let user = load(&state, &id).await?;
    let orgs = state.store.organisation_choices().await?;
    let filled = Filled {
        email: user.email.clone(),
        role: Some(user.role),
        organisations: user.organisations.clone(),
    };
    Ok(edit_page(
        &who,
        &user,
        &filled,
        &orgs,
        &Vec::new(),
        q.done.as_deref(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&form.who) {
        return Ok(r);
    }
    let user = load(&state, &id).await?;
    let orgs = state.store.organisation_choices().await?;
    let mut errors = Vec::new();
    let (role, organisations) = read_role(&form, &mut errors);
    let filled = Filled {
        email: user.email.clone(),
        role,
        organisations: organisations.clone(),
    };
    if user.id == form.who.user().id {
        errors.push(("role".into(), "You cannot change your own role".into()));
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Ok(edit_page(&form.who, &user, &filled, &orgs, &errors, None));
    };
    if let Err(e) = state.store.update_user(user.id, role, &organisations).await {
        return Ok(edit_page(
            &form.who,
            &user,
            &filled,
            &orgs,
            &field_errors(e)?,
            None,
        ));
    }
    tracing::info!(user = %user.id, by = %form.who.user().id, role = %role, "user changed");
    Ok(Redirect::to(&format!("/admin/users/{}?done=saved", user.id)).into_response())
}

async fn set_disabled(
    state: &AppState,
    id: &str,
    form: &CsrfForm,
    disabled: bool,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&form.who) {
        return Ok(r);
    }
    let user = load(state, id).await?;
    if user.id == form.who.user().id {
        let filled = Filled {
            email: user.email.clone(),
            role: Some(user.role),
            organisations: user.organisations.clone(),
        };
        let orgs = state.store.organisation_choices().await?;
        let errors = vec![(
            "role".to_owned(),
            "You cannot disable your own account".to_owned(),
        )];
        return Ok(edit_page(&form.who, &user, &filled, &orgs, &errors, None));
    }
    state.store.set_user_disabled(user.id, disabled).await?;
    tracing::info!(user = %user.id, by = %form.who.user().id, disabled, "user access changed");
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(Redirect::to(&format!("/admin/users/{}?done={done}", user.id)).into_response())
}

pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    set_disabled(&state, &id, &form, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    set_disabled(&state, &id, &form, false).await
}

pub async fn send_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&form.who) {
        return Ok(r);
    }
    let user = load(&state, &id).await?;
    if user.is_disabled() {
        return Err(AppError::NotFound("user".into()).into());
    }
    let done =
        match auth::send_set_password(&state.store, &state.mailer, &state.config, &user).await {
            Ok(_) => "link-sent",
            Err(e) => {
                tracing::error!(error = ?e, user = %user.id, "emailing a set-password link failed");
                "mail-failed"
            }
        };
    Ok(Redirect::to(&format!("/admin/users/{}?done={done}", user.id)).into_response())
}
