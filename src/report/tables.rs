//! The report laid out as tables, once, so the page, its CSV files and every `dayopps report`
//! format show the same rows in the same order.

use crate::model::Date;
use crate::text::long_date;
use crate::text::plural;

use super::{AreaRow, Count, Matrix, Report, Split};

/// One value in a table, kept typed so each format can write it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Labels: "a, b" to read, "a; b" in CSV (where commas would need quoting).
    List(Vec<String>),
    Count(usize),
    /// A count of zero that is a gap in the market: written "Gap" to read, 0 in CSV.
    Gap,
    /// Pence; `None` when nothing is priced.
    Money(Option<u64>),
    Percent(usize),
    Date(Date),
    YesNo(bool),
    /// A service, linked to its page where the format can.
    Service {
        slug: String,
        title: String,
    },
}

impl Cell {
    /// How people read it.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::List(items) if items.is_empty() => "None".into(),
            Cell::List(items) => items.join(", "),
            Cell::Count(n) => n.to_string(),
            Cell::Gap => "Gap".into(),
            Cell::Money(Some(p)) => format!("£{}", pounds(*p)),
            Cell::Money(None) => "None listed".into(),
            Cell::Percent(n) => format!("{n}%"),
            Cell::Date(d) => long_date(*d),
            Cell::YesNo(b) => if *b { "Yes" } else { "No" }.into(),
            Cell::Service { title, .. } => title.clone(),
        }
    }

    /// What a spreadsheet gets: plain numbers, ISO dates, pounds without the sign.
    pub fn csv(&self) -> String {
        match self {
            Cell::List(items) => items.join("; "),
            Cell::Gap => "0".into(),
            Cell::Money(p) => p.map(pounds).unwrap_or_default(),
            Cell::Percent(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            other => other.text(),
        }
    }

    /// The count a chart draws, for counts and gaps.
    pub fn number(&self) -> Option<usize> {
        match self {
            Cell::Count(n) => Some(*n),
            Cell::Gap => Some(0),
            _ => None,
        }
    }

    pub fn is_gap(&self) -> bool {
        matches!(self, Cell::Gap)
    }

    /// Numbers line up on the right so they can be compared down a column.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Cell::Count(_) | Cell::Gap | Cell::Money(_) | Cell::Percent(_)
        )
    }
}

fn pounds(pence: u64) -> String {
    format!("{}.{:02}", pence / 100, pence % 100)
}

/// How dark a heat-map cell is, 1 to 4 by its share of the table's largest count; 0 for
/// a gap, which is shown by the word "Gap" and a pattern instead.
pub fn heat_level(value: usize, max: usize) -> u8 {
    if value == 0 || max == 0 {
        0
    } else {
        (value * 4).div_ceil(max).clamp(1, 4) as u8
    }
}

/// The largest count in the heat-mapped part of a table.
pub fn heat_max(t: &Table) -> usize {
    let Chart::Heat { from } = t.chart else {
        return 0;
    };
    t.rows
        .iter()
        .flat_map(|r| r.iter().skip(from))
        .filter_map(Cell::number)
        .max()
        .unwrap_or(0)
}

/// A zero that means nothing in the directory offers this.
fn gap_or(n: usize) -> Cell {
    if n == 0 { Cell::Gap } else { Cell::Count(n) }
}

/// What is drawn for a table, besides the table itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    None,
    /// A bar chart of this column, one bar a row.
    Bars {
        column: usize,
    },
    /// Cells from this column on are shaded by their count.
    Heat {
        from: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Names the CSV file (`market/<id>.csv`) and the section on the page.
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub note: Option<String>,
    pub columns: Vec<String>,
    /// The first cell of each row heads it.
    pub rows: Vec<Vec<Cell>>,
    pub chart: Chart,
}

impl Table {
    /// The file name of the table's CSV download.
    pub fn csv_name(&self) -> String {
        format!("{}.csv", self.id)
    }

    /// Whether column `i` holds numbers all the way down, so it can be right-aligned.
    pub fn is_numeric_column(&self, i: usize) -> bool {
        self.rows
            .iter()
            .all(|r| r.get(i).is_some_and(Cell::is_numeric))
    }
}

/// Every table of the report, in the order the page shows them.
pub fn tables(r: &Report) -> Vec<Table> {
    let mut out = vec![overview(r), vacancies(r)];
    if !r.priorities.is_empty() {
        out.push(priorities(r));
    }
    out.extend([
        matrix(
            "needs-by-service-type",
            "Needs by type of service",
            "Each need, the services that support it, and how many offer each type of service.",
            None,
            &r.needs_by_service_type,
        ),
        matrix(
            "needs-by-when",
            "Needs by time of day and week",
            "Each need, the services that support it, and how many run at each time.",
            Some(when_note(r.no_fixed_times)),
            &r.needs_by_when,
        ),
        areas(r),
        funding(r),
        accessibility(r),
        costs(r),
        freshness(r),
    ]);
    out
}

fn split_row(label: &str, s: Split) -> Vec<Cell> {
    vec![
        Cell::Text(label.into()),
        Cell::Count(s.total),
        Cell::Count(s.in_borough),
        Cell::Count(s.outside),
    ]
}

fn overview(r: &Report) -> Table {
    let o = &r.overview;
    Table {
        id: "overview",
        title: "Services and providers".into(),
        intro:
            "How many services and providers the directory lists, inside and outside the borough."
                .into(),
        note: Some(
            "A provider with any service in the borough is counted in the borough; the others \
             run services only outside it. A service is past its review date when its entry \
             has not been checked again by the date it gives, or within a year."
                .into(),
        ),
        columns: ["What", "All", "In the borough", "Outside the borough"]
            .map(String::from)
            .into(),
        rows: vec![
            split_row("Services", o.services),
            split_row("Providers", o.providers),
            split_row("Accredited services", o.accredited),
            split_row("Services past their review date", o.stale),
        ],
        chart: Chart::None,
    }
}

fn vacancies(r: &Report) -> Table {
    Table {
        id: "vacancies",
        title: "Places".into(),
        intro: "Whether services say they have places for new people.".into(),
        note: None,
        columns: vec!["Places".into(), "Services".into()],
        rows: r
            .vacancies
            .iter()
            .map(|c| vec![Cell::Text(c.label.clone()), Cell::Count(c.services)])
            .collect(),
        chart: Chart::Bars { column: 1 },
    }
}

fn priorities(r: &Report) -> Table {
    let described = r.priorities.iter().any(|p| p.description.is_some());
    let mut columns = vec!["Priority".to_string()];
    if described {
        columns.push("Why".into());
    }
    columns.extend(["Which services count".into(), "Services today".into()]);
    let rows = r
        .priorities
        .iter()
        .map(|p| {
            let mut row = vec![Cell::Text(p.label.clone())];
            if described {
                row.push(Cell::Text(p.description.clone().unwrap_or_default()));
            }
            row.extend([Cell::Text(p.criteria.clone()), gap_or(p.services)]);
            row
        })
        .collect();
    Table {
        id: "priorities",
        title: "The council's priorities".into(),
        intro: "What the council wants more of, and how many services in the directory offer each today.".into(),
        note: None,
        chart: Chart::Bars {
            column: columns.len() - 1,
        },
        columns,
        rows,
    }
}

fn matrix(id: &'static str, title: &str, intro: &str, note: Option<String>, m: &Matrix) -> Table {
    let mut columns = vec!["Need".to_string(), "Services with this need".to_string()];
    columns.extend(m.columns.iter().map(|c| c.label.clone()));
    let rows = m
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![Cell::Text(row.label.clone()), gap_or(row.services)];
            cells.extend(row.counts.iter().map(|&n| gap_or(n)));
            cells
        })
        .collect();
    Table {
        id,
        title: title.into(),
        intro: format!("{intro} “Gap” means no service in the directory offers it."),
        note,
        columns,
        rows,
        chart: Chart::Heat { from: 2 },
    }
}

fn when_note(no_fixed_times: usize) -> String {
    let mut note = "Weekday daytime: a session on a weekday that starts before 5:30pm. \
                    Evenings: a session that ends after 5:30pm."
        .to_string();
    if no_fixed_times > 0 {
        note.push_str(&format!(
            " {} no fixed times (they are arranged with each person) and {} not counted at any time.",
            match no_fixed_times {
                1 => "1 service has".to_string(),
                n => format!("{n} services have"),
            },
            if no_fixed_times == 1 { "is" } else { "are" }
        ));
    }
    note
}

fn areas(r: &Report) -> Table {
    let need_label = |key: &String| {
        r.needs_by_service_type
            .rows
            .iter()
            .find(|n| &n.key == key)
            .map_or_else(|| key.clone(), |n| n.label.clone())
    };
    let row = |a: &AreaRow| {
        vec![
            Cell::Text(a.label.clone()),
            Cell::YesNo(a.in_borough),
            gap_or(a.services),
            Cell::Count(a.needs_covered.len()),
            Cell::List(a.needs_not_covered.iter().map(need_label).collect()),
        ]
    };
    Table {
        id: "areas",
        title: "Areas".into(),
        intro: "Services in each area, and the needs they support between them.".into(),
        note: None,
        columns: [
            "Area",
            "In the borough",
            "Services",
            "Needs covered",
            "Needs not covered",
        ]
        .map(String::from)
        .into(),
        rows: r.areas.iter().map(row).collect(),
        chart: Chart::Bars { column: 2 },
    }
}

fn funding(r: &Report) -> Table {
    let total = r.overview.services.total;
    let row = |c: &Count| {
        vec![
            Cell::Text(c.label.clone()),
            gap_or(c.services),
            Cell::Percent(percent(c.services, total)),
        ]
    };
    Table {
        id: "funding",
        title: "Paying for a place".into(),
        intro: "How many services accept each way of paying. A service can accept more than one."
            .into(),
        note: None,
        columns: vec![
            "Way of paying".into(),
            "Services".into(),
            "Share of services (%)".into(),
        ],
        rows: r.funding.iter().map(row).collect(),
        chart: Chart::Bars { column: 1 },
    }
}

/// A whole-number percentage, halves rounded up; 0 when there is nothing to divide.
pub fn percent(part: usize, total: usize) -> usize {
    if total == 0 {
        0
    } else {
        (part * 200 + total) / (total * 2)
    }
}

fn accessibility(r: &Report) -> Table {
    Table {
        id: "accessibility",
        title: "Accessibility".into(),
        intro: format!(
            "Access and communication support at the {} services run from, and across services.",
            plural(r.locations, "location")
        ),
        note: Some(
            "A service counts a feature it offers itself or at any of its locations. A place \
             that two services use is counted once for each."
                .into(),
        ),
        columns: vec!["Feature".into(), "Locations".into(), "Services".into()],
        rows: r
            .accessibility
            .iter()
            .map(|a| {
                vec![
                    Cell::Text(a.label.clone()),
                    Cell::Count(a.locations),
                    gap_or(a.services),
                ]
            })
            .collect(),
        chart: Chart::Bars { column: 2 },
    }
}

fn costs(r: &Report) -> Table {
    Table {
        id: "costs",
        title: "Costs".into(),
        intro: "The prices services list, by what they charge for. Many places are paid for by \
                the council or are free, and list no price."
            .into(),
        note: Some(
            "The median is the middle price: half cost less and half more. With an even \
             number of prices it is halfway between the middle two, rounded up to the penny."
                .into(),
        ),
        columns: [
            "Price",
            "Services",
            "Prices",
            "Lowest (£)",
            "Median (£)",
            "Highest (£)",
        ]
        .map(String::from)
        .into(),
        rows: r
            .costs
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(format!("Per {}", c.per)),
                    Cell::Count(c.services),
                    Cell::Count(c.prices),
                    Cell::Money(c.lowest_pence),
                    Cell::Money(c.median_pence),
                    Cell::Money(c.highest_pence),
                ]
            })
            .collect(),
        chart: Chart::None,
    }
}

fn freshness(r: &Report) -> Table {
    let f = &r.freshness;
    let oldest = f
        .oldest_updated
        .map(|d| format!(" The oldest entry was last checked on {}.", long_date(d)))
        .unwrap_or_default();
    Table {
        id: "freshness",
        title: "How up to date entries are".into(),
        intro: format!(
            "{} past the date {} should have been checked again.{oldest}",
            match f.stale {
                0 => "No entries are".to_string(),
                1 => "1 entry is".to_string(),
                n => format!("{n} entries are"),
            },
            if f.stale == 1 { "it" } else { "they" }
        ),
        note: Some(format!(
            "Every entry past its review date, and the {} checked longest ago.",
            super::OLDEST_SHOWN
        )),
        columns: [
            "Service",
            "Provider",
            "Last checked",
            "Review by",
            "Past review date",
        ]
        .map(String::from)
        .into(),
        rows: f
            .listings
            .iter()
            .map(|l| {
                vec![
                    Cell::Service {
                        slug: l.slug.clone(),
                        title: l.title.clone(),
                    },
                    Cell::Text(l.provider.clone()),
                    Cell::Date(l.updated),
                    Cell::Date(l.review_by),
                    Cell::YesNo(l.stale),
                ]
            })
            .collect(),
        chart: Chart::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_and_export_differently() {
        assert_eq!(Cell::Gap.text(), "Gap");
        assert_eq!(Cell::Gap.csv(), "0");
        assert_eq!(Cell::Money(Some(4550)).text(), "£45.50");
        assert_eq!(Cell::Money(Some(4550)).csv(), "45.50");
        assert_eq!(Cell::List(vec!["A".into(), "B".into()]).csv(), "A; B");
        assert_eq!(Cell::List(vec![]).text(), "None");
    }

    #[test]
    fn heat_levels_spread_over_four_shades() {
        assert_eq!(heat_level(0, 8), 0);
        assert_eq!(heat_level(1, 8), 1);
        assert_eq!(heat_level(2, 8), 1);
        assert_eq!(heat_level(3, 8), 2);
        assert_eq!(heat_level(8, 8), 4);
    }

    #[test]
    fn percentages_round_halves_up() {
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
