//! `dayopps serve` rebuilds reusing what the build before made: after any series of edits,
//! additions, renames, deletions, mistakes and fixes, a rebuild gives exactly what a build
//! from nothing gives.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use common::{LISTING, TestSite};
use dayopps::build::rebuild_in_memory;
use dayopps::load::Seen;
use dayopps::reuse::Reuse;
use dayopps::write::Content;
use dayopps::{BuildError, Built};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Change {
    Summary(usize),
    Title(usize),
    Needs(usize),
    Add(u8),
    Rename(usize),
    Delete(usize),
    /// Breaks a listing's YAML: both builds fail alike; a later change to it mends it.
    Break(usize),
    SiteTitle,
    Template,
    /// Changes the theme's stylesheet: its hashed name changes on every page.
    Style,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0..8usize).prop_map(Change::Summary),
        (0..8usize).prop_map(Change::Title),
        (0..8usize).prop_map(Change::Needs),
        any::<u8>().prop_map(Change::Add),
        (0..8usize).prop_map(Change::Rename),
        (0..8usize).prop_map(Change::Delete),
        (0..8usize).prop_map(Change::Break),
        Just(Change::SiteTitle),
        Just(Change::Template),
        Just(Change::Style),
    ]
}

fn listing(title: &str, provider: &str) -> String {
    LISTING
        .replacen("Garden Club", title, 1)
        .replacen("Green Trust", provider, 1)
}

/// The site's listing files, by name, in a stable order.
fn listing_names(site: &TestSite) -> Vec<String> {
    let dir = site.root().join("content/listings");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn apply(site: &TestSite, change: &Change, step: usize) {
    let names = listing_names(site);
    let dir = site.root().join("content/listings");
    let pick = |i: usize| names.get(i % names.len().max(1)).map(|n| dir.join(n));
    let edit = |i: usize, from: &str, to: &str| {
        if let Some(path) = pick(i) {
            let text = fs::read_to_string(&path).unwrap();
            // A broken file is mended by writing a good one in its place.
            let text = if text.contains("title: [") {
                listing(&format!("Mended {step}"), "Green Trust")
            } else {
                text
            };
            fs::write(&path, text.replacen(from, to, 1)).unwrap();
        }
    };
    match change {
        Change::Summary(i) => edit(*i, "summary: ", &format!("summary: Step {step}. ")),
        Change::Title(i) => edit(*i, "title: ", &format!("title: {step} ")),
        Change::Needs(i) => edit(*i, "needs: [", "needs: [autism, "),
        Change::Add(n) => {
            let provider = if n % 2 == 0 {
                "Green Trust"
            } else {
                "Blue Trust"
            };
            let text = listing(&format!("Club {n} {step}"), provider);
            fs::write(dir.join(format!("club-{n}-{step}.md")), text).unwrap();
        }
        Change::Rename(i) => {
            if let Some(path) = pick(*i) {
                fs::rename(&path, dir.join(format!("renamed-{step}.md"))).unwrap();
            }
        }
        Change::Delete(i) => {
            if let Some(path) = pick(*i).filter(|_| names.len() > 1) {
                fs::remove_file(path).unwrap();
            }
        }
        Change::Break(i) => edit(*i, "title: ", "title: [unclosed "),
        Change::SiteTitle => retitle_site(site, step),
        Change::Template => swap_skip_link_text(site),
        Change::Style => add_to_stylesheet(site, step),
    }
}

fn retitle_site(site: &TestSite, step: usize) {
    let path = site.root().join("site.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("title: ", &format!("title: {step} "), 1),
    )
    .unwrap();
}

/// Back and forth, so that every later step still finds a wording to change.
fn swap_skip_link_text(site: &TestSite) {
    let path = site.root().join("themes/default/templates/base.html");
    let text = fs::read_to_string(&path).unwrap();
    let skip = "Skip to main content";
    let text = if text.contains(skip) {
        text.replacen(skip, "Skip to the content", 1)
    } else {
        text.replacen("Skip to the content", skip, 1)
    };
    fs::write(&path, text).unwrap();
}

fn add_to_stylesheet(site: &TestSite, step: usize) {
    let path = site.root().join("themes/default/static/style.css");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(&format!("\n/* {step} */\n"));
    fs::write(&path, text).unwrap();
}

/// Every file of a build and its bytes (or where a copied file comes from), or the problems.
fn outcome(built: Result<Built, BuildError>) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let built = built.map_err(|e| match e {
        BuildError::Content(d) => d.to_string(),
        other => other.to_string(),
    })?;
    let files = built.output.files.into_iter().map(|(path, content)| {
        let bytes = match content {
            Content::Bytes(b) => b,
            Content::Shared(b) => b.to_vec(),
            Content::Copy(from) => from.to_string_lossy().into_owned().into_bytes(),
            Content::Written => b"(written)".to_vec(),
        };
        (path, bytes)
    });
    Ok(files.collect())
}

fn same(
    a: &Result<BTreeMap<String, Vec<u8>>, String>,
    b: &Result<BTreeMap<String, Vec<u8>>, String>,
) {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            let paths = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(paths(a), paths(b), "the same files");
            for (path, bytes) in a {
                assert!(
                    &b[path] == bytes,
                    "{path} differs from a build from nothing"
                );
            }
        }
        (a, b) => assert_eq!(a.as_ref().err(), b.as_ref().err()),
    }
}

fn starting_site() -> TestSite {
    let mut site = TestSite::new().ejected();
    for (i, (title, provider)) in [
        ("Garden Club", "Green Trust"),
        ("Art Studio", "Green Trust"),
        ("The Tea Dance", "Blue Trust"),
        ("Swim Group", "Blue Trust"),
    ]
    .into_iter()
    .enumerate()
    {
        site = site.listing(&format!("listing-{i}.md"), &listing(title, provider));
    }
    site
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn a_rebuild_gives_what_a_build_from_nothing_gives(
        changes in prop::collection::vec(change(), 1..6)
    ) {
        let site = starting_site();
        let options = site.options();
        let mut reuse = Reuse::new();
        same(
            &outcome(rebuild_in_memory(&options, &mut reuse)),
            &outcome(dayopps::build_in_memory(&options)),
        );
        for (step, change) in changes.iter().enumerate() {
            apply(&site, change, step);
            same(
                &outcome(rebuild_in_memory(&options, &mut reuse)),
                &outcome(dayopps::build_in_memory(&options)),
            );
        }
    }
}

/// The rebuild reuses: a page whose inputs did not change is not rendered again. Changing a
/// template changes every page, so a rebuild that reused a page from before would differ.
#[test]
fn a_template_change_reaches_every_page() {
    let site = starting_site();
    let options = site.options();
    let mut reuse = Reuse::new();
    rebuild_in_memory(&options, &mut reuse).unwrap();
    apply(&site, &Change::Template, 0);
    let rebuilt = outcome(rebuild_in_memory(&options, &mut reuse)).unwrap();
    let pages: Vec<_> = rebuilt.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 10);
    for page in pages {
        let html = String::from_utf8_lossy(&rebuilt[page]);
        assert!(html.contains("Skip to the content"), "{page}");
    }
}

/// Where `serve::prepare` says the site is served: its links depend on it.
const ADDRESS: &str = "127.0.0.1:1111";

/// What serve answers for each file a build from nothing makes, once its search index (made
/// after the pages, on a thread of its own) is ready.
fn served_files(
    served: &dayopps::serve::Served,
    expected: &BTreeMap<String, Vec<u8>>,
) -> BTreeMap<String, Vec<u8>> {
    served.wait_for_search().unwrap();
    expected
        .keys()
        // The live API answers under api/ in place of the static export's files.
        .filter(|path| !path.starts_with("api/"))
        .map(|path| (path.clone(), served.respond(&format!("/{path}")).body))
        .collect()
}

fn built_for_serve(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let mut options = site.options();
    options.base_url = Some(format!("http://{ADDRESS}/"));
    let mut files = outcome(dayopps::build_in_memory(&options)).unwrap();
    files.retain(|path, _| !path.starts_with("api/") && !path.starts_with("images/"));
    files
}

/// Serve makes the search index after the pages: once it is ready, every file it serves is
/// the one a build from nothing makes, search index included, even when a second save comes
/// before the first save's index is done (whose index then is either right or, when the
/// second's was asked for before its turn came, not made at all).
#[test]
fn serve_gives_what_a_build_from_nothing_gives_search_index_included() {
    let site = starting_site();
    let options = site.options();
    let mut reuse = Reuse::new();
    let (first, _) = dayopps::serve::prepare(&options, ADDRESS, &mut reuse).unwrap();
    let expected = built_for_serve(&site);
    assert!(expected.keys().any(|p| p.starts_with("search/index/")));
    assert!(expected.contains_key("search/meta.json"));
    same(&Ok(served_files(&first, &expected)), &Ok(expected));

    apply(&site, &Change::Summary(1), 1);
    let (second, _) = dayopps::serve::prepare(&options, ADDRESS, &mut reuse).unwrap();
    let after_second = built_for_serve(&site);
    apply(&site, &Change::Title(2), 2);
    let (third, _) = dayopps::serve::prepare(&options, ADDRESS, &mut reuse).unwrap();
    let after_third = built_for_serve(&site);
    same(&Ok(served_files(&third, &after_third)), &Ok(after_third));
    match second.wait_for_search() {
        Ok(()) => same(&Ok(served_files(&second, &after_second)), &Ok(after_second)),
        Err(message) => assert!(message.contains("a newer build replaced this one")),
    }
}

/// Sets every file under `dir` to have last changed an hour ago, as the files of a site being
/// edited mostly have: a file changed within the last seconds is always read again.
fn age_files(dir: &std::path::Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            age_files(&path);
        } else {
            set_an_hour_ago(&path);
        }
    }
}

fn set_an_hour_ago(path: &std::path::Path) {
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(an_hour_ago).unwrap();
}

/// A rebuild after one saved listing gives what a build from nothing gives, and reads and
/// checks again that listing alone: the work is in proportion to the change.
#[test]
fn a_saved_listing_alone_is_read_and_checked_again() {
    let site = starting_site();
    let options = site.options();
    age_files(site.root());
    let mut reuse = Reuse::new();
    rebuild_in_memory(&options, &mut reuse).unwrap();
    assert_eq!(
        reuse.files.made(),
        5,
        "the first build read site.yaml and 4 listings"
    );
    rebuild_in_memory(&options, &mut reuse).unwrap();
    assert_eq!(reuse.files.made(), 0, "nothing changed, nothing read");
    assert_eq!(reuse.listings.made(), 0, "nothing changed, nothing checked");
    assert_eq!(reuse.html.made(), 0, "nothing changed, nothing rendered");

    apply(&site, &Change::Summary(1), 1);
    same(
        &outcome(rebuild_in_memory(&options, &mut reuse)),
        &outcome(dayopps::build_in_memory(&options)),
    );
    assert_eq!(reuse.files.made(), 1, "the saved listing alone was read");
    assert_eq!(
        reuse.listings.made(),
        1,
        "the saved listing alone was checked"
    );
    // Its page, its two cards, and the lists it is on; not the other listings' pages.
    let rendered = reuse.html.made();
    assert!((3..20).contains(&rendered), "{rendered} pages rendered");
}

/// A file saved again with the same size and its modification time put back (as some
/// tools do) is still read again: the inode's change time tells.
#[test]
fn a_save_that_puts_the_modification_time_back_is_seen() {
    let site = starting_site();
    let options = site.options();
    age_files(site.root());
    let mut reuse = Reuse::new();
    rebuild_in_memory(&options, &mut reuse).unwrap();
    let names = listing_names(&site);
    let path = site.root().join("content/listings").join(&names[0]);
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replacen("summary: Gardening", "summary: Hardening", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    fs::write(&path, &edited).unwrap();
    set_an_hour_ago(&path);
    let rebuilt = outcome(rebuild_in_memory(&options, &mut reuse));
    same(&rebuilt, &outcome(dayopps::build_in_memory(&options)));
    assert_eq!(reuse.files.made(), 1);
}

/// What serve says of a site: its problems, or that it built.
fn served_outcome(site: &TestSite, reuse: &mut Reuse) -> Result<(), String> {
    match dayopps::serve::prepare(&site.options(), ADDRESS, reuse) {
        Ok((served, _)) => served.wait_for_exports().and(served.wait_for_api()),
        Err(BuildError::Content(d)) => Err(d.to_string()),
        Err(other) => Err(other.to_string()),
    }
}

/// A link broken by a save is reported by serve (which makes the exports after the pages)
/// as by a build from nothing, and goes away when mended; a link to an export's file is
/// not broken in either.
#[test]
fn a_link_broken_and_mended_is_seen_by_serve_as_by_a_build() {
    let site = starting_site();
    let mut reuse = Reuse::new();
    let path = site.root().join("content/listings/listing-0.md");
    let text = fs::read_to_string(&path).unwrap();
    let with = |link: &str| text.replacen("We grow vegetables.", link, 1);
    fs::write(
        &path,
        with("See [the feed](/feed.xml) and [the data](/services.csv)."),
    )
    .unwrap();
    assert_eq!(served_outcome(&site, &mut reuse), Ok(()));
    assert!(dayopps::build_in_memory(&site.options()).is_ok());

    fs::write(&path, with("See [nowhere](/nowhere/).")).unwrap();
    let served = served_outcome(&site, &mut reuse).unwrap_err();
    assert!(served.contains("nowhere"), "{served}");
    let built = outcome(dayopps::build_in_memory(&site.options())).unwrap_err();
    assert!(built.contains("nowhere"), "{built}");

    fs::write(&path, &text).unwrap();
    assert_eq!(served_outcome(&site, &mut reuse), Ok(()));
}

/// A facet value's last listing leaves it: its page loses the card, as in a build from
/// nothing.
#[test]
fn a_facet_value_losing_its_last_listing_loses_its_page() {
    let site = starting_site();
    let options = site.options();
    let mut reuse = Reuse::new();
    apply(&site, &Change::Needs(0), 0);
    let before = outcome(rebuild_in_memory(&options, &mut reuse)).unwrap();
    assert!(before.keys().any(|p| p.starts_with("needs/autism/")));
    let path = site
        .root()
        .join("content/listings")
        .join(&listing_names(&site)[0]);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("needs: [autism, ", "needs: [", 1)).unwrap();
    let after = outcome(rebuild_in_memory(&options, &mut reuse));
    same(&after, &outcome(dayopps::build_in_memory(&options)));
    let page = "needs/autism/index.html";
    assert_ne!(after.unwrap()[page], before[page], "the card left the page");
}

/// The path of a listing file relative to the site's root, as the watcher names it.
fn listing_path(name: &str) -> PathBuf {
    PathBuf::from("content/listings").join(name)
}

/// With a watcher telling what changed (as serve's does), a rebuild looks at the files it
/// named alone, not at every file of the listings folder: a saved, an added and a removed
/// listing. A change it could not name (its queue overflowed) has every file looked at
/// again. Each rebuild gives what a build from nothing gives.
#[test]
fn a_watched_rebuild_looks_at_the_named_files_alone_and_at_all_after_an_overflow() {
    let site = starting_site();
    let options = site.options();
    let dir = site.root().join("content/listings");
    age_files(site.root());
    let mut reuse = Reuse::new();
    reuse.files.watch();
    rebuild_in_memory(&options, &mut reuse).unwrap();
    assert_eq!(
        reuse.files.looked_at(),
        4,
        "the first load looks at every file"
    );

    let names = listing_names(&site);
    let edit = |name: &str, from: &str, to: &str| {
        let path = dir.join(name);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(&names[1], "summary: ", "summary: Saved. ");
    reuse.files.tell(Seen::Paths(vec![listing_path(&names[1])]));
    same(
        &outcome(rebuild_in_memory(&options, &mut reuse)),
        &outcome(dayopps::build_in_memory(&options)),
    );
    assert_eq!(
        reuse.files.looked_at(),
        1,
        "the saved file alone was looked at"
    );
    assert_eq!(reuse.files.made(), 1, "and read");

    fs::write(dir.join("new-club.md"), listing("New Club", "Green Trust")).unwrap();
    fs::remove_file(dir.join(&names[0])).unwrap();
    reuse.files.tell(Seen::Paths(vec![
        listing_path("new-club.md"),
        listing_path(&names[0]),
        PathBuf::from("content/listings/.new-club.md.swp"),
    ]));
    let rebuilt = outcome(rebuild_in_memory(&options, &mut reuse));
    same(&rebuilt, &outcome(dayopps::build_in_memory(&options)));
    let rebuilt = rebuilt.unwrap();
    assert!(rebuilt.contains_key("services/new-club/index.html"));
    assert_eq!(reuse.files.looked_at(), 2, "the new and the removed file");

    // The watcher missed this save, then said it could not name what changed.
    edit(&names[2], "summary: ", "summary: Missed. ");
    reuse.files.tell(Seen::Everything);
    let rebuilt = outcome(rebuild_in_memory(&options, &mut reuse));
    same(&rebuilt, &outcome(dayopps::build_in_memory(&options)));
    assert_eq!(reuse.files.looked_at(), 4, "every file looked at again");
    let page = String::from_utf8(rebuilt.unwrap()[&listing_page(&names[2])].clone()).unwrap();
    assert!(page.contains("Missed."), "the missed save is seen");
}

/// A change to the listings folder itself (moved away and back) has every file looked at.
#[test]
fn a_watched_rebuild_after_the_folder_moved_looks_at_every_file() {
    let site = starting_site();
    let options = site.options();
    let dir = site.root().join("content/listings");
    let mut reuse = Reuse::new();
    reuse.files.watch();
    rebuild_in_memory(&options, &mut reuse).unwrap();
    let aside = site.root().join("listings-aside");
    fs::rename(&dir, &aside).unwrap();
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("only-one.md"), listing("Only One", "Green Trust")).unwrap();
    reuse
        .files
        .tell(Seen::Paths(vec![PathBuf::from("content/listings")]));
    same(
        &outcome(rebuild_in_memory(&options, &mut reuse)),
        &outcome(dayopps::build_in_memory(&options)),
    );
    assert_eq!(reuse.files.looked_at(), 1, "the folder as it is now");
}

/// A failed rebuild (a broken listing) does not lose what the watcher told: the file mended
/// and named is read again, and the rebuild gives what a build from nothing gives.
#[test]
fn a_watched_rebuild_after_a_failed_one_gives_what_a_build_gives() {
    let site = starting_site();
    let options = site.options();
    let mut reuse = Reuse::new();
    reuse.files.watch();
    rebuild_in_memory(&options, &mut reuse).unwrap();
    let name = listing_names(&site)[3].clone();
    let path = site.root().join("content/listings").join(&name);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("title: ", "title: [unclosed ", 1)).unwrap();
    reuse.files.tell(Seen::Paths(vec![listing_path(&name)]));
    assert!(rebuild_in_memory(&options, &mut reuse).is_err());
    fs::write(&path, text.replacen("summary: ", "summary: Mended. ", 1)).unwrap();
    reuse.files.tell(Seen::Paths(vec![listing_path(&name)]));
    same(
        &outcome(rebuild_in_memory(&options, &mut reuse)),
        &outcome(dayopps::build_in_memory(&options)),
    );
}

fn listing_page(name: &str) -> String {
    let slug = name.trim_end_matches(".md");
    format!("services/{slug}/index.html")
}
