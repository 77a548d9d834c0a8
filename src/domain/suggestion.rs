//! Corrections suggested by the public: which fields of each kind a person can say are wrong
//! (each one a moderator can apply as it stands), the checks on what they send, and the states
//! a suggestion moves through. No I/O.

use super::{FieldError, RecordKind, validate};

/// What is wrong: one of the kind's [`fields`], or this.
pub const OTHER: &str = "other";

/// Longest suggested value and explanation, in characters.
pub const MAX_VALUE: usize = 2000;
pub const MAX_MESSAGE: usize = 5000;

/// A field people may suggest a new value for: its name in the record, its label, and
/// whether the record needs a value in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
}

const fn f(name: &'static str, label: &'static str, required: bool) -> Field {
    Field {
        name,
        label,
        required,
    }
}

const SERVICE: &[Field] = &[
    f("name", "Name", true),
    f("description", "Description", true),
    f("phone", "Phone number", false),
    f("email", "Email address", false),
    f("website", "Website", false),
    f("opening_hours", "Opening hours", false),
    f("eligibility", "Who it is for", false),
    f("cost", "Cost", false),
];

const SPACE: &[Field] = &[
    f("name", "Name", true),
    f("description", "Description", false),
    f("phone", "Phone number", false),
    f("email", "Email address", false),
    f("opening_hours", "Opening hours", false),
    f("price", "Price", false),
    f("how_to_book", "How to book", false),
    f("booking_url", "Booking website", false),
];

const ORGANISATION: &[Field] = &[
    f("name", "Name", true),
    f("description", "Description", true),
    f("phone", "Phone number", false),
    f("email", "Email address", false),
    f("website", "Website", false),
];

const ASSET: &[Field] = &[
    f("name", "Name", true),
    f("description", "Description", false),
];

/// The fields of `kind` a suggestion can name (kinds without a public page have none).
pub fn fields(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Service => SERVICE,
        RecordKind::Space => SPACE,
        RecordKind::Organisation => ORGANISATION,
        RecordKind::Asset => ASSET,
        RecordKind::Location | RecordKind::TaxonomyTerm => &[],
    }
}

/// The field called `name`, if `kind` has it.
pub fn field(kind: RecordKind, name: &str) -> Option<Field> {
    fields(kind).iter().copied().find(|f| f.name == name)
}

/// The label of a field name ("Other" for [`OTHER`]).
pub fn label(kind: RecordKind, name: &str) -> &'static str {
    field(kind, name).map_or("Something else", |f| f.label)
}

/// Where a suggestion is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Accepted,
    Rejected,
    Forwarded,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::Accepted,
        Status::Rejected,
        Status::Forwarded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Forwarded => "forwarded",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A suggestion as the public form sends it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub field: String,
    pub suggested_value: String,
    pub message: String,
    pub contact_email: Option<String>,
}

/// Checks what the form sent for a record of `kind`; every problem, each naming its field.
pub fn check(
    kind: RecordKind,
    field_name: &str,
    value: &str,
    message: &str,
    email: &str,
) -> Result<Draft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let field_name = field_name.trim();
    if field_name.is_empty() {
        errors.push(FieldError::new("field", "Select what is wrong"));
    } else if field_name != OTHER && field(kind, field_name).is_none() {
        errors.push(FieldError::new(
            "field",
            "Select what is wrong from the list",
        ));
    }
    let (value, message) = (value.trim(), message.trim());
    if value.is_empty() && message.is_empty() {
        errors.push(FieldError::new(
            "value",
            "Enter the correct information, or explain what is wrong",
        ));
    }
    if value.chars().count() > MAX_VALUE {
        errors.push(FieldError::new(
            "value",
            format!("The correct information must be {MAX_VALUE} characters or fewer"),
        ));
    }
    if message.chars().count() > MAX_MESSAGE {
        errors.push(FieldError::new(
            "message",
            format!("The explanation must be {MAX_MESSAGE} characters or fewer"),
        ));
    }
    let mut contact = Some(email.trim().to_owned()).filter(|e| !e.is_empty());
    if validate::email("email", &mut contact).is_err() {
        errors.push(FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.com, or leave it empty",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Draft {
        field: field_name.to_owned(),
        suggested_value: value.to_owned(),
        message: message.to_owned(),
        contact_email: contact,
    })
}

/// The record's JSON with `field` set to `value` (empty clears an optional field). `None`
/// when the field can't be applied as it stands (`other`, unknown, or empty but required).
pub fn apply(
    kind: RecordKind,
    record: &mut serde_json::Value,
    field_name: &str,
    value: &str,
) -> Option<()> {
    let f = field(kind, field_name)?;
    let value = value.trim();
    let new = if value.is_empty() {
        if f.required {
            return None;
        }
        serde_json::Value::Null
    } else {
        serde_json::Value::String(value.to_owned())
    };
    record.as_object_mut()?.insert(f.name.to_owned(), new);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_every_field_at_fault() {
        let errs = check(RecordKind::Service, "", "", "", "not-an-email").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["field", "value", "email"]);
        let errs = check(RecordKind::Asset, "phone", "01234", "", "").unwrap_err();
        assert_eq!(errs[0].field, "field");
        let ok = check(
            RecordKind::Service,
            "phone",
            " 0161 496 0000 ",
            "",
            " a@b.org ",
        )
        .unwrap();
        assert_eq!(ok.suggested_value, "0161 496 0000");
        assert_eq!(ok.contact_email.as_deref(), Some("a@b.org"));
        assert!(check(RecordKind::Space, OTHER, "", "The hall has closed", "").is_ok());
    }

    #[test]
    fn apply_sets_or_clears_only_known_fields() {
        let mut r = serde_json::json!({"name": "A", "phone": "1"});
        assert!(apply(RecordKind::Service, &mut r, "phone", "").is_some());
        assert_eq!(r["phone"], serde_json::Value::Null);
        assert!(apply(RecordKind::Service, &mut r, "name", " ").is_none());
        assert!(apply(RecordKind::Service, &mut r, OTHER, "x").is_none());
        assert!(apply(RecordKind::Service, &mut r, "name", "B").is_some());
        assert_eq!(r["name"], "B");
    }
}
