//! Every kind of bad input gets a message naming file:line:col, what is wrong and how to fix it,
//! and every problem of every file comes out in one run.

mod common;

use common::{LISTING, SITE, TestSite};

/// The problems of a site whose one listing is the standard one with `from` replaced by `to`.
fn errors_of(from: &str, to: &str) -> String {
    TestSite::new().listing_with("garden.md", from, to).errors()
}

fn assert_errors(from: &str, to: &str, expected: &str) {
    assert_eq!(errors_of(from, to).trim_end(), expected.trim_end());
}

#[test]
fn unknown_vocabulary_key_suggests_the_nearest() {
    assert_errors(
        "needs: [learning-disabilities]",
        "needs: [demntia]",
        "content/listings/garden.md:5:9: error: `demntia` is not one of the `needs` in site.yaml
  help: did you mean `dementia`?",
    );
}

#[test]
fn a_label_instead_of_a_key_gets_the_key() {
    assert_errors(
        "needs: [learning-disabilities]",
        "needs: [Dementia]",
        "content/listings/garden.md:5:9: error: `Dementia` is not one of the `needs` in site.yaml
  help: use the key, not the label: `dementia`",
    );
}

#[test]
fn missing_required_field() {
    assert_errors(
        "title: Garden Club\n",
        "",
        "content/listings/garden.md:2:1: error: `title` is missing
  help: add it, for example: `title: Riverside Garden Project`",
    );
}

#[test]
fn unknown_field_suggests_the_field_meant() {
    assert_errors(
        "summary: Gardening",
        "summery: Gardening",
        "content/listings/garden.md:2:1: error: `summary` is missing
  help: add it, for example: `summary: Gardening and cookery for adults with learning disabilities.`
content/listings/garden.md:4:1: error: unknown field `summery`
  help: did you mean `summary`?",
    );
}

#[test]
fn unknown_area() {
    assert_errors(
        "area: north",
        "area: nort",
        "content/listings/garden.md:7:7: error: `nort` is not one of the `areas` in site.yaml
  help: did you mean `north`?",
    );
}

#[test]
fn bad_postcode() {
    assert_errors(
        "postcode: E10 5QX",
        "postcode: E10 5Q",
        "content/listings/garden.md:11:15: error: `E10 5Q` is not a UK postcode
  help: write the full postcode, such as `E10 5QX`",
    );
}

#[test]
fn bad_time() {
    assert_errors(
        "from: \"09:30\"",
        "from: \"9.30\"",
        "content/listings/garden.md:14:11: error: `9.30` is not a 24-hour time
  help: write it in quotes with two digits for the hour, such as `from: \"09:30\"`",
    );
}

#[test]
fn session_ending_before_it_starts() {
    assert_errors(
        "to: \"15:00\"",
        "to: \"08:00\"",
        "content/listings/garden.md:15:9: error: this session ends (08:00) before it starts (09:30)
  help: check `from` and `to`: times are 24-hour, so 3pm is \"15:00\"",
    );
}

#[test]
fn impossible_date() {
    assert_errors(
        "updated: 2026-01-01",
        "updated: 2026-02-30",
        "content/listings/garden.md:20:10: error: `updated` should be a date written YYYY-MM-DD (2026-02-30 is not a real date)
  help: for example: `updated: 2024-03-11`",
    );
}

#[test]
fn date_in_the_wrong_format() {
    assert_errors(
        "updated: 2026-01-01",
        "updated: 01/01/2026",
        "content/listings/garden.md:20:10: error: `updated` should be a date written YYYY-MM-DD
  help: for example: `updated: 2024-03-11`",
    );
}

#[test]
fn bad_email() {
    assert_errors(
        "phone: 020 7946 0001",
        "email: hello@garden",
        "content/listings/garden.md:19:10: error: `hello@garden` is not an email address
  help: an email address looks like `name@example.org`",
    );
}

#[test]
fn website_without_scheme() {
    assert_errors(
        "phone: 020 7946 0001",
        "website: www.garden.example",
        "content/listings/garden.md:19:12: error: `www.garden.example` is not a full web address
  help: start it with https://, for example `https://www.garden.example`",
    );
}

#[test]
fn javascript_website_is_refused() {
    assert_errors(
        "phone: 020 7946 0001",
        "website: javascript:alert(1)",
        "content/listings/garden.md:19:12: error: `javascript:alert(1)` is not a full web address
  help: only http:// and https:// addresses can be used",
    );
}

#[test]
fn day_written_in_full() {
    assert_errors(
        "days: [mon, tue, wed]",
        "days: [monday, tue, wed]",
        "content/listings/garden.md:13:12: error: `monday` is not a day
  help: write `mon`; days are mon, tue, wed, thu, fri, sat and sun",
    );
}

#[test]
fn empty_required_list() {
    assert_errors(
        "needs: [learning-disabilities]",
        "needs: []",
        "content/listings/garden.md:5:8: error: `needs` needs at least one value
  help: for example: `needs: [learning-disabilities, autism]`",
    );
}

#[test]
fn missing_image() {
    assert_errors(
        "referral: [self-referral]\n",
        "referral: [self-referral]\nimages: [{src: missing.png, alt: A garden}]\n",
        "content/listings/garden.md:18:16: error: the image `missing.png` is not in content/images/
  help: add the picture to content/images/, or check the spelling of its name",
    );
}

#[test]
fn image_without_alt_text() {
    let site = TestSite::new()
        .file("content/images/garden.png", "not really a png")
        .listing_with(
            "garden.md",
            "referral: [self-referral]\n",
            "referral: [self-referral]\nimages:\n  - src: garden.png\n",
        );
    assert_eq!(
        site.errors().trim_end(),
        "content/listings/garden.md:19:5: error: the image `garden.png` has no alt text
  help: add `alt:` describing what the picture shows, for people who cannot see it"
    );
}

#[test]
fn image_path_cannot_leave_the_images_folder() {
    assert_errors(
        "referral: [self-referral]\n",
        "referral: [self-referral]\nimages: [{src: ../../site.yaml, alt: x}]\n",
        "content/listings/garden.md:18:16: error: `../../site.yaml` is not a file name in content/images/
  help: give just the file's name, such as `garden.jpg`",
    );
}

#[test]
fn yaml_syntax_error() {
    assert_errors(
        "title: Garden Club",
        "title: [Garden Club",
        "content/listings/garden.md:3:9: error: this is not valid YAML: did not find expected ',' or ']'
  help: check the indentation, and put text that contains `: ` or starts with a symbol in quotes",
    );
}

#[test]
fn duplicate_field() {
    assert_errors(
        "title: Garden Club",
        "title: Garden Club\ntitle: Again",
        "content/listings/garden.md:2:1: error: this is not valid YAML: duplicate entry with key \"title\"
  help: each field may appear only once: remove or merge the repeated one",
    );
}

#[test]
fn cost_with_pound_sign_and_misspelt_period() {
    assert_errors(
        "funding: [commissioned]",
        "funding: [commissioned]\ncosts: [{amount: \"£45\", per: sesion}]",
        "content/listings/garden.md:17:18: error: `amount` should be a number of pounds with at most two decimals
  help: write it without the £ sign, such as `amount: 45.00`
content/listings/garden.md:17:30: error: `sesion` is not a choice for `per`
  help: did you mean `session`?",
    );
}

#[test]
fn contact_with_nothing_in_it() {
    assert_errors(
        "contact:\n  phone: 020 7946 0001",
        "contact: {}",
        "content/listings/garden.md:18:10: error: `contact` needs a phone number, an email address or a website
  help: add at least one, for example: `phone: 020 8496 0000`",
    );
}

#[test]
fn summary_too_long() {
    let long = format!("summary: {}", "We grow food. ".repeat(25));
    assert_errors(
        "summary: Gardening for adults with learning disabilities.",
        &long,
        "content/listings/garden.md:4:10: error: the summary is 349 characters long; the most is 300
  help: shorten it to one or two sentences: the description is the place for detail",
    );
}

#[test]
fn locations_needed_for_a_building_based_service() {
    assert_errors(
        "locations:\n  - name: The Hub\n    address: 1 High Street\n    postcode: E10 5QX\n",
        "",
        "content/listings/garden.md:2:1: error: `locations` is missing
  help: add it, for example: `locations: [{ name: Riverside Hub, address: 12 Example Road, postcode: E10 5QX }]`",
    );
}

#[test]
fn empty_schedule_needs_notes() {
    assert_errors(
        "schedule:\n  - days: [mon, tue, wed]\n    from: \"09:30\"\n    to: \"15:00\"\n",
        "schedule: []\n",
        "content/listings/garden.md:12:11: error: `schedule` is empty, so `schedule_notes` must say when the service runs
  help: add sessions, or for example: `schedule_notes: Times are arranged with each person.`",
    );
}

#[test]
fn half_a_map_position() {
    assert_errors(
        "    postcode: E10 5QX",
        "    postcode: E10 5QX\n    lat: 51.5",
        "content/listings/garden.md:12:10: error: give both `lat` and `lon`, or neither
  help: add the missing one, or remove this one",
    );
}

#[test]
fn file_name_that_is_not_a_slug() {
    let site = TestSite::new().listing("Garden Club.md", LISTING);
    assert_eq!(
        site.errors().trim_end(),
        "content/listings/Garden Club.md:1:1: error: `Garden Club` cannot be used as a web address
  help: rename the file to `garden-club.md`: lower-case letters, digits and hyphens only"
    );
}

#[test]
fn two_files_with_one_slug() {
    let yaml = LISTING.replace("---\n", "").replace(
        "We grow vegetables.\n",
        "description: We grow vegetables.\n",
    );
    let site = TestSite::new()
        .listing("garden.md", LISTING)
        .listing("garden.yaml", &yaml);
    assert_eq!(
        site.errors().trim_end(),
        "content/listings/garden.yaml:1:1: error: another listing already uses the address /services/garden/
  help: content/listings/garden.md and this file would make the same page: rename or remove one of them"
    );
}

#[test]
fn no_front_matter() {
    let site = TestSite::new().listing("garden.md", "title: Garden Club\n");
    assert_eq!(
        site.errors().trim_end(),
        "content/listings/garden.md:1:1: error: this file does not start with `---`
  help: the fields go first, between two lines of three hyphens (---), then the description"
    );
}

#[test]
fn site_yaml_problems_are_reported_too() {
    let site = TestSite::new()
        .file(
            "site.yaml",
            &SITE.replace("in_borough: true", "in_borough: yes please"),
        )
        .listing("garden.md", LISTING);
    assert_eq!(
        site.errors().trim_end(),
        "site.yaml:7:40: error: `in_borough` should be true or false, not text
  help: write it like this: `in_borough: true`"
    );
}

#[test]
fn page_with_a_misspelt_field() {
    let site = TestSite::new().file("content/pages/about.md", "---\ntitel: About\n---\nHi");
    assert_eq!(
        site.errors().trim_end(),
        "content/pages/about.md:2:1: error: `title` is missing
  help: add it, for example: `title: About this directory`
content/pages/about.md:2:1: error: unknown field `titel`
  help: did you mean `title`?"
    );
}

#[test]
fn every_problem_in_every_file_in_one_run() {
    let site = TestSite::new()
        .listing_with("a.md", "area: north", "area: nort")
        .listing_with("b.md", "postcode: E10 5QX", "postcode: nowhere")
        .listing_with(
            "c.md",
            "needs: [learning-disabilities]",
            "needs: [demntia, autsim]",
        );
    let errors = site.errors();
    let lines: Vec<&str> = errors
        .lines()
        .filter(|l| !l.starts_with("  help"))
        .collect();
    assert_eq!(
        lines,
        [
            "content/listings/a.md:7:7: error: `nort` is not one of the `areas` in site.yaml",
            "content/listings/b.md:11:15: error: `nowhere` is not a UK postcode",
            "content/listings/c.md:5:9: error: `demntia` is not one of the `needs` in site.yaml",
            "content/listings/c.md:5:18: error: `autsim` is not one of the `needs` in site.yaml",
        ]
    );
}

#[test]
fn raw_html_and_unsafe_links_are_warnings_and_removed() {
    let site = TestSite::new().listing_with(
        "garden.md",
        "We grow vegetables.",
        "We grow <script>alert(1)</script> [x](javascript:alert(1))",
    );
    let built = site.build().expect("warnings do not stop the build");
    let warnings = built.diagnostics.to_string();
    assert!(warnings.contains("content/listings/garden.md:23:9: warning: HTML is not allowed in descriptions, so it was left out"), "{warnings}");
    assert!(
        warnings.contains("warning: the link to `javascript:alert(1)` was left out"),
        "{warnings}"
    );
    let page = site.read("services/garden/index.html");
    assert!(
        !page.contains("<script>alert") && !page.contains("javascript:"),
        "{page}"
    );
}

#[test]
fn stale_listing_is_a_warning_not_an_error() {
    let site =
        TestSite::new().listing_with("garden.md", "updated: 2026-01-01", "updated: 2024-01-01");
    let built = site.build().expect("stale listings still build");
    assert_eq!(
        built.diagnostics.to_string().trim_end(),
        "content/listings/garden.md:20:10: warning: stale: this listing was due to be checked by 1 January 2025
  help: check the details with the provider, then set `updated:` to the date you checked them"
    );
}

#[test]
fn the_graphical_report_shows_the_line_and_a_caret() {
    let site = TestSite::new().listing_with(
        "garden.md",
        "needs: [learning-disabilities]",
        "needs: [demntia]",
    );
    let Err(dayopps::BuildError::Content(d)) = dayopps::build_in_memory(&site.options()) else {
        panic!("expected content errors");
    };
    let report: String = d.iter().map(|d| d.render_graphical(false)).collect();
    insta::assert_snapshot!(report);
}

/// Regression: a missing required field once stopped the reading of the fields after it.
#[test]
fn a_missing_field_does_not_hide_later_problems() {
    let listing = LISTING
        .replace("title: Garden Club\n", "")
        .replace("postcode: E10 5QX", "postcode: nowhere")
        .replace("updated: 2026-01-01", "updated: 2026-01-01\nvacancies: ful");
    let errors = TestSite::new().listing("garden.md", &listing).errors();
    let lines: Vec<&str> = errors
        .lines()
        .filter(|l| !l.starts_with("  help"))
        .collect();
    assert_eq!(
        lines,
        [
            "content/listings/garden.md:2:1: error: `title` is missing",
            "content/listings/garden.md:10:15: error: `nowhere` is not a UK postcode",
            "content/listings/garden.md:20:12: error: `ful` is not a choice for `vacancies`",
        ]
    );
}

/// A site with pages to link to, and a listing whose description ends with `extra`.
fn site_with_links(page: &str, extra: &str) -> TestSite {
    TestSite::new()
        .file(
            "content/pages/providers.md",
            "---\ntitle: Guide for providers\n---\nHow to change your entry.\n",
        )
        .file(
            "content/pages/how-to-apply.md",
            "---\ntitle: How to apply\n---\nAsk your social worker.\n",
        )
        .file("content/pages/about.md", page)
        .listing_with(
            "garden.md",
            "We grow vegetables.\n",
            &format!("We grow vegetables.\n{extra}"),
        )
}

#[test]
fn broken_links_in_pages_and_descriptions_are_errors_and_nothing_is_written() {
    let site = site_with_links(
        "---\ntitle: About\n---\nWho we are.\n\nRead the [guide for providers](/providrs/).\n",
        "\nSee [how to apply](https://example.gov.uk/how-to-aply/).\n",
    );
    assert_eq!(
        site.errors().trim_end(),
        "content/listings/garden.md:25:5: error: the link to `https://example.gov.uk/how-to-aply/` leads to no page of this site
  help: did you mean `/how-to-apply/`?
content/pages/about.md:6:10: error: the link to `/providrs/` leads to no page of this site
  help: did you mean `/providers/`?"
    );
    assert!(matches!(site.build(), Err(dayopps::BuildError::Content(_))));
    let left: Vec<_> = std::fs::read_dir(site.root())
        .expect("the site's folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("public"))
        .collect();
    assert!(left.is_empty(), "a failed build wrote {left:?}");
}

#[test]
fn links_that_lead_to_pages_files_or_places_on_the_page_pass() {
    let site = site_with_links(
        "---\ntitle: About\n---\n[Garden Club]({{ site.base_url }}services/garden/), \
         [the A to Z](https://example.gov.uk/services), [top](#top), [the feed](/feed.xml), \
         [search](/search/?q=garden#results), [home](../), [another site](https://example.org/x/), \
         [email](mailto:help@test.example).\n",
        "\n[North](/areas/north/), [the guide](../../providers/), [apply](/how-to-apply), \
         [the data](/services.csv).\n",
    );
    let built = site.build().expect("every link leads somewhere");
    assert!(built.diagnostics.is_empty(), "{}", built.diagnostics);
    let about = site.read("about/index.html");
    assert!(
        about.contains(r#"href="../""#),
        "relative links are kept: {about}"
    );
}

#[test]
fn a_sub_path_site_checks_links_under_its_own_path() {
    let site = site_with_links(
        "---\ntitle: About\n---\n[Guide](/providers/) and [the bins](https://example.gov.uk/bins/) \
         are fine.\n\n{{ site.title }} says: [Apply]({{ site.base_url }}how-to-aply/) is not.\n",
        "\n[The guide](https://example.gov.uk/day-services/providers/), [gone](/gone/).\n",
    );
    let mut options = site.options();
    options.base_url = Some("https://example.gov.uk/day-services/".into());
    let Err(dayopps::BuildError::Content(d)) = dayopps::build_in_memory(&options) else {
        panic!("expected the broken links to be errors");
    };
    assert_eq!(
        d.to_string().trim_end(),
        "content/listings/garden.md:25:62: error: the link to `/gone/` leads to no page of this site
  help: check the address: a link to a page of this site starts with /, such as `/services/`; a link to another website starts with https://
content/pages/about.md:6:24: error: the link to `https://example.gov.uk/day-services/how-to-aply/` leads to no page of this site
  help: did you mean `/how-to-apply/`?"
    );
}

/// Authors copy addresses from the published site, sub-path and all; a link from / gets the
/// sub-path put in front, so the build says what to write instead.
#[test]
fn a_link_that_repeats_the_sub_path_says_what_to_write() {
    let site = site_with_links(
        "---\ntitle: About\n---\nSee [North](/day-services/areas/north/).\n",
        "",
    );
    let mut options = site.options();
    options.base_url = Some("https://example.gov.uk/day-services/".into());
    let Err(dayopps::BuildError::Content(d)) = dayopps::build_in_memory(&options) else {
        panic!("expected the link to be an error");
    };
    assert_eq!(
        d.to_string().trim_end(),
        "content/pages/about.md:4:5: error: the link to `/day-services/areas/north/` leads to no page of this site
  help: the site is published under `/day-services/`, and a link that starts with / gets that in front of it already: write `/areas/north/`"
    );
}

#[test]
fn the_graphical_report_draws_a_broken_link() {
    let site = site_with_links(
        "---\ntitle: About\n---\nRead the [guide for providers](/providrs/).\n",
        "",
    );
    let Err(dayopps::BuildError::Content(d)) = dayopps::build_in_memory(&site.options()) else {
        panic!("expected content errors");
    };
    let report: String = d.iter().map(|d| d.render_graphical(false)).collect();
    insta::assert_snapshot!(report);
}
