//! How text becomes index terms: words, lower case, accents folded, English stop words
//! removed, English stemming. Queries go through the same analyzer.

use std::{cell::RefCell, collections::HashMap};

use tantivy::{
    Index,
    tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
        Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    },
};

/// The analyzer's registered name: queries and highlighting.
pub const ENGLISH: &str = "junction_en";
/// The analyzer the catch-all field is indexed with: [`ENGLISH`], and after each term the
/// marks of the synonym phrases of several words that end there (see [`PhraseMarks`]). A mark
/// is a term like any other (a few more in a long text), so a phrase is one posting list that
/// tantivy can rank block by block.
pub const ENGLISH_INDEX: &str = "junction_en_index";

fn english() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder.filter(stop).filter(RememberedStems).build(),
        None => builder.filter(RememberedStems).build(),
    }
}

fn english_index() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder
            .filter(stop)
            .filter(RememberedStems)
            .filter(PhraseMarks)
            .build(),
        None => builder.filter(RememberedStems).filter(PhraseMarks).build(),
    }
}

/// The term that marks `terms` (a synonym phrase's analysed terms) where they stand side by
/// side: they joined by `_`, which no word holds (the tokenizer splits words there).
pub fn mark(terms: &[String]) -> String {
    terms.join("_")
}

/// Most words in a phrase that is marked.
pub const MAX_PHRASE: usize = 8;

/// Gives each term, then, for each synonym phrase of several words (`data/synonyms.txt`, as
/// analysed terms, stop words gone) whose terms end there side by side, its [`mark`]: the
/// phrase is then found as one posting list instead of by reading positions.
#[derive(Clone, Copy)]
struct PhraseMarks;

impl TokenFilter for PhraseMarks {
    type Tokenizer<T: Tokenizer> = PhraseMarksFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PhraseMarksFilter<T> {
        PhraseMarksFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
struct PhraseMarksFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for PhraseMarksFilter<T> {
    type TokenStream<'a> = PhraseMarksStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PhraseMarksStream {
            tail: self.inner.token_stream(text),
            recent: Default::default(),
            seen: 0,
            marks: Vec::new(),
            mark: None,
        }
    }
}

struct PhraseMarksStream<T> {
    tail: T,
    /// The last terms, a ring: term `n` is at `n % MAX_PHRASE`.
    recent: [String; MAX_PHRASE],
    seen: usize,
    /// Marks found at the current term and not given yet.
    marks: Vec<String>,
    /// The mark being given; `None` while the term itself is.
    mark: Option<Token>,
}

impl<T> PhraseMarksStream<T> {
    /// Whether the last terms are `phrase`.
    fn ends_with(&self, phrase: &[String]) -> bool {
        phrase.len() <= self.seen.min(MAX_PHRASE)
            && phrase
                .iter()
                .rev()
                .enumerate()
                .all(|(back, term)| self.recent[(self.seen - 1 - back) % MAX_PHRASE] == *term)
    }
}

impl<T: TokenStream> TokenStream for PhraseMarksStream<T> {
    fn advance(&mut self) -> bool {
        if let Some(text) = self.marks.pop() {
            let last = self.tail.token();
            self.mark = Some(Token {
                text,
                offset_from: last.offset_from,
                offset_to: last.offset_to,
                position: last.position,
                position_length: 1,
            });
            return true;
        }
        self.mark = None;
        if !self.tail.advance() {
            return false;
        }
        let text = &self.tail.token().text;
        let slot = &mut self.recent[self.seen % MAX_PHRASE];
        slot.clear();
        slot.push_str(text);
        self.seen += 1;
        if let Some(phrases) = super::text::phrases_ending_with(text) {
            for phrase in phrases {
                if self.ends_with(phrase) {
                    self.marks.push(mark(phrase));
                }
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.mark.as_ref().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.mark {
            Some(mark) => mark,
            None => self.tail.token_mut(),
        }
    }
}

/// Stems remembered per thread before the memory is cleared and started again.
const MAX_STEMS: usize = 200_000;

thread_local! {
    static STEMS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static STEMMER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// English (Snowball) stemming, each word's stem remembered by the thread that stemmed it.
/// A register repeats a small vocabulary (and each document repeats its name and categories
/// to weight them), and stemming was a sixth of building the index; looking a stem up costs a
/// fraction of working it out again.
#[derive(Clone, Copy)]
struct RememberedStems;

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
struct RememberedStemsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

struct RememberedStemsStream<T> {
    tail: T,
}

/// Stems one word with tantivy's Snowball stemmer.
fn stem(word: &str) -> String {
    STEMMER.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(word);
        if stream.advance() {
            stream.token().text.clone()
        } else {
            word.to_owned()
        }
    })
}

impl<T: TokenStream> TokenStream for RememberedStemsStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        STEMS.with_borrow_mut(|stems| {
            if let Some(s) = stems.get(token.text.as_str()) {
                token.text.clone_from(s);
                return;
            }
            let stemmed = stem(&token.text);
            if stems.len() >= MAX_STEMS {
                stems.clear();
            }
            let word = std::mem::replace(&mut token.text, stemmed.clone());
            stems.insert(word, stemmed);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Registers Junction's analyzers on an index (needed every time an index is opened).
pub fn register(index: &Index) {
    index.tokenizers().register(ENGLISH, english());
    index.tokenizers().register(ENGLISH_INDEX, english_index());
}

fn plain_words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
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
/// accent-folded but not stemmed (stop words and over-long words kept), with its byte offsets
/// in `text`.
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
    let mut out = Vec::new();
    for_each_word(text, |_, _, word| out.push(word.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonym_phrases_are_marked_where_their_words_stand_side_by_side() {
        let mut analyzer = english_index();
        let mut stream =
            analyzer.token_stream("Stay and play for young people; people young at heart");
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        let expected = [
            "stay",
            "play",
            "stay_play",
            "young",
            "peopl",
            "young_peopl",
            "peopl",
            "young",
            "heart",
        ];
        assert_eq!(out, expected);
        // A query is analysed without marks.
        assert_eq!(terms("young people"), ["young", "peopl"]);
    }

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
                // Remembered stems are the stemmer's own.
                if word.len() <= 40 {
                    let words: Vec<String> = terms(word);
                    assert!(words.is_empty() || words == [stem(word)], "{word}");
                }
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
