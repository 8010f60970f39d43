//! The default theme's templates are minified once, when it loads, instead of every page
//! (src/render/template_minify.rs). Its pages must say what they said when each page was
//! minified after rendering: minifying a page of the first kind gives the page of the second.

mod common;

use std::path::Path;

use common::{TestSite, repo};
use dayopps::build::{BuildOptions, load_site};
use dayopps::memo::Memo;
use dayopps::render::render;
use dayopps::render::theme::{Minify, Theme};
use dayopps::write::{Output, minify};

/// Every file the site at `options` renders, with the theme minified each way.
fn rendered_both_ways(options: &BuildOptions) -> (Output, Output) {
    let (site, _) = load_site(options)
        .map_err(|e| e.to_string())
        .expect("the site loads");
    let dir = options.root.join("themes").join(&site.config.theme);
    let by_template = Theme::load(&dir).expect("the theme loads");
    assert_eq!(
        by_template.minifies(),
        Minify::Templates,
        "the default theme's templates can all be minified"
    );
    let by_page = Theme::load_minifying(&dir, Minify::Pages).expect("the theme loads");
    let render_with = |theme: &Theme| {
        let mut out = Output::default();
        render(&site, theme, &mut out, &Memo::default()).expect("the site renders");
        out
    };
    (render_with(&by_template), render_with(&by_page))
}

fn assert_same_pages(options: &BuildOptions) {
    let (by_template, by_page) = rendered_both_ways(options);
    let paths = |o: &Output| o.files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&by_template), paths(&by_page));
    let mut html_pages = 0;
    for (path, content) in &by_template.files {
        let (Some(fast), Some(slow)) = (content.bytes(), by_page.files[path].bytes()) else {
            continue;
        };
        if path.ends_with(".html") {
            html_pages += 1;
            assert!(
                minify(fast) == slow,
                "{path} differs:\n--- templates minified, then the page minified again ---\n{}\n--- each page minified ---\n{}",
                String::from_utf8_lossy(&minify(fast)),
                String::from_utf8_lossy(slow)
            );
        } else {
            assert!(fast == slow, "{path} differs");
        }
    }
    assert!(html_pages > 10, "only {html_pages} pages compared");
}

#[test]
fn the_demo_says_the_same_with_templates_minified_once() {
    let mut options = BuildOptions::new(repo());
    options.today = Some(time::macros::date!(2026 - 06 - 01));
    assert_same_pages(&options);
}

#[test]
fn hostile_listings_say_the_same_with_templates_minified_once() {
    let fixtures = repo().join("tests/fixtures");
    let read = |rel: &str| std::fs::read_to_string(fixtures.join(rel)).expect("a fixture");
    let site = TestSite::new()
        .file("content/images/garden.png", "not really a png")
        .listing("everything.md", &read("everything.md"))
        .listing("hostile-fields.md", &read("hostile/xss-fields.md"))
        .listing("hostile-markdown.md", &read("hostile/xss-markdown.md"));
    assert_same_pages(&site.options());
}

#[test]
fn a_theme_whose_templates_cannot_be_minified_minifies_each_page() {
    let site = TestSite::new()
        .listing("garden.md", common::LISTING)
        .ejected();
    // A heading level chosen by Tera: the minifier cannot know what element it is.
    let card = site.root().join("themes/default/templates/card.html");
    std::fs::write(
        &card,
        "<li><h{{ level }}>{{ listing.title }}</h{{ level }}></li>\n",
    )
    .expect("a written template");
    let theme = Theme::load(Path::new(&site.root().join("themes/default"))).expect("loads");
    assert_eq!(theme.minifies(), Minify::Pages);
    assert_eq!(theme.unminifiable(), Some("card.html"));
    let built = site.build().expect("the site builds");
    drop(built);
    let az = site.read("services/index.html");
    assert!(
        az.contains(">Garden Club</h") && !az.contains("\n"),
        "the A to Z page is minified and has the card: {az}"
    );
}

#[test]
fn a_mistake_in_a_template_is_reported_at_its_line_as_written() {
    let site = TestSite::new()
        .listing("garden.md", common::LISTING)
        .ejected();
    let page = site.root().join("themes/default/templates/page.html");
    let written = std::fs::read_to_string(&page).expect("the page template");
    let line = written.lines().count() + 3;
    std::fs::write(
        &page,
        format!("{written}\n<p>\n  {{{{ page.title | }}}}</p>\n"),
    )
    .expect("a written template");
    let Err(error) = Theme::load(&site.root().join("themes/default")) else {
        panic!("a filter with no name is refused");
    };
    let error = error.to_string();
    assert!(
        error.contains("page.html") && error.contains(&format!("{line}:")),
        "the error names the template and the line as written ({line}): {error}"
    );
}
