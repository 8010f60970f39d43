//! The report as Markdown: readable in a terminal, and pasted as is into an issue, a wiki or
//! a commissioning paper.

use crate::text::long_date;

use super::Report;
use super::tables::{Table, tables};

pub fn report(r: &Report) -> String {
    let mut out = format!(
        "# {}\n\n{}, {}.\n\n{}\n",
        r.title,
        r.council,
        long_date(r.date),
        super::summary(r)
    );
    for t in tables(r) {
        out.push('\n');
        out.push_str(&table(&t));
    }
    out
}

/// A section: heading, introduction, the table (GitHub style), and any note.
pub fn table(t: &Table) -> String {
    let mut out = format!("## {}\n\n{}\n\n", t.title, t.intro);
    if t.rows.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(&row(t.columns.iter().cloned()));
        out.push_str(&row(alignments(t)));
        for cells in &t.rows {
            out.push_str(&row(cells.iter().map(|c| c.text())));
        }
    }
    if let Some(note) = &t.note {
        out.push_str(&format!("\n{note}\n"));
    }
    out
}

/// Numbers are right-aligned, so the line under the headings says which columns hold them.
fn alignments(t: &Table) -> impl Iterator<Item = String> + '_ {
    (0..t.columns.len()).map(|i| if t.is_numeric_column(i) { "--:" } else { "---" }.to_string())
}

fn row(cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells
        .map(|c| c.replace('|', "\\|").replace(['\n', '\r'], " "))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}
