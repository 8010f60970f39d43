//! The report as one self-contained HTML file (`dayopps report --format html`), to save,
//! email or attach to a paper: its styles are inside it and it loads nothing. The site's own
//! /market/ page is made by the theme's `market.html` from the same tables.

use crate::text::long_date;

use super::svg::{bar_chart, bars, escape};
use super::tables::{Cell, Chart, Table, heat_level, heat_max, tables};
use super::{Report, summary};

const STYLE: &str = "
body { max-width: 64rem; margin: 0 auto; padding: 1rem; font: 1rem/1.5 Arial, sans-serif; color: #0b0c0c; background: #fff; }
table { border-collapse: collapse; margin-bottom: 1rem; }
caption { text-align: left; font-weight: bold; }
th, td { padding: .4rem .75rem .4rem 0; text-align: left; vertical-align: top; border-bottom: 1px solid #b1b4b6; }
.num { text-align: right; }
.table-wrap { max-width: 100%; overflow-x: auto; }
.chart { display: block; width: 100%; max-width: 25rem; height: auto; }
.heat--1 { background: #e8f1f8; } .heat--2 { background: #c5dbee; }
.heat--3 { background: #9fc3e3; } .heat--4 { background: #6fa3d4; }
.gap { font-weight: bold; background: repeating-linear-gradient(135deg, #fff 0 .35rem, #f3f2f1 .35rem .7rem); }
.note { color: #505a5f; }
";

pub fn report(r: &Report) -> String {
    let sections: String = tables(r).iter().map(|t| section(t, r)).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – {council}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n<p>{council}, {date}.</p>\n<p>{summary}</p>\n{sections}</main>\n\
         </body>\n</html>\n",
        lang = escape(&r.language),
        title = escape(&r.title),
        council = escape(&r.council),
        date = long_date(r.date),
        summary = escape(&summary(r)),
    )
}

fn section(t: &Table, r: &Report) -> String {
    let chart = match t.chart {
        Chart::Bars { .. } => format!(
            "<figure>{}<figcaption>Chart: {}. The figures are in the table below.</figcaption></figure>\n",
            bar_chart(&format!("chart-{}", t.id), &t.title, &bars(t)),
            escape(&t.title)
        ),
        _ => String::new(),
    };
    let note = t
        .note
        .as_ref()
        .map(|n| format!("<p class=\"note\">{}</p>\n", escape(n)))
        .unwrap_or_default();
    format!(
        "<section id=\"{id}\">\n<h2>{title}</h2>\n<p>{intro}</p>\n{chart}{table}{note}</section>\n",
        id = t.id,
        title = escape(&t.title),
        intro = escape(&t.intro),
        table = table(t, r),
    )
}

/// A data table with row and column headers; wide ones scroll inside a focusable region.
fn table(t: &Table, r: &Report) -> String {
    if t.rows.is_empty() {
        return "<p>None.</p>\n".into();
    }
    let head: String = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| match i > 0 && t.is_numeric_column(i) {
            true => format!("<th scope=\"col\" class=\"num\">{}</th>", escape(c)),
            false => format!("<th scope=\"col\">{}</th>", escape(c)),
        })
        .collect();
    let max = heat_max(t);
    let body: String = t
        .rows
        .iter()
        .map(|row| {
            let cells: String = row
                .iter()
                .enumerate()
                .map(|(i, c)| cell(t, i, c, max, r))
                .collect();
            format!("<tr>{cells}</tr>\n")
        })
        .collect();
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-caption\">\n\
         <table>\n<caption id=\"{id}-caption\">{title}</caption>\n<thead><tr>{head}</tr></thead>\n\
         <tbody>\n{body}</tbody>\n</table>\n</div>\n",
        id = t.id,
        title = escape(&t.title),
    )
}

fn cell(t: &Table, index: usize, c: &Cell, max: usize, r: &Report) -> String {
    let text = match c {
        Cell::Service { slug, title } => format!(
            "<a href=\"{}services/{}/\">{}</a>",
            escape(&r.base_url),
            escape(slug),
            escape(title)
        ),
        other => escape(&other.text()),
    };
    if index == 0 {
        return format!("<th scope=\"row\">{text}</th>");
    }
    let mut classes = Vec::new();
    if c.is_numeric() {
        classes.push("num".to_string());
    }
    if c.is_gap() {
        classes.push("gap".into());
    }
    if let (Chart::Heat { from }, Some(n)) = (t.chart, c.number()) {
        let level = heat_level(n, max);
        if index >= from && level > 0 {
            classes.push(format!("heat--{level}"));
        }
    }
    match classes.is_empty() {
        true => format!("<td>{text}</td>"),
        false => format!("<td class=\"{}\">{text}</td>", classes.join(" ")),
    }
}
