//! Bar charts drawn as inline SVG when the site is built: no JavaScript, nothing to load.
//!
//! Each bar has its label above it and its number (or "Gap") after it, so the chart reads
//! without colour, and the SVG is an image named by its `<title>` and described by a
//! `<desc>` listing every figure. The same figures are always in a table next to it.

use super::tables::{Chart, Table};

/// Narrow, so that text stays readable when a phone scales the chart down.
const WIDTH: usize = 400;
/// Labels longer than this are cut short at a word with "…"; the table and `<desc>` have them whole.
const LABEL_CHARS: usize = 46;
/// Room after the longest bar for its number.
const NUMBER_ROOM: usize = 56;
const ROW: usize = 52;
const BAR: usize = 18;

/// One bar: its label, its length, and the words shown for its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub text: String,
}

/// The bars a table's chart draws, or none when it has no bar chart.
pub fn bars(t: &Table) -> Vec<Bar> {
    let Chart::Bars { column } = t.chart else {
        return Vec::new();
    };
    t.rows
        .iter()
        .filter_map(|row| {
            let cell = row.get(column)?;
            Some(Bar {
                label: row.first()?.text(),
                value: cell.number()?,
                text: cell.text(),
            })
        })
        .collect()
}

/// A horizontal bar chart; `id` must be unique on the page (it names the title and desc).
pub fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    let height = bars.len() * ROW + 4;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let desc: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.text))
        .collect();
    let mut svg = format!(
        r##"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-size="16" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}.</desc>"##,
        escape(title),
        escape(&desc.join("; "))
    );
    for (i, bar) in bars.iter().enumerate() {
        svg.push_str(&row(i * ROW, bar, max));
    }
    svg.push_str("</svg>");
    svg
}

/// A label line, then the bar with its number just after it.
fn row(top: usize, bar: &Bar, max: usize) -> String {
    let length = if bar.value == 0 {
        0
    } else {
        (bar.value * (WIDTH - NUMBER_ROOM) / max).max(2)
    };
    let bar_top = top + 26;
    let rect = if length > 0 {
        format!(
            r##"<rect class="chart__bar" x="0" y="{bar_top}" width="{length}" height="{BAR}" fill="#1d70b8"/>"##
        )
    } else {
        String::new()
    };
    format!(
        r##"<text x="0" y="{}" fill="currentColor">{}</text>{rect}<text x="{}" y="{}" fill="currentColor" font-weight="bold">{}</text>"##,
        top + 18,
        escape(&short(&bar.label)),
        length + if length > 0 { 8 } else { 0 },
        bar_top + 15,
        escape(&bar.text)
    )
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    // Cut at a word break when there is one, so no word is left half-written.
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", words.trim_end())
}

/// XML text and attribute escaping.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_numbers_and_gaps_in_words() {
        let bars = [
            Bar {
                label: "Step-free <access>".into(),
                value: 4,
                text: "4".into(),
            },
            Bar {
                label: "Changing Places".into(),
                value: 0,
                text: "Gap".into(),
            },
        ];
        let svg = bar_chart("c", "Access & more", &bars);
        assert!(svg.contains(r#"role="img" aria-labelledby="c-title c-desc""#));
        assert!(svg.contains("<title id=\"c-title\">Access &amp; more</title>"));
        assert!(svg.contains("Step-free &lt;access&gt;: 4; Changing Places: Gap."));
        assert_eq!(svg.matches("<rect").count(), 1, "a gap has no bar");
        assert!(svg.contains(">Gap</text>"));
    }

    #[test]
    fn long_labels_are_cut_short_in_the_picture_only() {
        let label = "A very long priority label that goes on and on and on";
        assert_eq!(short(label), "A very long priority label that goes on and…");
        let svg = bar_chart(
            "c",
            "t",
            &[Bar {
                label: label.into(),
                value: 1,
                text: "1".into(),
            }],
        );
        assert!(svg.contains(&format!("<desc id=\"c-desc\">{label}: 1.</desc>")));
    }
}
