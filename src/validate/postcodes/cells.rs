//! The rows and cells of a CSV file, each cell with where it is in the file, so that a
//! problem in a cell can be shown at its line and column. Quoted cells (RFC 4180: `""` for
//! a quote inside, commas and line breaks allowed) are read as CSV writers write them.

use std::borrow::Cow;
use std::ops::Range;

/// One cell: its text, unquoted, and the bytes it takes in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub span: Range<usize>,
}

/// One row: its cells, and the bytes of the whole line.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub cells: Vec<Cell<'a>>,
    pub span: Range<usize>,
}

/// The rows of `text`, one at a time (a table can be 100,000 rows of 50 columns); blank
/// lines are skipped.
pub fn rows(text: &str) -> Rows<'_> {
    Rows { text, at: 0 }
}

pub struct Rows<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Rows<'a> {
    type Item = Row<'a>;

    fn next(&mut self) -> Option<Row<'a>> {
        let bytes = self.text.as_bytes();
        // Blank lines are not rows.
        while self.at < bytes.len() && matches!(bytes[self.at], b'\n' | b'\r') {
            self.at += 1;
        }
        if self.at >= bytes.len() {
            return None;
        }
        let start = self.at;
        let mut cells = Vec::new();
        loop {
            let (cell, end) = cell(self.text, self.at);
            cells.push(cell);
            self.at = end;
            match bytes.get(end) {
                Some(b',') => self.at += 1,
                _ => break,
            }
        }
        let span = start..self.at;
        Some(Row { cells, span })
    }
}

/// The cell starting at `at`, and where it ends (at a comma, a line break or the end).
fn cell(text: &str, at: usize) -> (Cell<'_>, usize) {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'"') {
        let end = text[at..]
            .find([',', '\n', '\r'])
            .map_or(text.len(), |i| at + i);
        let cell = Cell {
            text: Cow::Borrowed(&text[at..end]),
            span: at..end,
        };
        return (cell, end);
    }
    let mut unquoted = String::new();
    let mut i = at + 1;
    loop {
        let Some(q) = text[i..].find('"') else {
            // An unclosed quote takes the rest of the file, as CSV readers do.
            unquoted.push_str(&text[i..]);
            i = text.len();
            break;
        };
        unquoted.push_str(&text[i..i + q]);
        i += q + 1;
        if bytes.get(i) == Some(&b'"') {
            unquoted.push('"');
            i += 1;
        } else {
            break;
        }
    }
    // Anything between the closing quote and the next comma belongs to the cell too.
    let end = text[i..]
        .find([',', '\n', '\r'])
        .map_or(text.len(), |e| i + e);
    unquoted.push_str(&text[i..end]);
    let cell = Cell {
        text: Cow::Owned(unquoted),
        span: at..end,
    };
    (cell, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<Vec<String>> {
        rows(text)
            .map(|r| r.cells.iter().map(|c| c.text.to_string()).collect())
            .collect()
    }

    #[test]
    fn plain_rows_split_at_commas_and_line_breaks() {
        assert_eq!(
            texts("a,b\r\n\n1,,3\n"),
            vec![vec!["a", "b"], vec!["1", "", "3"]]
        );
    }

    #[test]
    fn quoted_cells_hold_commas_quotes_and_line_breaks() {
        assert_eq!(
            texts("\"E10, 6QX\",\"say \"\"hi\"\"\",\"two\nlines\"\nx"),
            vec![vec!["E10, 6QX", "say \"hi\"", "two\nlines"], vec!["x"]]
        );
        assert_eq!(texts("\"open"), vec![vec!["open"]]);
    }

    #[test]
    fn cells_know_where_they_are() {
        let row = rows("ab,\"c\"\n").next().unwrap();
        assert_eq!(row.cells[0].span, 0..2);
        assert_eq!(row.cells[1].span, 3..6);
        assert_eq!(row.span, 0..6);
    }
}
