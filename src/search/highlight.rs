//! Highlighted summaries: the words of a result's summary whose analysed form is one the
//! search matched, wrapped in `<mark>`, the rest HTML-escaped.
//!
//! Only the summary a result shows (its first `SUMMARY_CHARS` characters, kept on the card) is
//! analysed, not the whole description: a page of twenty results analyses twenty short texts,
//! and the index keeps no second copy of each description to analyse.
//!
//! Stemming is most of that work, so only words that could match are stemmed. English
//! (Snowball) stemming rewrites endings only and keeps at least a word's first two letters, so a
//! word can become one of the terms only if it starts with the same two letters (lower case,
//! accents folded) as one of them; the others are skipped unstemmed.

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// The first two characters of `s` (all of it when shorter).
fn opening(s: &str) -> &str {
    s.char_indices().nth(2).map_or(s, |(i, _)| &s[..i])
}

/// Marks the words of `summary` whose terms are in `terms`. `None` when none is.
pub fn mark(analyzer: &mut TextAnalyzer, summary: &str, terms: &HashSet<String>) -> Option<String> {
    let openings: HashSet<&str> = terms.iter().map(|t| opening(t)).collect();
    let mut out = String::with_capacity(summary.len() + 32);
    let mut done = 0;
    let mut any = false;
    super::analyzer::for_each_word(summary, |from, to, word| {
        if from < done || !openings.contains(opening(word)) {
            return;
        }
        // The word alone through the full analyzer: the same term it has in the summary.
        let mut stream = analyzer.token_stream(&summary[from..to]);
        if !(stream.advance() && terms.contains(&stream.token().text)) {
            return;
        }
        escape_into(&mut out, &summary[done..from]);
        out.push_str("<mark>");
        escape_into(&mut out, &summary[from..to]);
        out.push_str("</mark>");
        done = to;
        any = true;
    });
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

    #[test]
    fn marks_stemmed_matches_and_escapes_the_rest() {
        let terms: HashSet<String> = ["food", "bank"].iter().map(|s| (*s).to_owned()).collect();
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
        let terms: HashSet<String> = ["communiti", "librari"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
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
        let terms: HashSet<String> = ["cafe"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            mark(&mut analyzer(), "Le Café — open daily", &terms).as_deref(),
            Some("Le <mark>Café</mark> — open daily")
        );
    }
}
