//! Who an erasure request (UK GDPR art. 17) is about, and how their data is recognised: in a
//! contact-person object (`{"name", "job_title", "email", "phone"}`), and inside free text
//! (a nominator's contact line, a suggestion's message, a case officer's notes).
//!
//! - **email**: the same address, ignoring case.
//! - **phone**: the same digits, ignoring spaces, brackets and hyphens, with `+44` read as the
//!   leading `0` (`+44 161 496 0000` is `0161 496 0000`). At least 7 digits.
//! - **name**: the same words, ignoring case and extra spaces; in free text only as whole words.
//!
//! A name alone can belong to several people, so callers show what was found before erasing.

use super::FieldError;
use super::validate as v;

/// What replaces a person's data in free text and in fields that cannot be empty.
pub const REDACTED: &str = "[redacted]";

/// The person an erasure is about: at least one of the three.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    email: Option<String>,
    phone: Option<String>,
    name: Option<String>,
}

impl Subject {
    /// Checks the identifiers as typed; each error names its field.
    pub fn new(
        email: Option<String>,
        phone: Option<String>,
        name: Option<String>,
    ) -> Result<Subject, FieldError> {
        let mut email = email;
        v::email("email", &mut email)?;
        let mut phone_text = phone;
        v::phone("phone", &mut phone_text)?;
        let phone = phone_text.as_deref().map(phone_digits);
        if phone.as_ref().is_some_and(|d| d.len() < 7) {
            return Err(FieldError::new(
                "phone",
                "a phone number needs at least 7 digits to identify someone",
            ));
        }
        let mut name = name;
        v::optional("name", &mut name, 200)?;
        let name = name.map(|n| normal_words(&n));
        if name.as_ref().is_some_and(|n| n.chars().count() < 3) {
            return Err(FieldError::new(
                "name",
                "a name needs at least 3 letters to identify someone",
            ));
        }
        if email.is_none() && phone.is_none() && name.is_none() {
            return Err(FieldError::new(
                "email",
                "give the person's email address, phone number or name",
            ));
        }
        Ok(Subject {
            email: email.map(|e| e.to_lowercase()),
            phone,
            name,
        })
    }

    /// The email address, lower case, if one was given.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// Whether a contact-person object is this person: any one identifier matching is enough.
    pub fn is_person(&self, person: &serde_json::Value) -> bool {
        let field = |k: &str| person.get(k).and_then(serde_json::Value::as_str);
        self.email_is(field("email"))
            || self.phone_is(field("phone"))
            || self.name_is(field("name"))
    }

    /// Whether `email` is this person's address.
    pub fn email_is(&self, email: Option<&str>) -> bool {
        matches!((&self.email, email), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b.trim()))
    }

    /// Whether `phone` is this person's number.
    pub fn phone_is(&self, phone: Option<&str>) -> bool {
        matches!((&self.phone, phone), (Some(a), Some(b)) if *a == phone_digits(b))
    }

    /// Whether `name` is this person's name.
    pub fn name_is(&self, name: Option<&str>) -> bool {
        matches!((&self.name, name), (Some(a), Some(b)) if *a == normal_words(b))
    }

    /// `text` with every mention of this person replaced by [`REDACTED`]; `None` when it
    /// mentions them nowhere.
    pub fn redact_text(&self, text: &str) -> Option<String> {
        let mut spans = Vec::new();
        if let Some(email) = &self.email {
            spans.extend(find_ignoring_case(text, email, false));
        }
        if let Some(name) = &self.name {
            spans.extend(find_ignoring_case(text, name, true));
        }
        if let Some(phone) = &self.phone {
            spans.extend(find_phone(text, phone));
        }
        if spans.is_empty() {
            return None;
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            if end <= at {
                continue;
            }
            if start >= at {
                out.push_str(&text[at..start]);
                out.push_str(REDACTED);
            }
            at = end;
        }
        out.push_str(&text[at..]);
        Some(out)
    }
}

/// A phone number's digits in national form: `+44 (0)161 496 0000` → `01614960000`.
pub fn phone_digits(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("44") {
        Some(rest) if raw.trim_start().starts_with('+') || digits.len() >= 12 => {
            let rest = rest.strip_prefix('0').unwrap_or(rest);
            format!("0{rest}")
        }
        _ => digits,
    }
}

/// Lower case, words separated by single spaces.
fn normal_words(raw: &str) -> String {
    raw.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Byte spans of `needle` (lower case, single-spaced) in `text`, ignoring case and treating any
/// run of whitespace in `text` as one space; `words` requires a non-alphanumeric character (or
/// the text's edge) on both sides.
fn find_ignoring_case(text: &str, needle: &str, words: bool) -> Vec<(usize, usize)> {
    let wanted: Vec<char> = needle.chars().collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(end) = match_at(&chars, i, &wanted) {
            let before_ok = i == 0 || !chars[i - 1].1.is_alphanumeric();
            let after_ok = end == chars.len() || !chars[end].1.is_alphanumeric();
            if !words || (before_ok && after_ok) {
                let end_byte = chars.get(end).map_or(text.len(), |c| c.0);
                spans.push((chars[i].0, end_byte));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    spans
}

/// Where a match of `wanted` starting at char `i` ends (exclusive char index), if it matches.
fn match_at(chars: &[(usize, char)], i: usize, wanted: &[char]) -> Option<usize> {
    let mut j = i;
    for &w in wanted {
        if w == ' ' {
            if !chars.get(j)?.1.is_whitespace() {
                return None;
            }
            while chars.get(j).is_some_and(|c| c.1.is_whitespace()) {
                j += 1;
            }
        } else {
            let c = chars.get(j)?.1;
            if !c.to_lowercase().eq(w.to_lowercase()) {
                return None;
            }
            j += 1;
        }
    }
    Some(j)
}

/// Byte spans of phone numbers in `text` whose digits (national form) are `digits`. A number
/// starts at a digit or `+` not preceded by a digit, and may contain spaces, brackets and
/// hyphens; it must not run on into a further digit.
fn find_phone(text: &str, digits: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let b = bytes[start];
        let starts =
            (b.is_ascii_digit() || b == b'+') && (start == 0 || !bytes[start - 1].is_ascii_digit());
        if starts && let Some(end) = phone_match_from(bytes, start, digits) {
            spans.push((start, end));
            start = end;
            continue;
        }
        start += 1;
    }
    spans
}

fn phone_match_from(bytes: &[u8], start: usize, digits: &str) -> Option<usize> {
    let mut seen = String::new();
    let mut end = start;
    while end < bytes.len() {
        let b = bytes[end];
        if b.is_ascii_digit() {
            seen.push(b as char);
            if seen.len() > digits.len() + 3 {
                return None;
            }
            let next_is_digit = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            let text = std::str::from_utf8(&bytes[start..=end]).ok()?;
            if !next_is_digit && phone_digits(text) == digits {
                return Some(end + 1);
            }
        } else if !b" +()-".contains(&b) {
            return None;
        }
        end += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(email: Option<&str>, phone: Option<&str>, name: Option<&str>) -> Subject {
        Subject::new(
            email.map(Into::into),
            phone.map(Into::into),
            name.map(Into::into),
        )
        .unwrap()
    }

    #[test]
    fn needs_one_identifier_that_can_identify() {
        assert_eq!(Subject::new(None, None, None).unwrap_err().field, "email");
        assert_eq!(
            Subject::new(Some("nope".into()), None, None)
                .unwrap_err()
                .field,
            "email"
        );
        assert_eq!(
            Subject::new(None, Some("999".into()), None)
                .unwrap_err()
                .field,
            "phone"
        );
        assert_eq!(
            Subject::new(None, None, Some(" Jo ".into()))
                .unwrap_err()
                .field,
            "name"
        );
    }

    #[test]
    fn phone_numbers_compare_by_national_digits() {
        assert_eq!(phone_digits("+44 (0)161 496 0000"), "01614960000");
        assert_eq!(phone_digits("+44 161 496 0000"), "01614960000");
        assert_eq!(phone_digits("0161-496-0000"), "01614960000");
        assert_eq!(phone_digits("441614960000"), "01614960000");
        let s = subject(None, Some("0161 496 0000"), None);
        assert!(s.phone_is(Some("+44 161 4960000")));
        assert!(!s.phone_is(Some("0161 496 0001")));
    }

    #[test]
    fn a_contact_person_matches_on_any_identifier() {
        let s = subject(Some("Jane.Smith@example.org"), None, Some("jane  smith"));
        let by_email = serde_json::json!({"name": "J. Smith", "email": "jane.smith@EXAMPLE.org"});
        let by_name = serde_json::json!({"name": "Jane Smith", "email": "office@example.org"});
        let other = serde_json::json!({"name": "Jane Smithson", "email": "js@example.org"});
        assert!(s.is_person(&by_email));
        assert!(s.is_person(&by_name));
        assert!(!s.is_person(&other));
    }

    #[test]
    fn free_text_loses_every_mention_and_keeps_the_rest() {
        let s = subject(
            Some("jo@example.org"),
            Some("07700 900123"),
            Some("Jo Bloggs"),
        );
        assert_eq!(
            s.redact_text("Jo  Bloggs, 07700-900-123 or JO@example.org; not Jo Bloggsworth")
                .as_deref(),
            Some("[redacted], [redacted] or [redacted]; not Jo Bloggsworth")
        );
        assert_eq!(
            s.redact_text("call +44 7700 900123 today").as_deref(),
            Some("call [redacted] today")
        );
        // A longer number that merely contains the digits is someone else's.
        assert_eq!(s.redact_text("ring 077009001234"), None);
        assert_eq!(s.redact_text("nothing here"), None);
    }
}
