//! Hostile and broken input: each file gets a clear error naming it, or is made harmless;
//! nothing panics, hangs or writes outside the output.

mod common;

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::Duration;

use common::{LISTING, TestSite, repo};
use dayopps::BuildError;
use scraper::{Html, Selector};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/hostile").join(name)).expect("fixture")
}

/// Builds `site` on another thread, failing the test if it takes more than 20 seconds.
fn build_in_time(site: &TestSite) -> Result<dayopps::Built, BuildError> {
    let options = site.options();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(dayopps::build(&options));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the build finished in time without panicking")
}

fn site_with(name: &str, bytes: &[u8]) -> TestSite {
    let site = TestSite::new();
    let path = site.root().join("content/listings").join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, bytes).expect("written");
    site
}

/// The problems of a site that must fail, as text.
fn errors(site: &TestSite) -> String {
    match build_in_time(site) {
        Err(BuildError::Content(d)) => d.to_string(),
        Err(other) => panic!("expected content errors, got: {other}"),
        Ok(_) => panic!("expected content errors, the build passed"),
    }
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let errors = errors(&site_with("laughs.yaml", &fixture("billion-laughs.yaml")));
    assert!(
        errors.starts_with("content/listings/laughs.yaml:"),
        "{errors}"
    );
    assert!(
        errors.contains("not valid YAML: repetition limit exceeded"),
        "{errors}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let errors = errors(&site_with("deep.yaml", &fixture("deep-nesting.yaml")));
    assert!(errors.contains("content/listings/deep.yaml:1:"), "{errors}");
    assert!(errors.contains("recursion limit exceeded"), "{errors}");
}

#[test]
fn tabs_are_explained() {
    let errors = errors(&site_with("tabs.md", &fixture("tabs.md")));
    assert!(errors.contains("content/listings/tabs.md:3:"), "{errors}");
    assert!(
        errors.contains("YAML cannot be indented with tabs: use spaces"),
        "{errors}"
    );
}

#[test]
fn byte_order_mark_and_windows_line_ends_build() {
    let site = site_with("windows-club.md", &fixture("bom-crlf.md"));
    build_in_time(&site).expect("builds");
    assert!(
        site.read("services/windows-club/index.html")
            .contains("Windows Club")
    );
}

#[test]
fn empty_file_unclosed_front_matter_and_non_utf8() {
    let site = site_with("empty.md", &fixture("empty.md"));
    let site = site.listing(
        "unclosed.md",
        &String::from_utf8(fixture("unclosed.md")).expect("utf-8"),
    );
    std::fs::write(
        site.root().join("content/listings/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .expect("written");
    let errors = errors(&site);
    assert!(
        errors.contains("content/listings/empty.md:1:1: error: this listing is empty"),
        "{errors}"
    );
    assert!(errors.contains("content/listings/latin1.md:1:1: error: this file is not UTF-8 text (bad byte at position 14)"), "{errors}");
    assert!(
        errors.contains(
            "content/listings/unclosed.md:1:1: error: the fields are not closed with a `---` line"
        ),
        "{errors}"
    );
}

#[test]
fn a_huge_file_is_refused_with_its_size() {
    let huge = format!(
        "{LISTING}{}",
        "Lorem ipsum dolor sit amet. ".repeat(10 * 1024 * 1024 / 28)
    );
    let errors = errors(&site_with("huge.md", huge.as_bytes()));
    assert!(errors.contains("content/listings/huge.md:1:1: error: this file is 10240 KB, more than the 512 KB allowed"), "{errors}");
}

#[test]
fn numbers_where_text_belongs_and_the_reverse() {
    let errors = errors(&site_with("types.md", &fixture("numbers-and-strings.md")));
    for expected in [
        "types.md:4:10: error: `summary` should be text, not a list",
        "types.md:6:17: error: `service_types` should be a list, not a set of fields",
        "types.md:7:7: error: `7` is not one of the `areas` in site.yaml",
        "types.md:8:11: error: `schedule` should be a list, not text",
        "types.md:11:10: error: `contact` should be a set of fields, not text",
        "types.md:12:10: error: `updated` should be a date written YYYY-MM-DD",
        "types.md:13:13: error: `accredited` should be true or false, not text",
        "types.md:14:17: error: `term_time_only` should be true or false, not a number",
    ] {
        assert!(
            errors.contains(expected),
            "missing {expected:?} in:\n{errors}"
        );
    }
    assert!(
        !errors.contains("`title`"),
        "a number is fine as a title:\n{errors}"
    );
}

#[test]
fn image_paths_stay_inside_the_images_folder() {
    for src in [
        "../../site.yaml",
        "/etc/passwd",
        "https://evil.example/x.png",
        "..\\\\secret.png",
    ] {
        let listing = LISTING.replace(
            "easy_read:",
            &format!("images: [{{src: \"{src}\", alt: A picture}}]\neasy_read:"),
        );
        let errors = errors(&TestSite::new().listing("garden.md", &listing));
        assert!(
            errors.contains("content/listings/garden.md:21:"),
            "{src}: {errors}"
        );
        assert!(
            errors.contains("is not a file name in content/images/"),
            "{src}: {errors}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_content_folder_is_refused() {
    let site = TestSite::new().listing("garden.md", LISTING);
    std::os::unix::fs::symlink(
        "/etc/passwd",
        site.root().join("content/listings/passwd.md"),
    )
    .expect("symlink");
    let errors = errors(&site);
    assert!(
        errors.contains("content/listings/passwd.md:1:1: error: links are not allowed in content"),
        "{errors}"
    );
}

/// Element names, attribute names and URL schemes in a built page.
fn inventory(html: &str) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").expect("selector");
    let (mut elements, mut attributes, mut schemes) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for el in doc.select(&all) {
        elements.insert(el.value().name().to_string());
        for (name, value) in el.value().attrs() {
            attributes.insert(name.to_string());
            if matches!(name, "href" | "src" | "action" | "srcset" | "formaction") {
                let v = value.trim().to_lowercase();
                let scheme = match v.split_once(':') {
                    Some((s, _)) if !s.contains('/') && !s.contains('?') && !s.contains('#') => {
                        s.to_string()
                    }
                    _ => "relative".to_string(),
                };
                schemes.insert(scheme);
            }
        }
    }
    (elements, attributes, schemes)
}

#[test]
fn content_cannot_add_elements_attributes_or_url_schemes() {
    let theme = what_the_theme_writes();
    let site = TestSite::new()
        .listing(
            "hostile-fields.md",
            &String::from_utf8(fixture("xss-fields.md")).expect("utf-8"),
        )
        .listing(
            "hostile-markdown.md",
            &String::from_utf8(fixture("xss-markdown.md")).expect("utf-8"),
        );
    let built = build_in_time(&site).expect("hostile text is neutralised, not fatal");
    assert!(
        built
            .diagnostics
            .to_string()
            .contains("HTML is not allowed")
    );
    for page in [
        "services/hostile-fields/index.html",
        "services/hostile-markdown/index.html",
        "services/index.html",
        "index.html",
    ] {
        content_adds_no_markup(page, &site.read(page), &theme);
    }
    let markdown = site.read("services/hostile-markdown/index.html");
    assert!(
        markdown.contains("https://fine.example")
            && markdown.contains("mailto:a@b.example")
            && markdown.contains("tel:02079460000"),
        "safe links are kept"
    );
    assert!(
        markdown.contains("{{ site.title }}"),
        "template syntax in content is shown as text"
    );
    assert!(
        site.read("services/hostile-fields/index.html")
            .contains("{{ 7*7 }}"),
        "template syntax in fields is not evaluated"
    );
}

/// Element and attribute names the theme itself writes, seen on a listing that uses every
/// field: on its page, the list of services and the home page.
fn what_the_theme_writes() -> (BTreeSet<String>, BTreeSet<String>) {
    let everything =
        std::fs::read_to_string(repo().join("tests/fixtures/everything.md")).expect("fixture");
    let benign = TestSite::new()
        .file("content/images/garden.png", "png")
        .listing("everything.md", &everything);
    build_in_time(&benign).expect("builds");
    let (mut theme_elements, mut theme_attributes) = (BTreeSet::new(), BTreeSet::new());
    for page in [
        "services/everything/index.html",
        "services/index.html",
        "index.html",
    ] {
        let (e, a, _) = inventory(&benign.read(page));
        theme_elements.extend(e);
        theme_attributes.extend(a);
    }
    (theme_elements, theme_attributes)
}

/// Whatever the theme does not write itself, and Markdown may not, came from a listing.
fn content_adds_no_markup(
    page: &str,
    html: &str,
    (theme_elements, theme_attributes): &(BTreeSet<String>, BTreeSet<String>),
) {
    let markdown_elements: BTreeSet<String> = dayopps::text::markdown::ALLOWED_TAGS
        .map(String::from)
        .into();
    let (elements, attributes, schemes) = inventory(html);
    let extra: Vec<_> = elements
        .iter()
        .filter(|e| !theme_elements.contains(*e) && !markdown_elements.contains(*e))
        .collect();
    assert!(extra.is_empty(), "{page}: content added elements {extra:?}");
    let extra: Vec<_> = attributes
        .iter()
        .filter(|a| {
            !theme_attributes.contains(*a) && !["rel", "title", "alt", "src"].contains(&a.as_str())
        })
        .collect();
    assert!(
        extra.is_empty(),
        "{page}: content added attributes {extra:?}"
    );
    let bad: Vec<_> = schemes
        .iter()
        .filter(|s| !["http", "https", "mailto", "tel", "relative"].contains(&s.as_str()))
        .collect();
    assert!(bad.is_empty(), "{page}: URL schemes {bad:?}");
    for word in ["<script", "<iframe", "<svg", "<base", "<style"] {
        let body = html.split("</head>").nth(1).expect("body");
        let lower = body.to_lowercase();
        let raw = lower
            .match_indices(word)
            .filter(|(i, _)| !lower[..*i].ends_with("&lt;"))
            .count();
        assert_eq!(raw, 0, "{page}: {word} appears as markup");
    }
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let site = TestSite::new().listing("garden.md", LISTING).listing(
        "dots.md",
        &LISTING.replace("title: Garden Club", "title: ../../../escape"),
    );
    build_in_time(&site).expect("builds");
    let outside: Vec<_> = walkdir::WalkDir::new(site.root())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(site.root())
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| {
            !p.is_empty()
                && !p.starts_with("public")
                && !p.starts_with("content")
                && !p.starts_with("themes")
                && p != "site.yaml"
        })
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}
