//! Highlighted summaries: the words of a result's summary whose analysed form is one the
//! search matched, wrapped in `<mark>`, the rest HTML-escaped.
//!
//! Only the summary a result shows (its first `SUMMARY_CHARS` characters, kept on the card) is
//! analysed, not the whole description: a page of twenty results analyses twenty short texts,
//! and the index keeps no second copy of each description to analyse.

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Marks the words of `summary` whose terms are in `terms`. `None` when none is.
pub fn mark(analyzer: &mut TextAnalyzer, summary: &str, terms: &HashSet<String>) -> Option<String> {
    let mut out = String::with_capacity(summary.len() + 32);
    let mut done = 0;
    let mut any = false;
    let mut stream = analyzer.token_stream(summary);
    while stream.advance() {
        let t = stream.token();
        if !terms.contains(&t.text) || t.offset_from < done {
            continue;
        }
        escape_into(&mut out, &summary[done..t.offset_from]);
        out.push_str("<mark>");
        escape_into(&mut out, &summary[t.offset_from..t.offset_to]);
        out.push_str("</mark>");
        done = t.offset_to;
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
