//! The roles a signed-in person or an API token acts with. One enum for both, so a user and a
//! token with the same role may do the same things.

use serde::{Deserialize, Serialize};

/// What someone may do. `as_str` is the stable name stored in `users.role` and
/// `api_tokens.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The council's administrator: everything, including users and organisations.
    Admin,
    /// Works the review queues; sees every record.
    Moderator,
    /// Edits only the records of the organisations they are linked to.
    Editor,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Moderator, Role::Editor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Editor => "editor",
        }
    }

    /// The stored name back to a role; `None` for anything else.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The role as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Moderator => "Moderator",
            Role::Editor => "Organisation editor",
        }
    }

    /// Whether this role sees and works on every record (not only its organisations').
    pub fn sees_all_records(self) -> bool {
        matches!(self, Role::Admin | Role::Moderator)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Admin"), None);
        assert!(!Role::Editor.sees_all_records());
    }
}
