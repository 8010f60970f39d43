//! `dayopps search`, with or without `--near`, and `dayopps terms`.

use anyhow::{Result, bail};

use dayopps::build::BuildOptions;

use super::site::loaded_site;

/// What `dayopps search` was asked.
pub(super) struct Asked {
    pub text: String,
    pub filters: Vec<String>,
    pub near: Option<String>,
}

pub(super) fn search_command(
    options: &BuildOptions,
    asked: Asked,
    json: bool,
    limit: usize,
) -> Result<()> {
    let filters = asked
        .filters
        .iter()
        .map(|f| match f.split_once('=') {
            Some((facet, value)) => Ok((facet.trim().to_string(), value.trim().to_string())),
            None => bail!(
                "`{f}` is not a filter\n  help: write it as FACET=VALUE, such as needs=dementia"
            ),
        })
        .collect::<Result<Vec<_>>>()?;
    let index = dayopps::search::SearchIndex::open(&options.output_dir())?;
    let query = dayopps::search::Query {
        text: asked.text,
        filters,
    };
    if let Some(near) = &asked.near {
        return near_command(options, &index, &query, near, json, limit);
    }
    let hits = index.search(&query, limit)?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "query": query.text, "hits": hits })
        );
    } else if hits.is_empty() {
        println!("No services found.");
    } else {
        for (i, hit) in hits.iter().enumerate() {
            println!(
                "{:>2}. {} ({}) {:.3}",
                i + 1,
                hit.title,
                hit.slug,
                hit.score
            );
        }
    }
    Ok(())
}

/// `dayopps search --near POSTCODE`: every service the query finds, nearest first.
fn near_command(
    options: &BuildOptions,
    index: &dayopps::search::SearchIndex,
    query: &dayopps::search::Query,
    near: &str,
    json: bool,
    limit: usize,
) -> Result<()> {
    use dayopps::search::near;
    let (site, _) = loaded_site(
        options,
        "searching near a postcode needs a site that builds",
    )?;
    let from = near::locate(site.postcodes.as_deref(), near).map_err(|e| match e {
        near::NearError::NoTable => anyhow::anyhow!(
            "{e}\n  help: add `postcodes: data/postcodes.csv` to site.yaml, with a table of postcodes and their coordinates (see `dayopps init`'s site.yaml)"
        ),
        other => anyhow::anyhow!("{other}"),
    })?;
    // Every match, not the best few: the nearest may be the least relevant.
    let hits = index.search(query, site.listings.len().max(1))?;
    let slugs: Vec<&str> = hits.iter().map(|h| h.slug.as_str()).collect();
    let found = near::in_site_order(&site, &slugs);
    let ordered: Vec<_> = near::order(found, from).into_iter().take(limit).collect();
    let postcode = dayopps::model::geo::postcode(near).unwrap_or_default();
    print_near(&query.text, &postcode, &ordered, json);
    Ok(())
}

pub(super) fn terms_command() -> Result<()> {
    use std::io::{BufRead, Write};
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        writeln!(out, "{}", dayopps::search::terms(&line?).join(" "))?;
    }
    Ok(())
}

/// The services nearest first, as JSON or as numbered lines.
fn print_near(
    text: &str,
    postcode: &str,
    ordered: &[(&dayopps::model::Listing, dayopps::search::near::Distance)],
    json: bool,
) {
    use dayopps::search::near;
    if json {
        let hits: Vec<_> = ordered
            .iter()
            .map(|(l, d)| {
                let place = match d {
                    near::Distance::At { place, .. } => Some(near::place_name(place)),
                    near::Distance::Nowhere(_) => None,
                };
                serde_json::json!({
                    "slug": l.slug,
                    "title": l.title,
                    "miles": d.miles(),
                    "place": place,
                    "distance": d.text(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "query": text, "near": postcode, "hits": hits })
        );
    } else if ordered.is_empty() {
        println!("No services found.");
    } else {
        println!("Nearest to {postcode} first:");
        for (i, (l, d)) in ordered.iter().enumerate() {
            println!("{:>2}. {} ({}): {}", i + 1, l.title, l.slug, d.text());
        }
    }
}
