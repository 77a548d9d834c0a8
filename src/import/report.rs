//! The import report: what became of every input row or object, and one summary line.

use std::fmt;

use serde::Serialize;

/// Where an input object came from, for people: `row 12 (line 14)`, `service 3`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place(pub String);

impl Place {
    /// A CSV data row (1-based) and the file line it starts on.
    pub fn row(number: usize, line: u64) -> Place {
        if line == 0 || line == number as u64 + 1 {
            Place(format!("row {number}"))
        } else {
            Place(format!("row {number} (line {line})"))
        }
    }

    /// The n-th (1-based) object of a kind in a JSON file, e.g. `feature 3`.
    pub fn nth(what: &str, n: usize) -> Place {
        Place(format!("{what} {n}"))
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What became of one input object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Created,
    Updated,
    Unchanged,
    /// A likely duplicate, held for review rather than created.
    Flagged,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
            Status::Flagged => "flagged",
            Status::Rejected => "rejected",
        }
    }
}

/// One input object's line in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub place: Place,
    pub source_id: Option<String>,
    pub status: Status,
    /// Why it was rejected or flagged.
    pub reason: Option<String>,
    /// Things left out or worth knowing, e.g. an unusable phone number dropped.
    pub notes: Vec<String>,
}

/// Everything an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What was read, e.g. "norwich.csv (osm, UTF-8)".
    pub input: String,
    pub dry_run: bool,
    /// Things about the input as a whole, e.g. a datapackage read without its descriptor.
    pub warnings: Vec<String>,
    pub entries: Vec<Entry>,
}

impl Report {
    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }

    /// How many input objects the report accounts for.
    pub fn total(&self) -> usize {
        self.entries.len()
    }

    /// `created N, updated N, unchanged N, flagged N, rejected N`.
    pub fn summary(&self) -> String {
        format!(
            "created {}, updated {}, unchanged {}, flagged {}, rejected {}",
            self.count(Status::Created),
            self.count(Status::Updated),
            self.count(Status::Unchanged),
            self.count(Status::Flagged),
            self.count(Status::Rejected),
        )
    }
}

impl fmt::Display for Report {
    /// Rejected and flagged objects one per line with their reasons, notes under the object
    /// they belong to, and the summary line last.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "Dry run (nothing was written) of"
        } else {
            "Imported"
        };
        writeln!(f, "{verb} {}: {} objects", self.input, self.total())?;
        for w in &self.warnings {
            writeln!(f, "  warning: {w}")?;
        }
        for e in &self.entries {
            let id = e
                .source_id
                .as_deref()
                .map(|id| format!(" [{id}]"))
                .unwrap_or_default();
            match (&e.reason, e.status) {
                (Some(reason), _) => {
                    writeln!(f, "  {}{id}: {}: {reason}", e.place, e.status.as_str())?
                }
                (None, Status::Rejected | Status::Flagged) => {
                    writeln!(f, "  {}{id}: {}", e.place, e.status.as_str())?
                }
                _ => {}
            }
            for note in &e.notes {
                writeln!(f, "  {}{id}: note: {note}", e.place)?;
            }
        }
        write!(f, "{}", self.summary())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_is_last_and_exact() {
        let entry = |status, reason: Option<&str>| Entry {
            place: Place::row(1, 2),
            source_id: Some("a".into()),
            status,
            reason: reason.map(str::to_owned),
            notes: vec![],
        };
        let report = Report {
            input: "x.csv".into(),
            entries: vec![
                entry(Status::Created, None),
                entry(Status::Rejected, Some("no name")),
            ],
            ..Report::default()
        };
        let text = report.to_string();
        assert!(text.contains("  row 1 [a]: rejected: no name"), "{text}");
        assert_eq!(
            text.lines().last(),
            Some("created 1, updated 0, unchanged 0, flagged 0, rejected 1")
        );
        assert_eq!(Place::row(5, 9).to_string(), "row 5 (line 9)");
    }
}
