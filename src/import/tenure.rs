//! Reading the tenure values councils publish in their Transparency Code registers, which are
//! written by hand: `Freehold\u{a0}`, `Leashold`, `Groundlease`, `Occupied by Local Authority`.
//!
//! A value is compared with the known spellings after lower-casing and dropping everything
//! but letters; one slip (a letter missing, extra, wrong or two swapped: Damerau–Levenshtein 1)
//! is forgiven in a value of six letters or more. Anything else — `Chattel`, a blank — is not
//! guessed: the caller reports it and keeps the value as published.

use crate::domain::vocab::{Tenure, TenureDetail};

/// What a published value was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading<T> {
    /// A known spelling.
    Exact(T),
    /// Read through a slip in the spelling.
    Corrected(T),
    /// Not a value of the vocabulary.
    Unknown,
}

impl<T: Copy> Reading<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Reading::Exact(v) | Reading::Corrected(v) => Some(v),
            Reading::Unknown => None,
        }
    }
}

const TENURES: &[(&str, Tenure)] = &[
    ("freehold", Tenure::Freehold),
    ("freeholdowned", Tenure::Freehold),
    ("owned", Tenure::Freehold),
    ("leasehold", Tenure::Leasehold),
    ("leaseholdin", Tenure::Leasehold),
    ("leased", Tenure::Leasehold),
    ("leasedin", Tenure::Leasehold),
];

const DETAILS: &[(&str, TenureDetail)] = &[
    ("occupiedbylocalauthority", TenureDetail::OccupiedByOwner),
    ("occupiedbythelocalauthority", TenureDetail::OccupiedByOwner),
    ("occupiedbythela", TenureDetail::OccupiedByOwner),
    ("occupiedbyla", TenureDetail::OccupiedByOwner),
    ("occupiedbycouncil", TenureDetail::OccupiedByOwner),
    ("occupiedbythecouncil", TenureDetail::OccupiedByOwner),
    ("occupiedbyowner", TenureDetail::OccupiedByOwner),
    ("occupiedbytheowner", TenureDetail::OccupiedByOwner),
    ("owneroccupied", TenureDetail::OccupiedByOwner),
    ("leasehold", TenureDetail::Leasehold),
    ("leasedout", TenureDetail::Leasehold),
    ("letonalease", TenureDetail::Leasehold),
    ("groundleasehold", TenureDetail::GroundLeasehold),
    ("groundlease", TenureDetail::GroundLeasehold),
    ("subleasehold", TenureDetail::SubLeasehold),
    ("sublease", TenureDetail::SubLeasehold),
    ("underlease", TenureDetail::SubLeasehold),
    ("licence", TenureDetail::Licence),
    ("license", TenureDetail::Licence),
    ("vacant", TenureDetail::Vacant),
];

/// Reads a published tenure (`TenureType`).
pub fn tenure(published: &str) -> Reading<Tenure> {
    read(published, TENURES)
}

/// Reads a published tenure detail (`TenureDetail`, `Tenure Category`).
pub fn detail(published: &str) -> Reading<TenureDetail> {
    read(published, DETAILS)
}

/// The words the Transparency Code export writes for a tenure detail with no published value:
/// the LGA guidance's terms, which [`detail`] reads back to the same value.
pub fn detail_text(detail: TenureDetail) -> &'static str {
    match detail {
        TenureDetail::OccupiedByOwner => "Occupied by owner",
        TenureDetail::Leasehold => "Leasehold",
        TenureDetail::GroundLeasehold => "Ground leasehold",
        TenureDetail::SubLeasehold => "Sub-leasehold",
        TenureDetail::Licence => "Licence",
        TenureDetail::Vacant => "Vacant",
    }
}

fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

fn read<T: Copy>(published: &str, known: &[(&str, T)]) -> Reading<T> {
    let key = letters(published);
    if key.is_empty() {
        return Reading::Unknown;
    }
    if let Some((_, v)) = known.iter().find(|(k, _)| *k == key) {
        return Reading::Exact(*v);
    }
    if key.chars().count() < 6 {
        return Reading::Unknown;
    }
    let close: Vec<T> = known
        .iter()
        .filter(|(k, _)| strsim::damerau_levenshtein(k, &key) == 1)
        .map(|(_, v)| *v)
        .collect();
    match close.first() {
        Some(v) => Reading::Corrected(*v),
        None => Reading::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_spellings_and_typos_map_and_the_rest_is_not_guessed() {
        assert_eq!(tenure("Freehold"), Reading::Exact(Tenure::Freehold));
        assert_eq!(tenure("Freehold\u{a0}"), Reading::Exact(Tenure::Freehold));
        assert_eq!(tenure(" LEASEHOLD "), Reading::Exact(Tenure::Leasehold));
        assert_eq!(tenure("Leashold"), Reading::Corrected(Tenure::Leasehold));
        assert_eq!(tenure("Chattel"), Reading::Unknown);
        assert_eq!(tenure(""), Reading::Unknown);
        assert_eq!(
            detail("Occupied by Local Authority"),
            Reading::Exact(TenureDetail::OccupiedByOwner)
        );
        assert_eq!(
            detail("Leashold"),
            Reading::Corrected(TenureDetail::Leasehold)
        );
        assert_eq!(
            detail("Groundlease"),
            Reading::Exact(TenureDetail::GroundLeasehold)
        );
        assert_eq!(
            detail("Sub-leasehold"),
            Reading::Exact(TenureDetail::SubLeasehold)
        );
        assert_eq!(detail("Licence"), Reading::Exact(TenureDetail::Licence));
        assert_eq!(detail("Lisence"), Reading::Corrected(TenureDetail::Licence));
        assert_eq!(detail("Vacnat"), Reading::Corrected(TenureDetail::Vacant));
        assert_eq!(detail("Let"), Reading::Unknown);
        assert_eq!(detail("Chattel"), Reading::Unknown);
    }

    #[test]
    fn the_exports_words_read_back_as_the_same_detail() {
        for d in TenureDetail::ALL {
            assert_eq!(detail(detail_text(*d)), Reading::Exact(*d));
        }
    }
}
