//! Reading the CSV files councils publish: UTF-8 or Windows-1252 (detected: valid UTF-8 is
//! taken as UTF-8, anything else is decoded as Windows-1252, of which Latin-1 is a subset),
//! a byte-order mark, duplicate header names and line breaks inside quoted cells.
//!
//! A column is named by its header, by `Header#2` for the second column with that header, or
//! by `#5` for the fifth column.

use std::collections::HashMap;

use anyhow::{Context, bail};

/// Windows-1252's characters for bytes 0x80–0x9F; the rest of the high half is Latin-1.
/// Bytes the code page leaves undefined map to the C1 control of the same number.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{8D}', '\u{017D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{9D}', '\u{017E}', '\u{0178}',
];

/// The text encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

/// Decodes bytes as UTF-8 when they are valid UTF-8, otherwise as Windows-1252. A UTF-8
/// byte-order mark is dropped.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => (
            bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                    _ => char::from(b),
                })
                .collect(),
            Encoding::Windows1252,
        ),
    }
}

/// One data row: its 1-based number among the data rows, the file line it starts on, and
/// its cells.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub line: u64,
    pub cells: Vec<String>,
}

/// A whole CSV file, decoded.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    pub encoding: Encoding,
    /// `name#n` (1-based occurrence) and `#n` (1-based position) → column index.
    index: HashMap<String, usize>,
}

impl Table {
    /// Parses CSV text with a header row. Rows may have fewer or more cells than the header.
    pub fn parse(bytes: &[u8]) -> anyhow::Result<Table> {
        let (text, encoding) = decode(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .context("reading the header row")?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        if headers.iter().all(String::is_empty) {
            bail!("the file has no header row");
        }
        let mut index = HashMap::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let lower = h.to_lowercase();
            let n = seen.entry(lower.clone()).or_insert(0);
            *n += 1;
            index.insert(format!("{lower}#{n}"), i);
            if *n == 1 {
                index.insert(lower, i);
            }
            index.insert(format!("#{}", i + 1), i);
        }
        // The file line a record starts on, from its byte offset: the reader's own line count
        // is one short after a CRLF line end.
        let bytes = text.as_bytes();
        let newlines: Vec<usize> = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let line_at = |offset: u64| -> u64 {
            let mut at = usize::try_from(offset).unwrap_or(usize::MAX);
            while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
                at += 1;
            }
            newlines.partition_point(|&n| n < at) as u64 + 1
        };
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.with_context(|| format!("reading data row {}", i + 1))?;
            let line = record.position().map_or(0, |p| line_at(p.byte()));
            rows.push(Row {
                number: i + 1,
                line,
                cells: record.iter().map(str::to_owned).collect(),
            });
        }
        Ok(Table {
            headers,
            rows,
            encoding,
            index,
        })
    }

    /// Every name a column can be addressed by (lower case), with its index.
    pub fn names(&self) -> impl Iterator<Item = (&str, usize)> {
        self.index.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// The column a name addresses (case-insensitive): `Header`, `Header#2` or `#5`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.index.get(&name.trim().to_lowercase()).copied()
    }

    /// A cell by column name; `None` when the column is unknown or the row is short.
    pub fn cell<'a>(&self, row: &'a Row, name: &str) -> Option<&'a str> {
        let i = self.column(name)?;
        row.cells.get(i).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_when_the_bytes_are_not_utf8() {
        let (text, enc) = decode(b"Caf\xe9 \x93quoted\x94 \xa0\x80");
        assert_eq!(enc, Encoding::Windows1252);
        assert_eq!(text, "Café \u{201C}quoted\u{201D} \u{a0}€");
        let (text, enc) = decode("Café".as_bytes());
        assert_eq!((text.as_str(), enc), ("Café", Encoding::Utf8));
        assert_eq!(decode(b"\xEF\xBB\xBFname").0, "name");
    }

    #[test]
    fn duplicate_headers_and_quoted_line_breaks() {
        let csv = b"Org,Label,Org,Label,Post Code\nA,1,B,2,\"GL50\n1DY\"\nC,3,D,4,GL52 5NA\n";
        let t = Table::parse(csv).unwrap();
        assert_eq!(t.rows.len(), 2);
        let r = &t.rows[0];
        assert_eq!(t.cell(r, "Org"), Some("A"));
        assert_eq!(t.cell(r, "org#2"), Some("B"));
        assert_eq!(t.cell(r, "Label#2"), Some("2"));
        assert_eq!(t.cell(r, "#3"), Some("B"));
        assert_eq!(t.cell(r, "post code"), Some("GL50\n1DY"));
        assert_eq!(t.cell(r, "Missing"), None);
        assert_eq!((t.rows[1].number, t.rows[1].line), (2, 4));
        let crlf = Table::parse(b"a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6\r\n").unwrap();
        let lines: Vec<u64> = crlf.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 5]);
    }
}
