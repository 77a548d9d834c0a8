//! Who may change which records: the rule every write (API token or signed-in person) is
//! checked against, inside the write transaction. Pure: the caller reads the stored record.
//!
//! - **admin**: every record, taxonomy terms included (and, outside this module, users).
//! - **moderator**: every register record except taxonomy terms (the categories are the
//!   council's to shape); no users or tokens.
//! - **editor**: only records owned by one of their organisations. The owner is the record
//!   itself for an organisation, `organisation_id` for locations, services and spaces, and
//!   `owner_organisation_id` for assets. A record with no owner (a location without an
//!   organisation) and taxonomy terms are not theirs. An editor cannot create an
//!   organisation (a new one is nobody's yet), and cannot move a record to an organisation
//!   that is not theirs, or away from one that is.

use uuid::Uuid;

use super::{RecordKind, Role};

/// The role and organisations a write is made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub role: Role,
    /// For editors: the organisations whose records they may change.
    pub organisations: Vec<Uuid>,
}

/// A write the scope does not allow: the field that decides it and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub field: &'static str,
    pub message: String,
}

/// The field naming the organisation that owns a record of `kind`; `None` for kinds no
/// organisation owns (taxonomy terms).
pub fn owner_field(kind: RecordKind) -> Option<&'static str> {
    match kind {
        RecordKind::Organisation => Some("id"),
        RecordKind::Location | RecordKind::Service | RecordKind::Space => Some("organisation_id"),
        RecordKind::Asset => Some("owner_organisation_id"),
        RecordKind::TaxonomyTerm => None,
    }
}

/// The owning organisation of a record given as JSON (the record's own serialisation).
pub fn owner_in(kind: RecordKind, json: &serde_json::Value) -> Option<Uuid> {
    json.get(owner_field(kind)?)?.as_str()?.parse().ok()
}

impl Scope {
    /// Every record (the CLI, imports and tests act as administrators).
    pub fn admin() -> Scope {
        Scope {
            role: Role::Admin,
            organisations: Vec::new(),
        }
    }

    /// Whether the scope covers a record of `kind` owned by `owner`.
    pub fn covers(&self, kind: RecordKind, owner: Option<Uuid>) -> bool {
        self.check(kind, &[owner]).is_ok()
    }

    /// Whether a write touching records of `kind` owned by each of `owners` is allowed: the
    /// stored record's owner (update, delete) and the new one (create, update).
    pub fn check(&self, kind: RecordKind, owners: &[Option<Uuid>]) -> Result<(), Denied> {
        let field = owner_field(kind).unwrap_or("kind");
        match self.role {
            Role::Admin => Ok(()),
            Role::Moderator if kind == RecordKind::TaxonomyTerm => Err(Denied {
                field,
                message: "only administrators may change taxonomy terms".into(),
            }),
            Role::Moderator => Ok(()),
            Role::Editor => {
                let Some(field) = owner_field(kind) else {
                    return Err(Denied {
                        field,
                        message: format!(
                            "organisation editors may not change {} records",
                            kind.label()
                        ),
                    });
                };
                // The organisation of an organisation is the record itself: name it as such.
                let field = if kind == RecordKind::Organisation {
                    "id"
                } else {
                    field
                };
                for owner in owners {
                    match owner {
                        Some(o) if self.organisations.contains(o) => {}
                        Some(_) => {
                            return Err(Denied {
                                field,
                                message: format!(
                                    "this {} belongs to an organisation you do not edit for",
                                    kind.label()
                                ),
                            });
                        }
                        None => {
                            return Err(Denied {
                                field,
                                message: format!(
                                    "this {} has no organisation of yours: only moderators and administrators may change it",
                                    kind.label()
                                ),
                            });
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_write_only_their_organisations_records() {
        let mine = Uuid::new_v4();
        let theirs = Uuid::new_v4();
        let editor = Scope {
            role: Role::Editor,
            organisations: vec![mine],
        };
        assert!(editor.check(RecordKind::Service, &[Some(mine)]).is_ok());
        assert!(
            editor
                .check(RecordKind::Service, &[Some(mine), Some(mine)])
                .is_ok()
        );
        // Moving a record away, or taking one over, is refused.
        let away = editor
            .check(RecordKind::Service, &[Some(mine), Some(theirs)])
            .unwrap_err();
        assert_eq!(away.field, "organisation_id");
        assert!(
            editor
                .check(RecordKind::Asset, &[Some(theirs), Some(mine)])
                .is_err()
        );
        assert_eq!(
            editor
                .check(RecordKind::Asset, &[Some(theirs)])
                .unwrap_err()
                .field,
            "owner_organisation_id"
        );
        assert!(editor.check(RecordKind::Location, &[None]).is_err());
        assert!(editor.check(RecordKind::TaxonomyTerm, &[None]).is_err());
        assert_eq!(
            editor
                .check(RecordKind::Organisation, &[Some(theirs)])
                .unwrap_err()
                .field,
            "id"
        );
        let moderator = Scope {
            role: Role::Moderator,
            organisations: Vec::new(),
        };
        assert!(moderator.check(RecordKind::Asset, &[Some(theirs)]).is_ok());
        assert!(moderator.check(RecordKind::TaxonomyTerm, &[None]).is_err());
        assert!(
            Scope::admin()
                .check(RecordKind::TaxonomyTerm, &[None])
                .is_ok()
        );
    }

    #[test]
    fn owners_are_read_by_kind() {
        let id = Uuid::new_v4();
        let json = serde_json::json!({"id": id, "organisation_id": id.to_string()});
        assert_eq!(owner_in(RecordKind::Organisation, &json), Some(id));
        assert_eq!(owner_in(RecordKind::Service, &json), Some(id));
        assert_eq!(owner_in(RecordKind::Asset, &json), None);
        assert_eq!(owner_in(RecordKind::TaxonomyTerm, &json), None);
    }
}
