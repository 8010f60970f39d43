//! Stage 3, render: the site model becomes pages, through the theme's Tera templates.

pub mod builtin;
mod cards;
pub mod market;
pub mod search_page;
mod template_minify;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use tera::Context;

use crate::memo::{Key, Memo};
use crate::model::{Listing, Page, Site};
use crate::validate::sort_key;
use crate::write::{Content, Output, WriteError, with_buffer};

use crate::model::facets::{self, Facet, FacetValue, Members, memberships};
use crate::model::urls::{self, Urls};
use cards::Cards;
use theme::Theme;
use views::{Card, LinkView, SiteView, Views};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "the theme folder {0} does not exist\n  help: check `theme:` in site.yaml: leave it out, or write `theme: default`, for the theme built into dayopps"
    )]
    NoTheme(PathBuf),
    #[error("template problem in {template}: {message}")]
    Template { template: String, message: String },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("could not read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RenderError {
    /// Tera hides the useful part of an error in its chain of causes.
    pub fn template(template: &str, error: &tera::Error) -> Self {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        RenderError::Template {
            template: template.to_string(),
            message,
        }
    }
}

/// One page to render: its path under the site root, template and context, and the lists of
/// cards for the placeholders it prints.
struct Job<'a> {
    rel: String,
    template: &'static str,
    pub(crate) context: Context,
    lists: Option<Lists<'a>>,
}

/// The lists of cards a page prints, by the number of their placeholder: indexes into the
/// listings, with their cards.
struct Lists<'a> {
    cards: &'a Cards,
    lists: Vec<&'a [usize]>,
}

/// How to make a page's job. Most are made on the rendering threads, so their contexts are
/// built in parallel and dropped as soon as each page is rendered.
enum Work<'a> {
    /// A page known by its context: the context is made to tell whether the page changed.
    Made(Box<dyn FnOnce() -> Job<'a> + Send + 'a>),
    /// A page known by a stamp of everything it is made from: its context is made only when
    /// the build before did not render it.
    Stamped {
        rel: String,
        stamp: u64,
        make: Box<dyn FnOnce() -> Job<'a> + Send + 'a>,
    },
}

/// A job made already, as work.
fn ready<'a>(job: Job<'a>) -> Work<'a> {
    Work::Made(Box::new(move || job))
}

/// Renders every page of the site into `out`, taking from `made` what the build before
/// rendered from the same template and context.
pub fn render(
    site: &Site,
    theme: &Theme,
    out: &mut Output,
    made: &Memo<Arc<[u8]>>,
) -> Result<(), RenderError> {
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    let views = Views {
        config: &site.config,
        urls: &urls,
    };
    let facets = facets::facets(&site.config);
    let members = memberships(site, &facets);
    let cards_span = crate::timings::span("render: cards");
    let cards: Vec<Card> = site.listings.iter().map(|l| views.card(l)).collect();
    let listed = Cards::render(theme, &site.listings, &cards, 2, made)?;
    let lettered = Cards::render(theme, &site.listings, &cards, 3, made)?;
    drop(cards_span);
    for asset in &theme.assets {
        out.add(&asset.output, asset.bytes.clone());
    }
    let assets = asset_urls(theme, &urls);
    let base = base_context(site, &urls, &facets, &assets, search_page::available(theme));
    let base_key = page_key("", theme.templates_key, &base).finish();
    let page = |rel: String, template, title: &str, crumbs: Vec<LinkView>| {
        let mut context = base.clone();
        context.insert("title", title);
        context.insert("canonical", &urls.absolute(&rel));
        context.insert("breadcrumbs", &crumbs);
        context.insert("description", "");
        Job {
            rel,
            template,
            context,
            lists: None,
        }
    };
    let home_crumb = || LinkView {
        title: "Home".into(),
        url: urls.home(),
    };

    let (letters, groups, by_letter) = a_to_z(&site.listings);
    let mut jobs: Vec<Work> = Vec::new();
    let mut home = page(String::new(), "home.html", &site.config.title, Vec::new());
    home.context
        .insert("facets", &facet_views(&facets, &members, &urls, false));
    home.context.insert("total", &site.listings.len());
    jobs.push(ready(home));

    let listing_page = |listing: &Listing| {
        let az = LinkView {
            title: "Services A to Z".into(),
            url: urls.az(),
        };
        let mut job = page(
            urls::service_rel(&listing.slug),
            "listing.html",
            &listing.title,
            vec![home_crumb(), az],
        );
        job.context.insert("description", &listing.summary);
        job.context.insert(
            "listing",
            &views.listing(listing, listing.is_stale(site.today)),
        );
        job
    };
    // Listing pages go last: they are many and small, so the threads finish together
    // rather than one of them alone on a long list of cards.
    let listing_jobs = site.listings.iter().map(|listing| {
        // A listing's page shows that listing alone, so its stamp says all the page is made of.
        let stamp = Key::new("listing.html")
            .part(&base_key)
            .part(&listing.stamp)
            .finish();
        Work::Stamped {
            rel: urls::service_rel(&listing.slug),
            stamp,
            make: Box::new(move || listing_page(listing)),
        }
    });

    let facet_value_page = |f: usize, facet: &Facet, value: &FacetValue| {
        let members_of: &[usize] = members[f].get(&value.key).map_or(&[], Vec::as_slice);
        let up = LinkView {
            title: facet.label.into(),
            url: urls.facet(facet.segment),
        };
        let mut job = page(
            urls::facet_value_rel(facet.segment, &value.key),
            "facet_value.html",
            &value.label,
            vec![home_crumb(), up],
        );
        job.context.insert(
            "description",
            &format!("{}: {} services", value.label, members_of.len()),
        );
        job.context.insert(
            "facet",
            &json!({"key": facet.key, "label": facet.label, "url": urls.facet(facet.segment)}),
        );
        job.context
            .insert("value", &value_view(facet, value, members_of.len(), &urls));
        job.context.insert("cards_html", &Cards::placeholder(0));
        job.lists = Some(Lists {
            cards: &listed,
            lists: vec![members_of],
        });
        job
    };
    for (f, facet) in facets.iter().enumerate() {
        let mut job = page(
            format!("{}/", facet.segment),
            "facet_index.html",
            facet.label,
            vec![home_crumb()],
        );
        job.context.insert("description", facet.intro);
        job.context
            .insert("facet", &facet_view(facet, &members[f], &urls, true));
        jobs.push(ready(job));
        for value in &facet.values {
            jobs.push(Work::Made(Box::new(move || {
                facet_value_page(f, facet, value)
            })));
        }
    }

    let mut az = page(
        urls::services_rel(),
        "az.html",
        "Services A to Z",
        vec![home_crumb()],
    );
    az.context.insert("letters", &letters);
    az.context.insert("groups", &groups);
    az.context.insert("total", &site.listings.len());
    az.lists = Some(Lists {
        cards: &lettered,
        lists: by_letter.iter().map(Vec::as_slice).collect(),
    });
    az.context
        .insert("description", "Every service in the directory, A to Z.");
    jobs.push(ready(az));

    for p in &site.pages {
        jobs.push(ready(content_page(p, &page, home_crumb())));
    }
    if search_page::available(theme) {
        let mut job = page(
            search_page::REL.into(),
            search_page::TEMPLATE,
            search_page::TITLE,
            vec![home_crumb()],
        );
        search_page::fill(
            &mut job.context,
            &facets,
            &members,
            &search_page::Request::default(),
        );
        jobs.push(ready(job));
    }
    if site.config.market {
        let mut job = page(
            market::REL.into(),
            market::TEMPLATE,
            market::TITLE,
            vec![home_crumb()],
        );
        market::fill(&mut job.context, site, &urls, out);
        jobs.push(ready(job));
    }
    jobs.push(ready(page(
        "404.html".into(),
        "404.html",
        "Page not found",
        vec![home_crumb()],
    )));

    jobs.extend(listing_jobs);
    let pages_span = crate::timings::span("render: pages");
    let sink = &*out;
    let rendered: Vec<(String, Content)> = jobs
        .into_par_iter()
        .map(|work| {
            let (rel, page) = match work {
                Work::Made(make) => {
                    let job = make();
                    let key = || {
                        let cards = job.lists.as_ref().map(Lists::key);
                        page_key(job.template, theme.templates_key, &job.context)
                            .part(&cards)
                            .finish()
                    };
                    let page = made.get_or_make(key, || render_page(theme, &job))?;
                    (job.rel, page)
                }
                Work::Stamped { rel, stamp, make } => {
                    let page = made.get_or_make(|| stamp, || render_page(theme, &make()))?;
                    (rel, page)
                }
            };
            let path = if rel.ends_with(".html") {
                rel
            } else {
                format!("{rel}index.html")
            };
            let content = sink.prepare(&path, Content::Shared(page))?;
            Ok((path, content))
        })
        .collect::<Result<_, RenderError>>()?;
    drop(pages_span);
    let _t = crate::timings::span("render: the rest");
    for (path, content) in rendered {
        out.insert(path, content);
    }
    sitemap(site, theme, &urls, &facets, out)?;
    out.add(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            urls.absolute("sitemap.xml")
        )
        .into_bytes(),
    );
    for (name, path) in &site.images {
        out.copy(&format!("images/{name}"), path.clone());
    }
    Ok(())
}

/// A page's minified HTML, with its lists of cards.
fn render_page(theme: &Theme, job: &Job) -> Result<Arc<[u8]>, RenderError> {
    with_buffer(|page| {
        theme.render_into(job.template, &job.context, page)?;
        Ok(match &job.lists {
            Some(lists) => with_buffer(|spliced| {
                lists.cards.splice(page, &lists.lists, spliced);
                Arc::from(spliced.as_slice())
            }),
            None => Arc::from(page.as_slice()),
        })
    })
}

impl Lists<'_> {
    fn key(&self) -> u64 {
        self.cards.key_of(&self.lists)
    }
}

fn content_page<'a>(
    p: &Page,
    page: &impl Fn(String, &'static str, &str, Vec<LinkView>) -> Job<'a>,
    home: LinkView,
) -> Job<'a> {
    let mut job = page(format!("{}/", p.slug), "page.html", &p.title, vec![home]);
    job.context
        .insert("description", p.summary.as_deref().unwrap_or(""));
    job.context.insert(
        "page",
        &json!({"title": p.title, "summary": p.summary, "content_html": p.content_html}),
    );
    job
}

/// Each static file's URL by its name in the theme: `assets["style.css"]`.
pub(crate) fn asset_urls(theme: &Theme, urls: &Urls) -> BTreeMap<String, String> {
    theme
        .assets
        .iter()
        .map(|a| (a.name.clone(), urls.url(&a.output)))
        .collect()
}

pub(crate) fn base_context(
    site: &Site,
    urls: &Urls,
    facets: &[Facet],
    assets: &BTreeMap<String, String>,
    search: bool,
) -> Context {
    let mut c = Context::new();
    c.insert("site", &SiteView::new(&site.config, urls, search));
    c.insert("assets", assets);
    let nav: Vec<LinkView> = site
        .pages
        .iter()
        .map(|p| LinkView {
            title: p.title.clone(),
            url: urls.url(&format!("{}/", p.slug)),
        })
        .collect();
    c.insert("nav", &nav);
    let browse: Vec<_> = facets
        .iter()
        .map(|f| json!({"key": f.key, "label": f.label, "url": urls.facet(f.segment)}))
        .collect();
    c.insert("browse", &browse);
    c
}

#[derive(Serialize)]
struct ValueView<'a> {
    key: &'a str,
    label: &'a str,
    url: String,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

fn value_view<'a>(
    facet: &Facet,
    value: &'a facets::FacetValue,
    count: usize,
    urls: &Urls,
) -> ValueView<'a> {
    ValueView {
        key: &value.key,
        label: &value.label,
        url: urls.facet_value(facet.segment, &value.key),
        count,
        description: value.description.as_deref(),
        hint: value.hint.as_deref(),
    }
}

fn facet_view(
    facet: &Facet,
    members: &BTreeMap<String, Vec<usize>>,
    urls: &Urls,
    with_empty: bool,
) -> serde_json::Value {
    let values: Vec<ValueView> = facet
        .values
        .iter()
        .map(|v| value_view(facet, v, members.get(&v.key).map_or(0, Vec::len), urls))
        .filter(|v| with_empty || v.count > 0)
        .collect();
    json!({"key": facet.key, "label": facet.label, "url": urls.facet(facet.segment), "intro": facet.intro, "values": values})
}

fn facet_views(
    facets: &[Facet],
    members: &Members,
    urls: &Urls,
    with_empty: bool,
) -> Vec<serde_json::Value> {
    facets
        .iter()
        .zip(members)
        .map(|(f, m)| facet_view(f, m, urls, with_empty))
        .collect()
}

#[derive(Serialize)]
struct Letter {
    letter: String,
    id: String,
    present: bool,
}

#[derive(Serialize)]
struct Group {
    letter: String,
    id: String,
    count: usize,
    /// Where the group's cards go.
    cards_html: String,
}

/// Listings grouped by first letter (ignoring a leading "The"); digits and symbols under `#`:
/// the letters, the groups, and each group's listings (indexes into `listings`).
fn a_to_z(listings: &[Listing]) -> (Vec<Letter>, Vec<Group>, Vec<Vec<usize>>) {
    let letter_of = |l: &Listing| {
        let first = sort_key(&l.title)
            .chars()
            .next()
            .unwrap_or('#')
            .to_ascii_uppercase();
        if first.is_ascii_uppercase() {
            first.to_string()
        } else {
            "#".to_string()
        }
    };
    let mut by_letter: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    for (i, l) in listings.iter().enumerate() {
        let letter = letter_of(l);
        by_letter
            .entry((letter == "#", letter))
            .or_default()
            .push(i);
    }
    let id_of = |letter: &str| {
        if letter == "#" {
            "other".to_string()
        } else {
            letter.to_lowercase()
        }
    };
    let groups = by_letter
        .iter()
        .enumerate()
        .map(|(n, ((_, letter), members))| Group {
            letter: letter.clone(),
            id: id_of(letter),
            count: members.len(),
            cards_html: Cards::placeholder(n),
        })
        .collect::<Vec<_>>();
    let letters = ('A'..='Z')
        .map(|c| c.to_string())
        .chain(std::iter::once("#".to_string()))
        .map(|letter| Letter {
            present: groups.iter().any(|g| g.letter == letter),
            id: id_of(&letter),
            letter,
        })
        .collect();
    (letters, groups, by_letter.into_values().collect())
}

fn sitemap(
    site: &Site,
    theme: &Theme,
    urls: &Urls,
    facets: &[Facet],
    out: &mut Output,
) -> Result<(), RenderError> {
    let mut entries: Vec<(String, Option<String>)> =
        vec![(String::new(), None), (urls::services_rel(), None)];
    entries.extend(
        site.listings
            .iter()
            .map(|l| (urls::service_rel(&l.slug), Some(l.updated.to_string()))),
    );
    for f in facets {
        entries.push((format!("{}/", f.segment), None));
        entries.extend(
            f.values
                .iter()
                .map(|v| (urls::facet_value_rel(f.segment, &v.key), None)),
        );
    }
    entries.extend(site.pages.iter().map(|p| (format!("{}/", p.slug), None)));
    if site.config.market {
        entries.push((market::REL.into(), None));
    }
    entries.sort();
    let list: Vec<_> = entries
        .iter()
        .map(|(rel, lastmod)| json!({"loc": urls.absolute(rel), "lastmod": lastmod}))
        .collect();
    let mut c = Context::new();
    c.insert("urls", &list);
    let xml = theme
        .tera
        .render(theme::SITEMAP_TEMPLATE, &c)
        .map_err(|e| RenderError::template(theme::SITEMAP_TEMPLATE, &e))?;
    out.add("sitemap.xml", xml.into_bytes());
    Ok(())
}

/// What a render of the theme's `template` with `context` is made from.
fn page_key(template: &str, templates: u64, context: &Context) -> Key {
    Key::new(template)
        .part(&templates)
        .json(&context.clone().into_json())
}
