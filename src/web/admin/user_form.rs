//! The user form (email for a new account, role, organisations) and reading it back: shared by
//! "Add a user" and "Change a user".

use maud::{Markup, html};
use uuid::Uuid;

use crate::domain::Role;
use crate::error::AppError;
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::layout::{field_error, has_error};

pub(super) type Errors = Vec<(String, String)>;

/// What the user form shows: as typed, or the stored account.
pub(super) struct Filled {
    pub email: String,
    pub role: Option<Role>,
    pub organisations: Vec<Uuid>,
}

pub(super) fn input_class(errors: &Errors, name: &str) -> &'static str {
    if has_error(errors, name) {
        "input input--error"
    } else {
        "input"
    }
}

pub(super) fn user_form(
    who: &SignedIn,
    action: &str,
    filled: &Filled,
    new: bool,
    orgs: &[(Uuid, String)],
    errors: &Errors,
) -> Markup {
    html! {
        form method="post" action=(action) novalidate {
            (csrf_field(who))
            @if new {
                div class={ "form-group" @if has_error(errors, "email") { " form-group--error" } } {
                    label class="label" for="email" { "Email address" }
                    div class="hint" id="email-hint" { "We will email a link to choose a password to this address." }
                    (field_error(errors, "email"))
                    input class=(input_class(errors, "email")) id="email" name="email" type="email" spellcheck="false" autocomplete="off" aria-describedby="email-hint" value=(filled.email);
                }
            }
            div class={ "form-group" @if has_error(errors, "role") { " form-group--error" } } {
                fieldset class="fieldset" id="role" {
                    legend class="fieldset__legend" { "Role" }
                    (field_error(errors, "role"))
                    div class="checkboxes" {
                        @for r in Role::ALL {
                            div class="checkboxes__item" {
                                input class="checkboxes__input" type="radio" id={ "role-" (r.as_str()) } name="role" value=(r.as_str()) checked[filled.role == Some(r)];
                                label class="checkboxes__label" for={ "role-" (r.as_str()) } { (r.label()) }
                            }
                        }
                    }
                }
            }
            div class={ "form-group" @if has_error(errors, "organisations") { " form-group--error" } } {
                fieldset class="fieldset" id="organisations" aria-describedby="organisations-hint" {
                    legend class="fieldset__legend" { "Organisations" }
                    div class="hint" id="organisations-hint" { "For organisation editors: the organisations whose records they may edit." }
                    (field_error(errors, "organisations"))
                    div class="checkboxes checkboxes--small" {
                        @for (id, name) in orgs {
                            div class="checkboxes__item" {
                                input class="checkboxes__input" type="checkbox" id={ "org-" (id) } name="organisations" value=(id) checked[filled.organisations.contains(id)];
                                label class="checkboxes__label" for={ "org-" (id) } { (name) }
                            }
                        }
                    }
                }
            }
            button type="submit" class="button" { @if new { "Create the account and email the link" } @else { "Save changes" } }
        }
    }
}

/// Role and organisations from a posted form; errors name the field.
pub(super) fn read_role(form: &CsrfForm, errors: &mut Errors) -> (Option<Role>, Vec<Uuid>) {
    let role = form.get("role").and_then(Role::parse);
    if role.is_none() {
        errors.push(("role".into(), "Select a role".into()));
    }
    let organisations = form
        .all("organisations")
        .into_iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    (role, organisations)
}

/// A store error on the form, or the error itself when it is not about a field.
pub(super) fn field_errors(e: AppError) -> Result<Errors, PageError> {
    match e {
        AppError::Validation(f) if f.field == "email" => Ok(vec![(
            "email".into(),
            "Enter an email address in the correct format, like name@example.com".into(),
        )]),
        AppError::Validation(f) => Ok(vec![(f.field, f.message)]),
        AppError::Conflict {
            message,
            field: Some(field),
        } => Ok(vec![(field, message)]),
        other => Err(other.into()),
    }
}
