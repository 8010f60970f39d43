//! Plain-English checks: each rule warns at the right place with the exact advice, and
//! site.yaml's `checks` sets the limits.

mod common;

use common::{LISTING, SITE, TestSite};

/// The warnings of a site whose one listing is the standard one with `from` replaced by `to`.
fn warnings_of(site: TestSite) -> String {
    let built = site.build().expect("warnings never stop the build");
    built.diagnostics.to_string()
}

fn warnings(from: &str, to: &str) -> String {
    warnings_of(TestSite::new().listing_with("garden.md", from, to))
}

const HARD: &str = "Our organisation facilitates individualised, person-centred interventions optimising participants' independence through multidisciplinary collaboration and comprehensive assessment.";

#[test]
fn hard_summary() {
    assert_eq!(
        warnings("summary: Gardening for adults with learning disabilities.", &format!("summary: {HARD}")),
        "content/listings/garden.md:4:10: warning: this text is hard to read (reading ease -116; aim for 60 or more)
  help: use shorter sentences and everyday words: \"help\" not \"facilitate\", \"about\" not \"approximately\"\n"
    );
}

#[test]
fn long_sentence_in_the_description() {
    let long = "We meet every week in the hall by the park and we grow beans and peas and we cook them and we eat them together at one.";
    assert_eq!(
        warnings("We grow vegetables.", long),
        "content/listings/garden.md:23:1: warning: in the description, the sentence \"We meet every week in the…\" has 27 words; keep sentences to 25 or fewer
  help: split it into two sentences\n"
    );
}

#[test]
fn long_easy_read_sentence() {
    assert_eq!(
        warnings("easy_read: We grow food.", "easy_read: We grow food and we cook it and we eat it with our friends every single week."),
        "content/listings/garden.md:21:12: warning: the sentence \"We grow food and we cook…\" has 17 words; keep sentences to 15 or fewer
  help: Easy Read works best with one idea per sentence\n"
    );
}

#[test]
fn block_capitals() {
    assert_eq!(
        warnings("summary: Gardening for", "summary: PLEASE BOOK AHEAD. Gardening for"),
        "content/listings/garden.md:4:10: warning: \"PLEASE BOOK AHEAD\" is in capital letters, which are harder to read
  help: write it in normal sentence case; use bold in the description if it must stand out\n"
    );
}

#[test]
fn alt_text_that_does_not_describe() {
    for (alt, message) in [
        (
            "IMG_2041.jpg",
            "the alt text \"IMG_2041.jpg\" is a file name",
        ),
        (
            "Picture of a garden",
            "the alt text \"Picture of a garden\" starts by saying it is a picture",
        ),
    ] {
        let site = TestSite::new()
            .file("content/images/garden.png", "png")
            .listing_with(
                "garden.md",
                "easy_read:",
                &format!("images: [{{src: garden.png, alt: \"{alt}\"}}]\neasy_read:"),
            );
        let w = warnings_of(site);
        assert!(
            w.starts_with(&format!(
                "content/listings/garden.md:21:33: warning: {message}"
            )),
            "{w}"
        );
    }
    let long = "a picture ".repeat(16);
    let site = TestSite::new()
        .file("content/images/garden.png", "png")
        .listing_with(
            "garden.md",
            "easy_read:",
            &format!("images: [{{src: garden.png, alt: \"A garden, {long}\"}}]\neasy_read:"),
        );
    assert!(
        warnings_of(site)
            .contains("warning: the alt text is 169 characters long; keep it under 150")
    );
}

#[test]
fn headings_in_order_and_link_text() {
    let w = warnings(
        "We grow vegetables.",
        "## Our garden\n\n#### Tools\n\n[click here](https://garden.example) for more.",
    );
    assert_eq!(
        w,
        "content/listings/garden.md:25:1: warning: this heading jumps from level 2 to level 4
  help: use the next level down, such as ## after the title, then ###
content/listings/garden.md:27:1: warning: the link text \"click here\" does not say where it goes
  help: say what the link leads to, such as [our timetable](https://…)\n"
    );
}

#[test]
fn phone_numbers_in_their_usual_groups() {
    assert_eq!(
        warnings("phone: 020 7946 0001", "phone: 02079 460001"),
        "content/listings/garden.md:19:10: warning: write the phone number as `020 7946 0001`
  help: UK numbers are easiest to read and to say in their usual groups\n"
    );
}

#[test]
fn opening_times_a_screen_reader_reads_well() {
    assert_eq!(
        warnings(
            "funding: [commissioned]",
            "schedule_notes: Open 9.30-3 in August.\nfunding: [commissioned]"
        ),
        "content/listings/garden.md:16:17: warning: \"9.30-3\" is read out badly by screen readers
  help: write ranges with \"to\", such as \"9am to 5pm\"\n"
    );
    assert!(
        warnings(
            "funding: [commissioned]",
            "schedule_notes: Closed Mon in August.\nfunding: [commissioned]"
        )
        .contains("warning: \"Mon\" is a shortened day name")
    );
}

#[test]
fn site_yaml_sets_the_limits() {
    let strict = format!("{SITE}checks:\n  reading_ease: 0\n  sentence_words: 5\n");
    let site = TestSite::new().file("site.yaml", &strict).listing_with(
        "garden.md",
        "summary: Gardening for adults with learning disabilities.",
        &format!("summary: {HARD}"),
    );
    let w = warnings_of(site);
    assert!(
        !w.contains("hard to read"),
        "reading_ease: 0 turns that check off: {w}"
    );
    assert!(w.contains("keep sentences to 5 or fewer"), "{w}");
    let wrong = format!("{SITE}checks: {{ reading_ease: high }}\n");
    let errors = TestSite::new()
        .file("site.yaml", &wrong)
        .listing("garden.md", LISTING)
        .errors();
    assert_eq!(
        errors.trim_end(),
        "site.yaml:9:25: error: `reading_ease` should be a number from 0 to 100
  help: for example: `checks: { reading_ease: 60, sentence_words: 25 }`"
    );
}
