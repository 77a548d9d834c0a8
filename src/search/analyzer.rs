//! How text becomes index terms: words, lower case, accents folded, English stop words
//! removed, English stemming. Queries go through the same analyzer.

use tantivy::{
    Index,
    tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        StopWordFilter, TextAnalyzer, TokenStream,
    },
};

/// The analyzer's registered name.
pub const ENGLISH: &str = "junction_en";

fn english() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder
            .filter(stop)
            .filter(Stemmer::new(Language::English))
            .build(),
        None => builder.filter(Stemmer::new(Language::English)).build(),
    }
}

/// Registers Junction's analyzers on an index (needed every time an index is opened).
pub fn register(index: &Index) {
    index.tokenizers().register(ENGLISH, english());
}

fn plain_words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

thread_local! {
    /// Building the analyzer builds its stop-word set: once per thread, not per call.
    static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(english());
    static WORDS: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(plain_words());
}

/// Calls `f(from, to, word)` for each word of `text` as the index splits it, lower-cased and
/// accent-folded but not stemmed, with its byte offsets in `text`.
pub fn for_each_word(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    WORDS.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            f(t.offset_from, t.offset_to, &t.text);
        }
    });
}

/// The terms `text` becomes in the index.
pub fn terms(text: &str) -> Vec<String> {
    ANALYZER.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    })
}

/// Each two neighbouring terms, as one `name_pairs` keyword ("food bank"): a name holds a
/// phrase when it holds all of the phrase's pairs, found without reading positions.
pub fn pairs(terms: &[String]) -> Vec<String> {
    terms
        .windows(2)
        .map(|w| format!("{} {}", w[0], w[1]))
        .collect()
}

/// Lower-cased, accent-folded words of `text`, stop words kept: how a person typed it.
pub fn words(text: &str) -> Vec<String> {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_drops_stop_words() {
        assert_eq!(terms("The Food Banks"), vec!["food", "bank"]);
        assert_eq!(terms("parcels"), vec!["parcel"]);
        assert_eq!(terms("Cafés"), vec!["cafe"]);
        assert_eq!(words("Men's  Shed"), vec!["men", "s", "shed"]);
        assert_eq!(
            pairs(&terms("The Oldham Food Bank")),
            vec!["oldham food", "food bank"]
        );
        assert!(pairs(&terms("Library")).is_empty());
    }

    /// Highlighting stems only words that start like a term (see `highlight`): that holds for
    /// every word of the demo register and the taxonomy.
    #[test]
    fn stemming_keeps_the_first_two_letters() -> std::io::Result<()> {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut checked = 0;
        for file in ["data/demo/register.json", "data/taxonomy.json"] {
            let text = std::fs::read_to_string(format!("{root}/{file}"))?;
            for_each_word(&text, |_, _, word| {
                for term in terms(word) {
                    let opening: String = word.chars().take(2).collect();
                    assert!(term.starts_with(&opening), "{word} → {term}");
                    checked += 1;
                }
            });
        }
        assert!(checked > 5000, "{checked}");
        Ok(())
    }
}
