//! Field rules shared by every record kind. Each helper names the field it checks, so a
//! failure can be reported against it.

use super::FieldError;

type Check<T = ()> = Result<T, FieldError>;

/// Trims a required text field in place and checks its length in characters.
pub fn required(field: &str, value: &mut String, max: usize) -> Check {
    *value = value.trim().to_owned();
    if value.is_empty() {
        return Err(FieldError::new(field, format!("{field} is required")));
    }
    max_len(field, value, max)
}

/// Trims an optional text field in place; an empty string becomes `None`.
pub fn optional(field: &str, value: &mut Option<String>, max: usize) -> Check {
    if let Some(v) = value.as_mut() {
        *v = v.trim().to_owned();
        if v.is_empty() {
            *value = None;
            return Ok(());
        }
        max_len(field, v, max)?;
    }
    Ok(())
}

/// Like [`optional`] but the field must be present.
pub fn required_opt(field: &str, value: &mut Option<String>, max: usize) -> Check {
    optional(field, value, max)?;
    if value.is_none() {
        return Err(FieldError::new(field, format!("{field} is required")));
    }
    Ok(())
}

fn max_len(field: &str, value: &str, max: usize) -> Check {
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            format!("{field} is {len} characters long; the most allowed is {max}"),
        ));
    }
    Ok(())
}

/// A plausible email address: one `@`, something before it, a dotted domain after it.
pub fn email(field: &str, value: &mut Option<String>) -> Check {
    optional(field, value, 254)?;
    if let Some(v) = value {
        let ok = match v.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !v.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if !ok {
            return Err(FieldError::new(
                field,
                format!("'{v}' is not an email address"),
            ));
        }
    }
    Ok(())
}

/// An absolute http(s) URL with a host.
pub fn url(field: &str, value: &mut Option<String>) -> Check {
    optional(field, value, 500)?;
    if let Some(v) = value {
        let rest = v
            .strip_prefix("https://")
            .or_else(|| v.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
        let ok = matches!(host, Some(h) if h.contains('.') || h.starts_with("localhost"))
            && !v.chars().any(char::is_whitespace);
        if !ok {
            return Err(FieldError::new(
                field,
                format!("'{v}' is not a web address: it must start with https:// or http://"),
            ));
        }
    }
    Ok(())
}

/// A phone number: digits, spaces and + ( ) - only, at least 3 digits.
pub fn phone(field: &str, value: &mut Option<String>) -> Check {
    optional(field, value, 40)?;
    if let Some(v) = value {
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let ok = digits >= 3 && v.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c));
        if !ok {
            return Err(FieldError::new(
                field,
                format!("'{v}' is not a phone number"),
            ));
        }
    }
    Ok(())
}

/// Checks and normalises a full UK postcode to its canonical form, e.g. `ol11aa` → `OL1 1AA`.
pub fn normalise_postcode(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    (inward_ok && is_outward_code(outward)).then(|| format!("{outward} {inward}"))
}

/// Whether `s` (upper case, no spaces) has the shape of a UK outward code: A9, A99, AA9, AA99,
/// A9A or AA9A.
pub fn is_outward_code(s: &str) -> bool {
    let b = s.as_bytes();
    let alpha = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let alnum = |i: usize| alpha(i) || digit(i);
    match b.len() {
        2 => alpha(0) && digit(1),
        3 => alpha(0) && ((digit(1) && alnum(2)) || (alpha(1) && digit(2))),
        4 => alpha(0) && alpha(1) && digit(2) && alnum(3),
        _ => false,
    }
}

/// The outward code (district) of a normalised postcode: `OL1 1AA` → `OL1`.
pub fn postcode_district(postcode: &str) -> String {
    postcode.split(' ').next().unwrap_or(postcode).to_owned()
}

pub fn postcode(field: &str, value: &mut String) -> Check {
    match normalise_postcode(value) {
        Some(p) => {
            *value = p;
            Ok(())
        }
        None => Err(FieldError::new(
            field,
            format!(
                "'{}' is not a UK postcode (expected a form like 'OL1 1AA')",
                value.trim()
            ),
        )),
    }
}

pub fn postcode_opt(field: &str, value: &mut Option<String>) -> Check {
    optional(field, value, 8)?;
    if let Some(v) = value.as_mut() {
        postcode(field, v)?;
    }
    Ok(())
}

/// A Unique Property Reference Number: 1 to 12 digits, kept as text.
pub fn uprn(field: &str, value: &mut Option<String>) -> Check {
    optional(field, value, 12)?;
    if let Some(v) = value
        && !v.chars().all(|c| c.is_ascii_digit())
    {
        return Err(FieldError::new(
            field,
            format!("'{v}' is not a UPRN: it must be 1 to 12 digits"),
        ));
    }
    Ok(())
}

/// WGS84 latitude and longitude, both required together.
pub fn point(latitude: f64, longitude: f64) -> Check {
    if !(-90.0..=90.0).contains(&latitude) || !latitude.is_finite() {
        return Err(FieldError::new(
            "latitude",
            "latitude must be between -90 and 90",
        ));
    }
    if !(-180.0..=180.0).contains(&longitude) || !longitude.is_finite() {
        return Err(FieldError::new(
            "longitude",
            "longitude must be between -180 and 180",
        ));
    }
    Ok(())
}

/// Optional point: both or neither.
pub fn point_opt(latitude: Option<f64>, longitude: Option<f64>) -> Check {
    match (latitude, longitude) {
        (Some(lat), Some(lon)) => point(lat, lon),
        (None, None) => Ok(()),
        (Some(_), None) => Err(FieldError::new(
            "longitude",
            "longitude is required when latitude is given",
        )),
        (None, Some(_)) => Err(FieldError::new(
            "latitude",
            "latitude is required when longitude is given",
        )),
    }
}

/// Opening hours in OpenStreetMap `opening_hours` syntax.
pub fn opening_hours(field: &str, value: &mut Option<String>) -> Check {
    optional(field, value, 1000)?;
    if let Some(v) = value
        && v.parse::<opening_hours::OpeningHours>().is_err()
    {
        return Err(FieldError::new(
            field,
            format!(
                "'{v}' is not valid opening hours: use the OpenStreetMap syntax, e.g. 'Mo-Fr 09:00-17:00; Sa 10:00-12:00; PH off'"
            ),
        ));
    }
    Ok(())
}

/// A whole number in a range.
pub fn range(field: &str, value: Option<i32>, min: i32, max: i32) -> Check {
    if let Some(v) = value
        && !(min..=max).contains(&v)
    {
        return Err(FieldError::new(
            field,
            format!("{field} must be between {min} and {max}"),
        ));
    }
    Ok(())
}

/// An amount of money in pounds: finite, not negative, at most `max`. Kept to whole pence.
pub fn money(field: &str, value: &mut Option<f64>, max: f64) -> Check {
    if let Some(v) = value.as_mut() {
        if !v.is_finite() || *v < 0.0 || *v > max {
            return Err(FieldError::new(
                field,
                format!("{field} must be an amount in pounds between 0 and {max}"),
            ));
        }
        *v = (*v * 100.0).round() / 100.0;
    }
    Ok(())
}

/// Removes duplicates while keeping first-seen order.
pub fn dedupe<T: PartialEq + Clone>(values: &mut Vec<T>) {
    let mut seen: Vec<T> = Vec::with_capacity(values.len());
    values.retain(|v| {
        if seen.contains(v) {
            false
        } else {
            seen.push(v.clone());
            true
        }
    });
}

/// ISO 639 language codes: two or three lower-case letters.
pub fn languages(field: &str, values: &mut Vec<String>) -> Check {
    for (i, v) in values.iter_mut().enumerate() {
        *v = v.trim().to_ascii_lowercase();
        if !(2..=3).contains(&v.len()) || !v.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(FieldError::new(
                format!("{field}[{i}]"),
                format!("'{v}' is not an ISO 639 language code (e.g. 'en', 'ur', 'pl')"),
            ));
        }
    }
    dedupe(values);
    Ok(())
}

/// A URL slug: lower-case letters, digits and single hyphens.
pub fn slug(field: &str, value: &str) -> Check {
    let ok = !value.is_empty()
        && value.len() <= 100
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("'{value}' is not a slug: use lower-case letters, digits and single hyphens"),
        ))
    }
}

/// Makes a slug from a name: "Food & Drink" → "food-drink", "Repair Cafés" → "repair-cafes",
/// "Men's Shed" → "mens-shed".
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = fold_accent(c);
        if matches!(c, '\'' | '’') {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    trimmed
        .chars()
        .take(100)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// The unaccented letter for common accented Latin letters.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        'ŵ' | 'Ŵ' => 'w',
        'ŷ' | 'ÿ' | 'Ŷ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_normalise_to_canonical_form() {
        assert_eq!(normalise_postcode("ol11aa").as_deref(), Some("OL1 1AA"));
        assert_eq!(normalise_postcode(" M1 1AE ").as_deref(), Some("M1 1AE"));
        assert_eq!(normalise_postcode("SW1A 1AA").as_deref(), Some("SW1A 1AA"));
        assert_eq!(normalise_postcode("EC1A1BB").as_deref(), Some("EC1A 1BB"));
        assert_eq!(normalise_postcode("W1A 0AX").as_deref(), Some("W1A 0AX"));
        assert_eq!(normalise_postcode("not a postcode"), None);
        assert_eq!(normalise_postcode("OL1"), None);
        assert_eq!(normalise_postcode("1OL 1AA"), None);
        assert_eq!(normalise_postcode("OL1 AAA"), None);
    }

    #[test]
    fn districts_come_from_the_outward_code() {
        assert_eq!(postcode_district("OL1 1AA"), "OL1");
        assert!(is_outward_code("OL1"));
        assert!(is_outward_code("SW1A"));
        assert!(!is_outward_code("1OL"));
    }

    #[test]
    fn opening_hours_use_osm_syntax() {
        let mut ok = Some("Mo-Fr 09:00-17:00; Sa 10:00-12:00; PH off".to_owned());
        assert!(opening_hours("opening_hours", &mut ok).is_ok());
        let mut always = Some("24/7".to_owned());
        assert!(opening_hours("opening_hours", &mut always).is_ok());
        let mut bad = Some("nine to five".to_owned());
        let err = opening_hours("opening_hours", &mut bad).unwrap_err();
        assert_eq!(err.field, "opening_hours");
    }

    #[test]
    fn emails_and_urls() {
        assert!(email("email", &mut Some("a@b.example".into())).is_ok());
        assert!(email("email", &mut Some("not-an-email".into())).is_err());
        assert!(url("website", &mut Some("https://x.example/path".into())).is_ok());
        assert!(url("website", &mut Some("x.example".into())).is_err());
        let mut blank = Some("  ".to_owned());
        assert!(email("email", &mut blank).is_ok());
        assert_eq!(blank, None);
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Food & Drink"), "food-drink");
        assert_eq!(slugify("  Learning and ESOL "), "learning-and-esol");
        assert_eq!(slugify("Repair Cafés"), "repair-cafes");
        assert_eq!(slugify("Men's Shed"), "mens-shed");
        assert!(slug("slug", "food-banks").is_ok());
        assert!(slug("slug", "Food Banks").is_err());
    }
}
