//! Highlighted summaries: the words of a result's summary whose analysed form is one the
//! search matched, wrapped in `<mark>`, the rest HTML-escaped. A synonym's other phrase
//! ("food bank" for `foodbank`) is marked only where its words stand side by side, as the
//! index marks it (stop words between them skipped), not wherever one of its words stands.
//!
//! Only the summary a result shows (its first `SUMMARY_CHARS` characters, kept on the card) is
//! analysed, not the whole description: a page of twenty results analyses twenty short texts,
//! and the index keeps no second copy of each description to analyse.
//!
//! Stemming is most of that work, so only words that could match are stemmed. English
//! (Snowball) stemming rewrites endings only and keeps at least a word's first two letters, so a
//! word can become one of the terms only if it starts with the same two letters (lower case,
//! accents folded) as one of them; the others are skipped unstemmed (when there are phrases,
//! they are analysed too, to tell the stop words a phrase may span from the words that end it).

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// The first two characters of `s` (all of it when shorter).
fn opening(s: &str) -> &str {
    s.char_indices().nth(2).map_or(s, |(i, _)| &s[..i])
}

/// What a search highlights: terms wherever they stand, phrases where they stand together.
pub struct Wanted {
    words: HashSet<String>,
    phrases: Vec<Vec<String>>,
    openings: HashSet<String>,
}

impl Wanted {
    /// From analysed term sequences: one term is a word, more are a phrase.
    pub fn new(sequences: Vec<Vec<String>>) -> Wanted {
        let openings = sequences
            .iter()
            .flatten()
            .map(|t| opening(t).to_owned())
            .collect();
        let (words, phrases): (Vec<_>, Vec<_>) = sequences.into_iter().partition(|s| s.len() == 1);
        Wanted {
            words: words.into_iter().flatten().collect(),
            phrases,
            openings,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.openings.is_empty()
    }
}

/// Marks the words of `summary` that `wanted` asks for. `None` when none is.
pub fn mark(analyzer: &mut TextAnalyzer, summary: &str, wanted: &Wanted) -> Option<String> {
    // The summary's words with the terms they could be (`None`: a word that matches nothing);
    // stop words are left out, as the index leaves them out.
    let every = !wanted.phrases.is_empty();
    let mut words: Vec<(usize, usize, Option<String>)> = Vec::new();
    super::analyzer::for_each_word(summary, |from, to, word| {
        let candidate = wanted.openings.contains(opening(word));
        if !candidate && !every {
            return;
        }
        // The word alone through the full analyzer: the same term it has in the summary.
        let mut stream = analyzer.token_stream(&summary[from..to]);
        if stream.advance() {
            words.push((from, to, candidate.then(|| stream.token().text.clone())));
        }
    });
    let mut marked: Vec<bool> = words
        .iter()
        .map(|(_, _, t)| t.as_ref().is_some_and(|t| wanted.words.contains(t)))
        .collect();
    for phrase in &wanted.phrases {
        for (start, run) in words.windows(phrase.len()).enumerate() {
            if run.iter().zip(phrase).all(|(w, t)| w.2.as_ref() == Some(t)) {
                marked[start..start + phrase.len()].fill(true);
            }
        }
    }
    let mut out = String::with_capacity(summary.len() + 32);
    let mut done = 0;
    let mut any = false;
    for ((from, to, _), _) in words.iter().zip(&marked).filter(|(_, m)| **m) {
        if *from < done {
            continue;
        }
        escape_into(&mut out, &summary[done..*from]);
        out.push_str("<mark>");
        escape_into(&mut out, &summary[*from..*to]);
        out.push_str("</mark>");
        done = *to;
        any = true;
    }
    if !any {
        return None;
    }
    escape_into(&mut out, &summary[done..]);
    Some(out)
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> TextAnalyzer {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        super::super::analyzer::register(&index);
        index
            .tokenizers()
            .get(super::super::analyzer::ENGLISH)
            .unwrap()
    }

    fn wanted(sequences: &[&[&str]]) -> Wanted {
        Wanted::new(
            sequences
                .iter()
                .map(|s| s.iter().map(|t| (*t).to_owned()).collect())
                .collect(),
        )
    }

    #[test]
    fn marks_stemmed_matches_and_escapes_the_rest() {
        let terms = wanted(&[&["food"], &["bank"]]);
        let marked = mark(
            &mut analyzer(),
            "Food banks & <b>meals</b> for \"everyone\": banking on Foods",
            &terms,
        )
        .unwrap();
        assert_eq!(
            marked,
            "<mark>Food</mark> <mark>banks</mark> &amp; &lt;b&gt;meals&lt;/b&gt; for &quot;everyone&quot;: <mark>banking</mark> on <mark>Foods</mark>"
        );
        assert_eq!(mark(&mut analyzer(), "Debt advice", &terms), None);
        // Stems that end differently from the word ("communiti"), and words sharing only
        // their first letters with a term.
        let terms = wanted(&[&["communiti"], &["librari"]]);
        assert_eq!(
            mark(
                &mut analyzer(),
                "Our community's LIBRARIES and commune",
                &terms
            )
            .as_deref(),
            Some("Our <mark>community</mark>&#39;s <mark>LIBRARIES</mark> and commune")
        );
    }

    #[test]
    fn accented_words_keep_their_original_spelling() {
        let terms = wanted(&[&["cafe"]]);
        assert_eq!(
            mark(&mut analyzer(), "Le Café — open daily", &terms).as_deref(),
            Some("Le <mark>Café</mark> — open daily")
        );
    }

    #[test]
    fn phrases_are_marked_only_where_their_words_stand_together() {
        // `foodbank` typed: the word, and the other phrase "food bank" where it stands.
        let foodbank = wanted(&[&["foodbank"], &["food", "bank"]]);
        assert_eq!(
            mark(
                &mut analyzer(),
                "Food parcels from the food bank, or the Foodbank's van; a bank of food.",
                &foodbank
            )
            .as_deref(),
            Some(
                "Food parcels from the <mark>food</mark> <mark>bank</mark>, or the \
                 <mark>Foodbank</mark>&#39;s van; a bank of food."
            )
        );
        assert_eq!(
            mark(&mut analyzer(), "Emergency food parcels", &foodbank),
            None
        );
        // Stop words between a phrase's words are skipped, as the index's marks skip them;
        // other words between them are not.
        let play = wanted(&[&["stay", "play"]]);
        assert_eq!(
            mark(&mut analyzer(), "Stay and play; stay, sing and play", &play).as_deref(),
            Some("<mark>Stay</mark> and <mark>play</mark>; stay, sing and play")
        );
    }
}
