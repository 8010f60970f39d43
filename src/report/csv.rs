//! Tables as CSV (RFC 4180, with `\n` line ends): one file a table on the site, and all of
//! them one after another for `dayopps report --format csv`.

use super::tables::{Cell, Table};

/// One table: a header line, then a line a row. Exactly the file written to the site.
pub fn table(t: &Table) -> String {
    let mut out = line(t.columns.iter().map(String::as_str));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        out.push_str(&line(cells.iter().map(String::as_str)));
    }
    out
}

/// Every table, each introduced by a line holding its file name and title and followed by
/// an empty line, so a script can split them and a spreadsheet shows them one under another.
pub fn all(tables: &[Table]) -> String {
    tables
        .iter()
        .map(|t| {
            let title = format!("{}: {}", t.csv_name(), t.title);
            format!("{}{}\n", line([title.as_str()]), table(t))
        })
        .collect()
}

fn line<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let fields: Vec<String> = fields.into_iter().map(quoted).collect();
    fields.join(",") + "\n"
}

/// Text from listings could start with `=` and run as a formula in a spreadsheet: a leading
/// apostrophe keeps it text, as OWASP advises for CSV exports.
fn cell(c: &Cell) -> String {
    let text = c.csv();
    let is_text = matches!(c, Cell::Text(_) | Cell::List(_) | Cell::Service { .. });
    if is_text && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tables::Chart;

    fn sample() -> Table {
        Table {
            id: "sample",
            title: "A sample".into(),
            intro: String::new(),
            note: None,
            columns: vec!["Name".into(), "Services".into()],
            rows: vec![
                vec![Cell::Text("Says \"hi\", twice".into()), Cell::Gap],
                vec![Cell::Text("=SUM(A1)".into()), Cell::Count(3)],
            ],
            chart: Chart::None,
        }
    }

    #[test]
    fn quotes_and_defuses_formulas() {
        assert_eq!(
            table(&sample()),
            "Name,Services\n\"Says \"\"hi\"\", twice\",0\n'=SUM(A1),3\n"
        );
    }

    #[test]
    fn all_tables_are_titled_and_separated() {
        let text = all(&[sample(), sample()]);
        assert!(text.starts_with("sample.csv: A sample\nName,Services\n"));
        assert_eq!(text.matches("\n\n").count(), 2);
    }
}
