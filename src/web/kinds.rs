//! `for_kind!(kind, R => expr)`: runs `expr` with the type alias `R` set to the record type of
//! a [`RecordKind`](crate::domain::RecordKind) known only at run time (a path segment), so a
//! page for any kind is one generic function.

macro_rules! for_kind {
    ($kind:expr, $r:ident => $body:expr) => {
        match $kind {
            $crate::domain::RecordKind::Organisation => {
                type $r = $crate::domain::Organisation;
                $body
            }
            $crate::domain::RecordKind::Location => {
                type $r = $crate::domain::Location;
                $body
            }
            $crate::domain::RecordKind::Service => {
                type $r = $crate::domain::Service;
                $body
            }
            $crate::domain::RecordKind::Space => {
                type $r = $crate::domain::Space;
                $body
            }
            $crate::domain::RecordKind::Asset => {
                type $r = $crate::domain::Asset;
                $body
            }
            $crate::domain::RecordKind::TaxonomyTerm => {
                type $r = $crate::domain::TaxonomyTerm;
                $body
            }
        }
    };
}
pub(crate) use for_kind;

/// The organisation that owns a record, from its JSON (an organisation owns itself).
pub fn owner_of(kind: crate::domain::RecordKind, record: &serde_json::Value) -> Option<uuid::Uuid> {
    let (_, _, column) = crate::store::due::OWNED_KINDS
        .into_iter()
        .find(|(k, _, _)| *k == kind)?;
    record.get(column)?.as_str()?.parse().ok()
}

/// The admin page where a record is edited (the edit forms' address).
pub fn admin_record_path(kind: crate::domain::RecordKind, id: uuid::Uuid) -> String {
    format!("/admin/records/{}/{id}", kind.as_str())
}
