//! The jobs for the site's pages, one kind of page a function, in the order they are made.
//! The order, the templates and the contexts decide the output bytes and the memo keys, so
//! a change here is a change to what gets built.

use serde_json::json;
use tera::Context;

use super::az::{self, Group, Letter, Part};
use super::cards::Cards;
use super::paging::{self, Pagination};
use super::theme::Theme;
use super::views::{LinkView, Views};
use super::{
    Job, Lists, Work, a_to_z, facet_view, facet_views, market, page_key, ready, search_page,
    shortlist_page, value_view,
};
use crate::memo::Key;
use crate::model::facets::{Facet, FacetValue, Members};
use crate::model::urls::{self, Urls};
use crate::model::{Listing, Page, Site};
use crate::write::Output;

/// What every page is made with: the site, and what is made once from it for all the pages.
pub(super) struct Pages<'a> {
    site: &'a Site,
    urls: &'a Urls,
    views: Views<'a>,
    facets: &'a [Facet],
    members: &'a Members,
    /// The context every page starts from.
    base: Context,
    /// What `base` and the templates are, for the stamps of the listing pages.
    base_key: u64,
    letters: Vec<Letter>,
    groups: Vec<Group>,
    by_letter: Vec<Vec<usize>>,
    /// The A to Z's pages, each the parts of the groups it shows.
    az_pages: Vec<Vec<Part>>,
}

impl<'a> Pages<'a> {
    pub(super) fn new(
        site: &'a Site,
        theme: &Theme,
        views: Views<'a>,
        facets: &'a [Facet],
        members: &'a Members,
        base: Context,
    ) -> Self {
        let base_key = page_key("", theme.templates_key, &base).finish();
        let (mut letters, groups, by_letter) = a_to_z(&site.listings);
        let az_pages = az::cut(&by_letter, paging::PER_PAGE);
        let urls = views.urls;
        az::link_letters(&mut letters, &groups, &az_pages, |n| {
            urls.page(&urls::services_rel(), n)
        });
        Pages {
            site,
            urls: views.urls,
            views,
            facets,
            members,
            base,
            base_key,
            letters,
            groups,
            by_letter,
            az_pages,
        }
    }

    /// Every page's job, in the order they are rendered. `out` takes the files the market
    /// page links to.
    pub(super) fn jobs<'b>(
        &'b self,
        theme: &Theme,
        listed: &'b Cards,
        lettered: &'b Cards,
        out: &mut Output,
    ) -> Vec<Work<'b>> {
        let mut jobs: Vec<Work> = vec![ready(self.home())];
        self.facet_jobs(listed, &mut jobs);
        for page in 1..=self.az_pages.len() {
            jobs.push(Work::Made(Box::new(move || self.az(lettered, page))));
        }
        for p in &self.site.pages {
            jobs.push(ready(self.content_page(p)));
        }
        if search_page::available(theme) {
            jobs.push(ready(self.search_page()));
        }
        if shortlist_page::available(theme) {
            jobs.push(ready(self.under_home(
                shortlist_page::REL.into(),
                shortlist_page::TEMPLATE,
                shortlist_page::TITLE,
            )));
        }
        if self.site.config.market {
            jobs.push(ready(self.market_page(out)));
        }
        jobs.push(ready(self.under_home(
            "404.html".into(),
            "404.html",
            "Page not found",
        )));
        // Listing pages go last: they are many and small, so the threads finish together
        // rather than one of them alone on a long list of cards.
        jobs.extend(self.listing_jobs());
        jobs
    }

    /// A page's job with the context every page has.
    fn page<'b>(
        &self,
        rel: String,
        template: &'static str,
        title: &str,
        crumbs: Vec<LinkView>,
    ) -> Job<'b> {
        let mut context = self.base.clone();
        context.insert("title", title);
        context.insert("canonical", &self.urls.absolute(&rel));
        context.insert("breadcrumbs", &crumbs);
        context.insert("description", "");
        Job {
            rel,
            template,
            context,
            lists: None,
        }
    }

    /// A page whose breadcrumbs lead home.
    fn under_home<'b>(&self, rel: String, template: &'static str, title: &str) -> Job<'b> {
        self.page(rel, template, title, vec![self.home_crumb()])
    }

    fn home_crumb(&self) -> LinkView {
        LinkView {
            title: "Home".into(),
            url: self.urls.home(),
        }
    }

    fn home<'b>(&self) -> Job<'b> {
        let mut home = self.page(
            String::new(),
            "home.html",
            &self.site.config.title,
            Vec::new(),
        );
        home.context.insert(
            "facets",
            &facet_views(self.facets, self.members, self.urls, false),
        );
        home.context.insert("total", &self.site.listings.len());
        home
    }

    fn listing_jobs<'b>(&'b self) -> impl Iterator<Item = Work<'b>> + 'b {
        self.site.listings.iter().map(move |listing| {
            // A listing's page shows that listing alone, so its stamp says all the page is
            // made of.
            let stamp = Key::new("listing.html")
                .part(&self.base_key)
                .part(&listing.stamp)
                .finish();
            Work::Stamped {
                rel: urls::service_rel(&listing.slug),
                stamp,
                make: Box::new(move || self.listing_page(listing)),
            }
        })
    }

    fn listing_page<'b>(&self, listing: &Listing) -> Job<'b> {
        let az = LinkView {
            title: "Services A to Z".into(),
            url: self.urls.az(),
        };
        let mut job = self.page(
            urls::service_rel(&listing.slug),
            "listing.html",
            &listing.title,
            vec![self.home_crumb(), az],
        );
        job.context.insert("description", &listing.summary);
        job.context.insert(
            "listing",
            &self
                .views
                .listing(listing, listing.is_stale(self.site.today)),
        );
        job
    }

    /// Each facet's index, followed by a page for each of its values.
    fn facet_jobs<'b>(&'b self, listed: &'b Cards, jobs: &mut Vec<Work<'b>>) {
        for (f, facet) in self.facets.iter().enumerate() {
            let mut job = self.under_home(
                format!("{}/", facet.segment),
                "facet_index.html",
                facet.label,
            );
            job.context.insert("description", facet.intro);
            job.context.insert(
                "facet",
                &facet_view(facet, &self.members[f], self.urls, true),
            );
            jobs.push(ready(job));
            for value in &facet.values {
                let members = self.members[f]
                    .get(&value.key)
                    .map_or(&[][..], Vec::as_slice);
                for page in 1..=paging::count(members.len()) {
                    let first = urls::facet_value_rel(facet.segment, &value.key);
                    let cards = listed.key_of(&[paging::slice(members, page)]);
                    // Everything the page's context is made from, so that its context (and
                    // the hash of it) is made only when the page is rendered again.
                    let stamp = Key::new("facet_value.html")
                        .part(&self.base_key)
                        .part(&(facet.key, facet.label, facet.segment))
                        .json(&value_view(facet, value, members.len(), self.urls))
                        .part(&self.urls.absolute(&first))
                        .part(&(page, cards))
                        .finish();
                    jobs.push(Work::Stamped {
                        rel: urls::page_rel(&first, page),
                        stamp,
                        make: Box::new(move || {
                            self.facet_value_page(f, facet, value, listed, page)
                        }),
                    });
                }
            }
        }
    }

    fn facet_value_page<'b>(
        &'b self,
        f: usize,
        facet: &Facet,
        value: &FacetValue,
        listed: &'b Cards,
        page: usize,
    ) -> Job<'b> {
        let members_of: &[usize] = self.members[f].get(&value.key).map_or(&[], Vec::as_slice);
        let up = LinkView {
            title: facet.label.into(),
            url: self.urls.facet(facet.segment),
        };
        let first = urls::facet_value_rel(facet.segment, &value.key);
        let mut job = self.page(
            urls::page_rel(&first, page),
            "facet_value.html",
            &value.label,
            vec![self.home_crumb(), up],
        );
        job.context.insert(
            "description",
            &format!("{}: {} services", value.label, members_of.len()),
        );
        job.context.insert(
            "facet",
            &json!({"key": facet.key, "label": facet.label, "url": self.urls.facet(facet.segment)}),
        );
        job.context.insert(
            "value",
            &value_view(facet, value, members_of.len(), self.urls),
        );
        job.context.insert(
            "feed_url",
            &self.urls.url(&crate::export::feed::facet_value_rel(
                facet.segment,
                &value.key,
            )),
        );
        job.context.insert("cards_html", &Cards::placeholder(0));
        self.paginate(&mut job, &first, page, paging::count(members_of.len()));
        job.lists = Some(Lists {
            cards: listed,
            lists: vec![paging::slice(members_of, page)],
        });
        job
    }

    /// Gives page `page` of `total` of the list first at `first` its links to the others.
    fn paginate(&self, job: &mut Job, first: &str, page: usize, total: usize) {
        if let Some(pagination) = Pagination::new(self.urls, first, page, total) {
            job.context.insert("pagination", &pagination);
        }
    }

    fn az<'b>(&'b self, lettered: &'b Cards, page: usize) -> Job<'b> {
        let first = urls::services_rel();
        let rel = urls::page_rel(&first, page);
        let mut az = self.under_home(rel, "az.html", "Services A to Z");
        let parts = &self.az_pages[page - 1];
        az.context.insert("letters", &self.letters);
        az.context
            .insert("groups", &az::page_groups(&self.groups, parts));
        az.context.insert("total", &self.site.listings.len());
        self.paginate(&mut az, &first, page, self.az_pages.len());
        az.lists = Some(Lists {
            cards: lettered,
            lists: parts
                .iter()
                .map(|p| &self.by_letter[p.group][p.from..p.to])
                .collect(),
        });
        az.context
            .insert("description", "Every service in the directory, A to Z.");
        az
    }

    fn content_page<'b>(&self, p: &Page) -> Job<'b> {
        let mut job = self.under_home(format!("{}/", p.slug), "page.html", &p.title);
        job.context
            .insert("description", p.summary.as_deref().unwrap_or(""));
        job.context.insert(
            "page",
            &json!({"title": p.title, "summary": p.summary, "content_html": p.content_html}),
        );
        job
    }

    fn search_page<'b>(&self) -> Job<'b> {
        let mut job = self.under_home(
            search_page::REL.into(),
            search_page::TEMPLATE,
            search_page::TITLE,
        );
        search_page::fill(
            &mut job.context,
            self.facets,
            self.members,
            &search_page::Request::default(),
        );
        job
    }

    fn market_page<'b>(&self, out: &mut Output) -> Job<'b> {
        let mut job = self.under_home(market::REL.into(), market::TEMPLATE, market::TITLE);
        market::fill(&mut job.context, self.site, self.urls, out);
        job
    }
}
