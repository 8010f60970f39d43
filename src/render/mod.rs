//! Stage 3, render: the site model becomes pages, through the theme's Tera templates.

mod az;
pub mod builtin;
mod cards;
pub mod market;
pub mod near_page;
mod pages;
mod paging;
pub mod report_link;
pub mod search_page;
pub mod shortlist_page;
mod sitemap;
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
use crate::model::Site;
use crate::write::{Content, Output, WriteError, with_buffer};

use crate::model::facets::{self, Facet, Members, memberships};
use crate::model::urls::Urls;
use az::a_to_z;
use cards::Cards;
use pages::Pages;
use theme::Theme;
use views::{LinkView, SiteView, Views};

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
    let members = {
        let _t = crate::timings::span("render: memberships");
        memberships(site, &facets)
    };
    let (listed, lettered) = render_cards(site, theme, &views, made)?;
    for asset in &theme.assets {
        out.add(&asset.output, asset.bytes.clone());
    }
    let assets = asset_urls(theme, &urls);
    let base = base_context(site, &urls, &facets, &assets, search_page::available(theme));
    let jobs_span = crate::timings::span("render: jobs");
    let pages = Pages::new(site, theme, views, &facets, &members, base);
    let jobs = pages.jobs(theme, &listed, &lettered, out);
    drop(jobs_span);
    let pages_span = crate::timings::span("render: pages");
    let rendered = render_all(jobs, theme, made, out)?;
    drop(pages_span);
    let _t = crate::timings::span("render: the rest");
    for (path, content) in rendered {
        out.insert(path, content);
    }
    sitemap::write(site, theme, &urls, (&facets, &members), (out, made))?;
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

/// Every listing's card, rendered once for the facet pages and once for the A to Z.
fn render_cards(
    site: &Site,
    theme: &Theme,
    views: &Views,
    made: &Memo<Arc<[u8]>>,
) -> Result<(Cards, Cards), RenderError> {
    let _span = crate::timings::span("render: cards");
    let (listed, lettered) =
        Cards::render_pair(theme, &site.listings, |l| views.card(l), (2, 3), made)?;
    Ok((listed, lettered))
}

/// Renders the jobs on the rendering threads and prepares each page for writing, keeping
/// the jobs' order.
fn render_all(
    jobs: Vec<Work>,
    theme: &Theme,
    made: &Memo<Arc<[u8]>>,
    sink: &Output,
) -> Result<Vec<(String, Content)>, RenderError> {
    jobs.into_par_iter()
        .map(|work| {
            let (rel, page) = render_work(work, theme, made)?;
            let path = if rel.ends_with(".html") {
                rel
            } else {
                format!("{rel}index.html")
            };
            let content = sink.prepare(&path, Content::Shared(page))?;
            Ok((path, content))
        })
        .collect()
}

/// One page's path and bytes, from `made` when the build before rendered it the same.
fn render_work(
    work: Work,
    theme: &Theme,
    made: &Memo<Arc<[u8]>>,
) -> Result<(String, Arc<[u8]>), RenderError> {
    Ok(match work {
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
    })
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
    let mut view = SiteView::new(&site.config, urls, search);
    if let Some(table) = &site.postcodes {
        view.near = true;
        view.near_example = table.example().unwrap_or_default().to_string();
    }
    c.insert("site", &view);
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

/// What a render of the theme's `template` with `context` is made from.
fn page_key(template: &str, templates: u64, context: &Context) -> Key {
    Key::new(template)
        .part(&templates)
        .json(&context.clone().into_json())
}
