//! Turns what a person typed into a tantivy query.
//!
//! - Words are analysed like the index (stop words, stemming) and must all match (AND) in the
//!   one catch-all text field, so each word is one posting list. That field holds the name three
//!   times and the category names twice, then the description and other text, so a word in the
//!   name weighs most, then one in a category, then the rest (name > categories > description).
//! - A word whose term exists in the index is matched exactly and never fuzzily, so "dental"
//!   can't match "mental". A word that doesn't exist is matched within an edit distance
//!   (a transposition counts as one edit): none under 5 letters, 1 from 5 to 8, 2 from 9.
//! - The last word, while someone is typing, also matches as a prefix ("dent" → "dentist").
//! - Synonym groups from `data/synonyms.txt` ("foodbank" = "food bank") match each other:
//!   the words as typed match like any words, the group's other phrases as phrases. The index
//!   marks each synonym phrase of several words where it occurs (`analyzer::mark`, a term of
//!   the catch-all field), so a phrase is one posting list and no positions are kept.
//! - The words side by side in the name rank higher, and an exact name match first.
//! - A word that matches nothing at all is left out, with a notice, if other words remain.

use std::sync::LazyLock;

use tantivy::{
    Searcher, Term,
    collector::Count,
    query::{BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, Query, TermQuery},
    schema::{Field, IndexRecordOption},
};

use super::analyzer;

/// Synonym groups, written by the project.
const SYNONYMS: &str = include_str!("../../data/synonyms.txt");

/// Each group: its phrases as lists of words.
static GROUPS: LazyLock<Vec<Vec<Vec<String>>>> = LazyLock::new(|| {
    SYNONYMS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            line.split(',')
                .map(analyzer::words)
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|g: &Vec<Vec<String>>| g.len() > 1)
        .collect()
});

/// The synonym phrases of several words, as analysed terms, by their last term: the phrases
/// the index marks (see `analyzer::mark`).
static MARKED: LazyLock<std::collections::HashMap<String, Vec<Vec<String>>>> =
    LazyLock::new(|| {
        let mut by_last: std::collections::HashMap<String, Vec<Vec<String>>> =
            std::collections::HashMap::new();
        for phrase in GROUPS.iter().flatten() {
            let terms = analyzer::terms(&phrase.join(" "));
            if let Some(last) = terms
                .last()
                .filter(|_| (2..=analyzer::MAX_PHRASE).contains(&terms.len()))
            {
                let phrases = by_last.entry(last.clone()).or_default();
                if !phrases.contains(&terms) {
                    phrases.push(terms);
                }
            }
        }
        by_last
    });

/// The marked phrases that end with `term`.
pub fn phrases_ending_with(term: &str) -> Option<&'static [Vec<String>]> {
    MARKED.get(term).map(Vec::as_slice)
}

/// A fingerprint of the synonym groups: an index built with other groups has other marks.
pub fn synonyms_fingerprint() -> u64 {
    SYNONYMS.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The text fields.
#[derive(Clone, Copy)]
pub struct TextFields {
    /// Everything searchable, for matching.
    pub all: Field,
    /// Neighbouring terms of the name as keywords ("food bank"), for ranking a phrase in it.
    pub name_pairs: Field,
    pub name_exact: Field,
}

/// How many times the name goes into the catch-all field, and the category names: repeating
/// a field is its boost, and keeps each query word a single posting list.
pub const NAME_REPEAT: usize = 3;
pub const CATEGORY_REPEAT: usize = 2;

/// A query built from text, and what the person should be told about it.
pub struct TextPlan {
    /// `None` when the text holds no searchable word (empty, or only stop words).
    pub query: Option<Box<dyn Query>>,
    pub notices: Vec<String>,
    /// False when no word could match anything: the search has no results.
    pub can_match: bool,
    /// What to highlight in summaries, as analysed terms: a single term wherever it stands,
    /// a synonym's other phrase only where its terms stand side by side.
    pub highlight: Vec<Vec<String>>,
    /// When every word is a plain indexed term or a synonym whose other phrases are single
    /// words (no typo, prefix or phrase), the query in parts a search can rank without
    /// scoring every match (see `search::top`).
    pub plain: Option<PlainText>,
}

/// Boost of the words side by side in the name, each pair of them.
pub const PAIRS_BOOST: f32 = 3.0;
/// Boost of a name that is exactly the query.
pub const EXACT_BOOST: f32 = 50.0;

/// A text query that is an AND of plain terms in the catch-all field, plus the name-pairs and
/// exact-name clauses that add to the score of the records whose name they match, and any
/// synonym phrases other than those typed, which match records of their own.
///
/// Every match of the text holds all the terms, or one of `others`. A match that holds none of
/// `others` scores the terms' AND, plus [`PAIRS_BOOST`] times each pair's score when its name
/// holds all of `pairs`, plus [`EXACT_BOOST`] times `exact`'s when its name is the query.
pub struct PlainText {
    /// Every term typed: the plain words' and the synonym phrases' as typed.
    pub terms: Vec<Term>,
    /// The plain words' terms (outside synonym phrases).
    pub words: Vec<Term>,
    /// Each synonym phrase typed, with its group's other phrases.
    pub synonyms: Vec<Synonym>,
    /// The query's neighbouring terms as `name_pairs` keywords (none for one word).
    pub pairs: Vec<Term>,
    /// The query as a `name_exact` keyword.
    pub exact: Term,
    /// The synonym groups' other phrases, when the text has a synonym.
    pub others: Option<Box<dyn Query>>,
}

/// A synonym phrase as typed, and its group's other phrases. A record matches the phrase's
/// clause when it holds every typed term or any other phrase, and scores the sum of those it
/// matches.
pub struct Synonym {
    pub typed: Vec<Term>,
    /// One term each: a single word in the catch-all field, or a phrase's mark.
    pub others: Vec<Term>,
}

/// The normalised form of a name, for exact-name matching.
pub fn normalise_name(text: &str) -> String {
    analyzer::words(text).join(" ")
}

/// Allowed edits for a word of `len` characters that is not in the index.
pub fn fuzzy_distance(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn exists(searcher: &Searcher, fields: &TextFields, term: &str) -> bool {
    searcher
        .doc_freq(&Term::from_field_text(fields.all, term))
        .unwrap_or(0)
        > 0
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A synonym phrase (analysed terms in order): its one term in the catch-all field, or the
/// mark the catch-all field holds where its terms stand side by side.
fn phrase_term(fields: &TextFields, terms: &[String]) -> Option<Term> {
    match terms {
        [] => None,
        [one] => Some(Term::from_field_text(fields.all, one)),
        many if many.len() <= analyzer::MAX_PHRASE => {
            Some(Term::from_field_text(fields.all, &analyzer::mark(many)))
        }
        _ => None,
    }
}

/// Builds the query for `text`. `typing` means the last word may be incomplete.
pub fn plan(searcher: &Searcher, fields: &TextFields, text: &str, typing: bool) -> TextPlan {
    let words = analyzer::words(text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut notices = Vec::new();
    let mut highlight = Vec::new();
    let mut plain_terms: Vec<Term> = Vec::new();
    let mut plain_words: Vec<Term> = Vec::new();
    let mut synonyms: Vec<Synonym> = Vec::new();
    // Synonym groups' phrases other than the one typed.
    let mut others: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut plain = true;
    let mut unknown = 0;
    let mut i = 0;
    while i < words.len() {
        // The longest synonym phrase starting here, if any.
        let synonym = GROUPS
            .iter()
            .flat_map(|g| g.iter().map(move |p| (g, p)))
            .filter(|(_, p)| words[i..].starts_with(p))
            .max_by_key(|(_, p)| p.len());
        if let Some((group, phrase)) = synonym {
            // What was typed matches as any words do (all of them, anywhere): they join the
            // plain terms. The group's other phrases match as phrases, each one posting list
            // (its mark), and their records are ranked in full (see `search::top`).
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut synonym = Synonym {
                typed: Vec::new(),
                others: Vec::new(),
            };
            for alt in group {
                let terms = analyzer::terms(&alt.join(" "));
                if alt == phrase {
                    // Highlighted word by word, as they match.
                    highlight.extend(terms.iter().map(|t| vec![t.clone()]));
                    synonym
                        .typed
                        .extend(terms.iter().map(|t| Term::from_field_text(fields.all, t)));
                    let typed: Vec<(Occur, Box<dyn Query>)> = terms
                        .iter()
                        .map(|t| (Occur::Must, term_query(fields.all, t)))
                        .collect();
                    if !typed.is_empty() {
                        alternatives.push((Occur::Should, Box::new(BooleanQuery::new(typed))));
                    }
                } else {
                    // Highlighted as a phrase, where its words stand together.
                    if !terms.is_empty() {
                        highlight.push(terms.clone());
                    }
                    if let Some(term) = phrase_term(fields, &terms) {
                        let q = || -> Box<dyn Query> {
                            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
                        };
                        others.push((Occur::Should, q()));
                        alternatives.push((Occur::Should, q()));
                        synonym.others.push(term);
                    }
                }
            }
            // A phrase of stop words only has no typed clause: rank it in full.
            plain &= !synonym.typed.is_empty();
            plain_terms.extend(synonym.typed.iter().cloned());
            synonyms.push(synonym);
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            i += phrase.len();
            continue;
        }
        let word = &words[i];
        let last = i + 1 == words.len();
        i += 1;
        let Some(term) = analyzer::terms(word).into_iter().next() else {
            continue; // a stop word
        };
        let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let known = exists(searcher, fields, &term);
        if known {
            options.push((Occur::Should, term_query(fields.all, &term)));
            highlight.push(vec![term.clone()]);
            plain_terms.push(Term::from_field_text(fields.all, &term));
            plain_words.push(Term::from_field_text(fields.all, &term));
        } else {
            plain = false;
            let distance = fuzzy_distance(word.chars().count());
            if distance > 0 {
                options.push((
                    Occur::Should,
                    Box::new(FuzzyTermQuery::new(
                        Term::from_field_text(fields.all, &term),
                        distance,
                        true,
                    )),
                ));
            }
        }
        if last && typing && word.chars().count() >= 3 {
            plain = false;
            // Prefix of the raw word: the stem of a half-typed word is not a stem.
            let prefix = analyzer::words(word).concat();
            options.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new_prefix(
                        Term::from_field_text(fields.all, &prefix),
                        0,
                        true,
                    )),
                    0.5,
                )),
            ));
        }
        // A fuzzy or prefix match that reaches no record is as good as none.
        let reaches_any = known
            || options.iter().any(|(_, q)| {
                searcher
                    .search(q.as_ref(), &Count)
                    .map(|n| n > 0)
                    .unwrap_or(true)
            });
        if !reaches_any {
            unknown += 1;
            notices.push(format!(
                "No record mentions '{word}', so it was left out of the search."
            ));
            continue;
        }
        let clause: Box<dyn Query> = match options.len() {
            1 => options.remove(0).1,
            _ => Box::new(BooleanQuery::new(options)),
        };
        clauses.push((Occur::Must, clause));
    }
    if clauses.is_empty() {
        return TextPlan {
            query: (unknown > 0).then(|| Box::new(EmptyQuery) as Box<dyn Query>),
            notices: Vec::new(),
            can_match: unknown == 0,
            highlight,
            plain: None,
        };
    }
    // Ranking only: the words as a phrase in the name, and the exact name.
    let mut extras: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let all_terms = analyzer::terms(text);
    // The words side by side in the name: every neighbouring pair of them is a pair of the
    // name's (for three words or more that is a little looser than the exact phrase).
    let pairs: Vec<Term> = analyzer::pairs(&all_terms)
        .iter()
        .map(|p| Term::from_field_text(fields.name_pairs, p))
        .collect();
    if !pairs.is_empty() {
        let boosted = |t: &Term| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)),
                PAIRS_BOOST,
            ))
        };
        let phrase: Box<dyn Query> = match pairs.as_slice() {
            [one] => boosted(one),
            many => Box::new(BooleanQuery::new(
                many.iter().map(|t| (Occur::Must, boosted(t))).collect(),
            )),
        };
        extras.push((Occur::Should, phrase));
    }
    let exact = Term::from_field_text(fields.name_exact, &normalise_name(text));
    extras.push((
        Occur::Should,
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(exact.clone(), IndexRecordOption::WithFreqs)),
            EXACT_BOOST,
        )),
    ));
    let plain = (plain && unknown == 0 && !plain_terms.is_empty()).then(|| PlainText {
        terms: plain_terms,
        words: plain_words,
        synonyms,
        pairs,
        exact,
        others: (!others.is_empty()).then(|| Box::new(BooleanQuery::new(others)) as Box<dyn Query>),
    });
    clauses.extend(extras);
    TextPlan {
        query: Some(Box::new(BooleanQuery::new(clauses))),
        notices,
        can_match: true,
        highlight,
        plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_budget_grows_with_word_length() {
        assert_eq!(fuzzy_distance(4), 0);
        assert_eq!(fuzzy_distance(5), 1);
        assert_eq!(fuzzy_distance(8), 1);
        assert_eq!(fuzzy_distance(9), 2);
    }

    #[test]
    fn synonym_groups_load() {
        assert!(
            GROUPS
                .iter()
                .any(|g| g.contains(&vec!["foodbank".to_owned()])
                    && g.contains(&vec!["food".to_owned(), "bank".to_owned()]))
        );
    }
}
