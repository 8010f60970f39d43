//! The /market/ page: the report for commissioners, drawn by the theme's `market.html`, and
//! a CSV file beside it for every table.

use serde::Serialize;
use tera::Context;

use crate::model::Site;
use crate::report::svg::{bar_chart, bars};
use crate::report::tables::{Cell, Chart, Table, heat_level, heat_max, tables};
use crate::report::{self, Report};
use crate::text::long_date;
use crate::write::Output;

use crate::model::urls::Urls;

pub const TEMPLATE: &str = "market.html";
pub const REL: &str = "market/";
pub const TITLE: &str = "The market at a glance";

#[derive(Serialize)]
struct MarketView {
    date: String,
    date_text: String,
    summary: String,
    tables: Vec<TableView>,
}

#[derive(Serialize)]
struct TableView {
    id: &'static str,
    title: String,
    intro: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    csv_url: String,
    /// Empty when the table has no bar chart.
    chart_html: String,
    heat: bool,
    columns: Vec<ColumnView>,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct ColumnView {
    label: String,
    numeric: bool,
}

#[derive(Serialize)]
struct RowView {
    header: CellView,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    text: String,
    /// A link for cells naming a service; empty otherwise.
    url: String,
    numeric: bool,
    gap: bool,
    /// Heat-map shade 1 to 4; 0 for no shade.
    level: u8,
}

/// Adds the page's `market` to `context` and its CSV files to `out`.
pub fn fill(context: &mut Context, site: &Site, urls: &Urls, out: &mut Output) {
    let r = Report::new(site);
    let tables = tables(&r);
    for t in &tables {
        out.add(
            &format!("{REL}{}", t.csv_name()),
            report::csv::table(t).into_bytes(),
        );
    }
    let view = MarketView {
        date: r.date.to_string(),
        date_text: long_date(r.date),
        summary: report::summary(&r),
        tables: tables.iter().map(|t| table_view(t, urls)).collect(),
    };
    context.insert("market", &view);
    context.insert("description", &view.summary);
}

fn table_view(t: &Table, urls: &Urls) -> TableView {
    let chart_html = match t.chart {
        Chart::Bars { .. } => bar_chart(&format!("chart-{}", t.id), &t.title, &bars(t)),
        _ => String::new(),
    };
    let max = heat_max(t);
    let heat_from = match t.chart {
        Chart::Heat { from } => from,
        _ => usize::MAX,
    };
    let cell = |i: usize, c: &Cell| CellView {
        text: c.text(),
        url: match c {
            Cell::Service { slug, .. } => urls.service(slug),
            _ => String::new(),
        },
        numeric: c.is_numeric(),
        gap: c.is_gap(),
        level: if i >= heat_from {
            c.number().map_or(0, |n| heat_level(n, max))
        } else {
            0
        },
    };
    TableView {
        id: t.id,
        title: t.title.clone(),
        intro: t.intro.clone(),
        note: t.note.clone(),
        csv_url: urls.url(&format!("{REL}{}", t.csv_name())),
        chart_html,
        heat: heat_from != usize::MAX,
        columns: t
            .columns
            .iter()
            .enumerate()
            .map(|(i, label)| ColumnView {
                label: label.clone(),
                numeric: i > 0 && t.is_numeric_column(i),
            })
            .collect(),
        rows: t
            .rows
            .iter()
            .filter_map(|row| {
                let (first, rest) = row.split_first()?;
                Some(RowView {
                    header: cell(0, first),
                    cells: rest
                        .iter()
                        .enumerate()
                        .map(|(i, c)| cell(i + 1, c))
                        .collect(),
                })
            })
            .collect(),
    }
}
