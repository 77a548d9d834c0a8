//! The record forms, kept generic: each kind is a list of [`Field`]s, and one set of functions
//! renders a field from the record's JSON, reads it back from a posted form into JSON, and
//! shows its value in words (for the conflict table). A field a form does not list (a
//! service's contact person or areas, fields added later) is left as stored: the posted
//! values are laid over the stored record's JSON, never in place of it.

use maud::{Markup, html};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::domain::vocab::{
    AccessMethod, Accessibility, CommunityUse, Facility, OrgType, ServiceStatus, SpaceType, Tenure,
};
use crate::domain::{Publication, RecordKind};
use crate::web::account::CsrfForm;
use crate::web::layout::{field_error, has_error};

/// (wire name, label) pairs of a vocabulary.
pub type Options = Vec<(&'static str, &'static str)>;

macro_rules! options {
    ($name:ident, $vocab:ty) => {
        fn $name() -> Options {
            <$vocab>::ALL
                .iter()
                .map(|v| (v.as_str(), v.label()))
                .collect()
        }
    };
}
options!(org_types, OrgType);
options!(accessibility, Accessibility);
options!(service_statuses, ServiceStatus);
options!(access_methods, AccessMethod);
options!(space_types, SpaceType);
options!(facilities, Facility);
options!(tenures, Tenure);
options!(community_uses, CommunityUse);

fn publications() -> Options {
    [
        (Publication::Draft, "Draft: only signed-in people see it"),
        (Publication::Published, "Published: on the public site"),
        (Publication::Archived, "Archived: kept, but no longer shown"),
    ]
    .into_iter()
    .map(|(p, l)| (p.as_str(), l))
    .collect()
}

/// How a field is entered.
#[derive(Clone, Copy)]
pub enum Input {
    Text,
    LongText,
    Integer,
    Decimal,
    Check,
    /// One of a vocabulary (radios).
    Choice(fn() -> Options),
    /// Any of a vocabulary (checkboxes).
    Multi(fn() -> Options),
    /// An organisation (select).
    Organisation,
    /// A location (select).
    Location,
    /// Locations (checkboxes).
    Locations,
    /// Taxonomy terms (checkboxes).
    Categories,
    /// A parent taxonomy term (select).
    ParentTerm,
    /// A list of short values, one per line.
    Lines,
}

/// One field of a record form: `name` is the record's JSON field and the input's id.
#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub input: Input,
    pub required: bool,
}

const fn f(name: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        name,
        label,
        hint: None,
        input,
        required: false,
    }
}

const fn req(name: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        required: true,
        ..f(name, label, input)
    }
}

const fn hint(field: Field, hint: &'static str) -> Field {
    Field {
        hint: Some(hint),
        ..field
    }
}

/// Every form ends with the publication state.
pub const PUBLICATION: Field = hint(
    req("publication", "Status", Input::Choice(publications)),
    "Draft → published → archived.",
);

const ORGANISATION: &[Field] = &[
    req("name", "Name", Input::Text),
    req("description", "Description", Input::LongText),
    req("org_type", "Type of organisation", Input::Choice(org_types)),
    hint(
        f("identifier", "Identifier", Input::Text),
        "A charity or company number, for example.",
    ),
    f("website", "Website", Input::Text),
    f("email", "Email address", Input::Text),
    f("phone", "Phone number", Input::Text),
];

const LOCATION: &[Field] = &[
    req("name", "Name", Input::Text),
    f("organisation_id", "Organisation", Input::Organisation),
    f("description", "Description", Input::LongText),
    f("address_1", "Address line 1", Input::Text),
    f("address_2", "Address line 2", Input::Text),
    req("town", "Town or city", Input::Text),
    f("county", "County", Input::Text),
    f("postcode", "Postcode", Input::Text),
    f("uprn", "UPRN", Input::Text),
    hint(
        req("latitude", "Latitude", Input::Decimal),
        "WGS84 degrees, for example 53.5409.",
    ),
    hint(
        req("longitude", "Longitude", Input::Decimal),
        "WGS84 degrees, for example -2.1113.",
    ),
    f(
        "accessibility",
        "Accessibility",
        Input::Multi(accessibility),
    ),
    hint(
        f(
            "hide_address",
            "Do not publish the exact address",
            Input::Check,
        ),
        "For refuges and other places whose address must stay private: only the postcode district is shown.",
    ),
];

const SERVICE: &[Field] = &[
    req("name", "Name", Input::Text),
    req("organisation_id", "Organisation", Input::Organisation),
    req("description", "Description", Input::LongText),
    req(
        "status",
        "Operational status",
        Input::Choice(service_statuses),
    ),
    f("location_ids", "Where it is offered", Input::Locations),
    f("categories", "Categories", Input::Categories),
    f("eligibility", "Who it is for", Input::Text),
    f("min_age", "Minimum age", Input::Integer),
    f("max_age", "Maximum age", Input::Integer),
    f("free", "Free", Input::Check),
    f("cost", "Cost", Input::Text),
    f("access", "How to use it", Input::Multi(access_methods)),
    hint(
        f("languages", "Languages", Input::Lines),
        "ISO 639 codes, one per line, for example en.",
    ),
    f("interpreting", "Interpreters can be arranged", Input::Check),
    f("bsl", "British Sign Language", Input::Check),
    f("email", "Email address", Input::Text),
    f("phone", "Phone number", Input::Text),
    f("website", "Website", Input::Text),
    hint(
        f("opening_hours", "Opening hours", Input::Text),
        "OpenStreetMap syntax, for example Mo-Fr 09:00-17:00.",
    ),
];

const SPACE: &[Field] = &[
    req("name", "Name", Input::Text),
    req("organisation_id", "Organisation", Input::Organisation),
    req("location_id", "Location", Input::Location),
    f("description", "Description", Input::LongText),
    req("space_type", "Type of space", Input::Choice(space_types)),
    f("categories", "Categories", Input::Categories),
    f("capacity", "Capacity (people)", Input::Integer),
    f("facilities", "Facilities", Input::Multi(facilities)),
    f(
        "accessibility",
        "Accessibility",
        Input::Multi(accessibility),
    ),
    f("free", "Free", Input::Check),
    f("price", "Price", Input::Text),
    f("how_to_book", "How to book", Input::Text),
    f("booking_url", "Booking website", Input::Text),
    f("email", "Email address", Input::Text),
    f("phone", "Phone number", Input::Text),
    hint(
        f("opening_hours", "Opening hours", Input::Text),
        "OpenStreetMap syntax, for example Mo-Fr 09:00-17:00.",
    ),
];

const ASSET: &[Field] = &[
    req("name", "Name", Input::Text),
    req("owner_organisation_id", "Owner", Input::Organisation),
    f("description", "Description", Input::LongText),
    f("uprn", "UPRN", Input::Text),
    f("asset_reference", "Owner's reference", Input::Text),
    f("address_1", "Address line 1", Input::Text),
    f("address_2", "Address line 2", Input::Text),
    f("town", "Town or city", Input::Text),
    f("postcode", "Postcode", Input::Text),
    f("latitude", "Latitude", Input::Decimal),
    f("longitude", "Longitude", Input::Decimal),
    f("tenure", "Tenure", Input::Choice(tenures)),
    f("current_use", "Current use", Input::Text),
    req(
        "community_use",
        "Community use",
        Input::Choice(community_uses),
    ),
];

const TERM: &[Field] = &[
    req("name", "Name", Input::Text),
    hint(
        f("slug", "URL name", Input::Text),
        "Made from the name when left empty.",
    ),
    f("parent_id", "Parent category", Input::ParentTerm),
    f("description", "Description", Input::LongText),
];

/// The fields of a kind's form, without the publication state.
pub fn fields_for(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Organisation => ORGANISATION,
        RecordKind::Location => LOCATION,
        RecordKind::Service => SERVICE,
        RecordKind::Space => SPACE,
        RecordKind::Asset => ASSET,
        RecordKind::TaxonomyTerm => TERM,
    }
}

/// Every field of a kind's form, the publication state last.
pub fn all_fields(kind: RecordKind) -> impl Iterator<Item = &'static Field> {
    fields_for(kind).iter().chain(std::iter::once(&PUBLICATION))
}

/// The records a form offers to choose from.
#[derive(Debug, Default)]
pub struct Choices {
    pub organisations: Vec<(Uuid, String)>,
    pub locations: Vec<(Uuid, String)>,
    pub terms: Vec<(Uuid, String)>,
}

pub type Errors = Vec<(String, String)>;

/// A value as the form shows it in a text box.
fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn strings_of(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn group_class(errors: &Errors, name: &str) -> String {
    if has_error(errors, name) {
        "form-group form-group--error".into()
    } else {
        "form-group".into()
    }
}

fn input_class(errors: &Errors, name: &str) -> &'static str {
    if has_error(errors, name) {
        "input input--error"
    } else {
        "input"
    }
}

fn options_of<'a>(field: &Field, choices: &'a Choices) -> Vec<(String, &'a str)> {
    let list = match field.input {
        Input::Organisation => &choices.organisations,
        Input::Location | Input::Locations => &choices.locations,
        Input::Categories | Input::ParentTerm => &choices.terms,
        _ => return Vec::new(),
    };
    list.iter()
        .map(|(id, name)| (id.to_string(), name.as_str()))
        .collect()
}

/// One field of the form, filled from `record` (JSON), with its error if it has one.
pub fn render(
    field: &Field,
    record: &Map<String, Value>,
    choices: &Choices,
    errors: &Errors,
) -> Markup {
    let name = field.name;
    let value = record.get(name);
    let hint_id = format!("{name}-hint");
    let described = field.hint.map(|_| hint_id.clone());
    let label_text = html! { (field.label) @if !field.required { " (optional)" } };
    let inputmode = match field.input {
        Input::Integer => Some("numeric"),
        Input::Decimal => Some("decimal"),
        _ => None,
    };
    match field.input {
        Input::Text | Input::Integer | Input::Decimal | Input::LongText => html! {
            div class=(group_class(errors, name)) {
                label class="label" for=(name) { (label_text) }
                @if let Some(h) = field.hint { div class="hint" id=(hint_id) { (h) } }
                (field_error(errors, name))
                @if matches!(field.input, Input::LongText) {
                    textarea class={ (input_class(errors, name)) " textarea" } id=(name) name=(name) rows="6" aria-describedby=[described] { (text_of(value)) }
                } @else {
                    input class=(input_class(errors, name)) id=(name) name=(name) type="text"
                        inputmode=[inputmode]
                        aria-describedby=[described] value=(text_of(value));
                }
            }
        },
        Input::Lines => html! {
            div class=(group_class(errors, name)) {
                label class="label" for=(name) { (label_text) }
                @if let Some(h) = field.hint { div class="hint" id=(hint_id) { (h) } }
                (field_error(errors, name))
                textarea class={ (input_class(errors, name)) " textarea" } id=(name) name=(name) rows="3" aria-describedby=[described] { (text_of(value)) }
            }
        },
        Input::Check => html! {
            div class=(group_class(errors, name)) {
                (field_error(errors, name))
                div class="checkboxes__item" {
                    input class="checkboxes__input" type="checkbox" id=(name) name=(name) value="true"
                        checked[value.and_then(Value::as_bool).unwrap_or(false)] aria-describedby=[described];
                    label class="checkboxes__label" for=(name) { (field.label) }
                }
                @if let Some(h) = field.hint { div class="hint" id=(hint_id) { (h) } }
            }
        },
        Input::Choice(list) => {
            let current = text_of(value);
            html! {
                div class=(group_class(errors, name)) {
                    fieldset class="fieldset" id=(name) aria-describedby=[described] {
                        legend class="fieldset__legend" { (label_text) }
                        @if let Some(h) = field.hint { div class="hint" id=(hint_id) { (h) } }
                        (field_error(errors, name))
                        div class="checkboxes" {
                            @if !field.required {
                                div class="checkboxes__item" {
                                    input class="checkboxes__input" type="radio" id={ (name) "--none" } name=(name) value="" checked[current.is_empty()];
                                    label class="checkboxes__label" for={ (name) "--none" } { "Not known" }
                                }
                            }
                            @for (wire, label) in list() {
                                div class="checkboxes__item" {
                                    input class="checkboxes__input" type="radio" id={ (name) "-" (wire) } name=(name) value=(wire) checked[current == wire];
                                    label class="checkboxes__label" for={ (name) "-" (wire) } { (label) }
                                }
                            }
                        }
                    }
                }
            }
        }
        Input::Multi(list) => {
            let current = strings_of(value);
            let options: Vec<(String, String)> = list()
                .into_iter()
                .map(|(w, l)| (w.to_owned(), l.to_owned()))
                .collect();
            checkboxes(field, &label_text, &options, &current, errors)
        }
        Input::Locations | Input::Categories => {
            let current = strings_of(value);
            let options: Vec<(String, String)> = options_of(field, choices)
                .into_iter()
                .map(|(id, n)| (id, n.to_owned()))
                .collect();
            checkboxes(field, &label_text, &options, &current, errors)
        }
        Input::Organisation | Input::Location | Input::ParentTerm => {
            let current = text_of(value);
            html! {
                div class=(group_class(errors, name)) {
                    label class="label" for=(name) { (label_text) }
                    @if let Some(h) = field.hint { div class="hint" id=(hint_id) { (h) } }
                    (field_error(errors, name))
                    select class="select" id=(name) name=(name) aria-describedby=[described] {
                        option value="" selected[current.is_empty()] { "Choose" }
                        @for (id, label) in options_of(field, choices) {
                            option value=(id) selected[current == id] { (label) }
                        }
                    }
                }
            }
        }
    }
}

fn checkboxes(
    field: &Field,
    label_text: &Markup,
    options: &[(String, String)],
    current: &[String],
    errors: &Errors,
) -> Markup {
    let name = field.name;
    html! {
        div class=(group_class(errors, name)) {
            fieldset class="fieldset" id=(name) {
                legend class="fieldset__legend" { (label_text) }
                @if let Some(h) = field.hint { div class="hint" { (h) } }
                (field_error(errors, name))
                div class="checkboxes checkboxes--small" {
                    @for (wire, label) in options {
                        div class="checkboxes__item" {
                            input class="checkboxes__input" type="checkbox" id={ (name) "-" (wire) } name=(name) value=(wire) checked[current.contains(wire)];
                            label class="checkboxes__label" for={ (name) "-" (wire) } { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// Reads the posted `form` over `record` (the stored record's JSON, or an empty object for a
/// new one): each field of the kind's form replaces its value; everything else stays. A
/// required field left empty, or a number that is not one, is an error naming the field (the
/// text as typed is kept, so the form shows it again).
pub fn read(kind: RecordKind, form: &CsrfForm, record: &mut Map<String, Value>) -> Errors {
    let mut errors = Vec::new();
    for field in all_fields(kind) {
        let name = field.name;
        let raw = form.get(name).unwrap_or_default().trim();
        let value = match field.input {
            Input::Text
            | Input::LongText
            | Input::Choice(_)
            | Input::Organisation
            | Input::Location
            | Input::ParentTerm => {
                if raw.is_empty() {
                    if field.required {
                        let verb = match field.input {
                            Input::Text | Input::LongText => "Enter",
                            _ => "Choose",
                        };
                        errors.push((
                            name.to_owned(),
                            format!("{verb} the {}", field.label.to_lowercase()),
                        ));
                    }
                    None
                } else {
                    Some(Value::String(raw.to_owned()))
                }
            }
            Input::Integer | Input::Decimal => {
                if raw.is_empty() {
                    if field.required {
                        errors.push((
                            name.to_owned(),
                            format!("Enter the {}", field.label.to_lowercase()),
                        ));
                    }
                    None
                } else {
                    let number = match field.input {
                        Input::Integer => raw.parse::<i64>().ok().map(Value::from),
                        _ => raw
                            .parse::<f64>()
                            .ok()
                            .filter(|n| n.is_finite())
                            .map(Value::from),
                    };
                    match number {
                        Some(n) => Some(n),
                        None => {
                            let what = match field.input {
                                Input::Integer => "a whole number",
                                _ => "a number",
                            };
                            errors
                                .push((name.to_owned(), format!("{} must be {what}", field.label)));
                            Some(Value::String(raw.to_owned()))
                        }
                    }
                }
            }
            Input::Check => Some(Value::Bool(raw == "true")),
            Input::Multi(_) | Input::Locations | Input::Categories => Some(Value::Array(
                form.all(name)
                    .into_iter()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            )),
            Input::Lines => Some(Value::Array(
                raw.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_owned()))
                    .collect(),
            )),
        };
        // An empty field is left out, so the record takes its default (none, or "").
        match value {
            Some(v) => record.insert(name.to_owned(), v),
            None => record.remove(name),
        };
    }
    errors
}

/// A value in words, for the conflict table.
pub fn words(field: &Field, record: &Map<String, Value>, choices: &Choices) -> String {
    let value = record.get(field.name);
    let empty = || "(empty)".to_owned();
    match field.input {
        Input::Check => match value.and_then(Value::as_bool) {
            Some(true) => "Yes".into(),
            _ => "No".into(),
        },
        Input::Choice(list) | Input::Multi(list) => {
            let wanted = match value {
                Some(Value::Array(_)) => strings_of(value),
                other => vec![text_of(other)],
            };
            let names: Vec<&str> = list()
                .into_iter()
                .filter(|(w, _)| wanted.iter().any(|x| x == w))
                .map(|(_, l)| l)
                .collect();
            if names.is_empty() {
                empty()
            } else {
                names.join(", ")
            }
        }
        Input::Organisation
        | Input::Location
        | Input::ParentTerm
        | Input::Locations
        | Input::Categories => {
            let wanted = match value {
                Some(Value::Array(_)) => strings_of(value),
                other => vec![text_of(other)],
            };
            let names: Vec<String> = options_of(field, choices)
                .into_iter()
                .filter(|(id, _)| wanted.contains(id))
                .map(|(_, n)| n.to_owned())
                .collect();
            if names.is_empty() {
                empty()
            } else {
                names.join(", ")
            }
        }
        _ => {
            let t = text_of(value);
            if t.is_empty() {
                empty()
            } else {
                t.replace('\n', ", ")
            }
        }
    }
}

/// Whether two JSON values of a field say the same (null, "" and [] are all "empty").
pub fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let norm = |v: Option<&Value>| match v {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(s)) if s.is_empty() => Value::Null,
        Some(Value::Array(a)) if a.is_empty() => Value::Null,
        Some(Value::Bool(false)) => Value::Null,
        Some(Value::Array(a)) => {
            let mut items: Vec<String> = a.iter().map(Value::to_string).collect();
            items.sort();
            Value::from(items)
        }
        Some(Value::Number(n)) => Value::from(n.as_f64()),
        Some(other) => other.clone(),
    };
    norm(a) == norm(b)
}
