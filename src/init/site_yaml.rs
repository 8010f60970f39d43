//! The site.yaml that `dayopps init` writes: every setting a council is likely to change,
//! and the default vocabularies written out, each with a note on what it is for.

use std::fmt::Write;

use crate::model::vocab::{NAMES, default_terms};

use super::Settings;

/// What each vocabulary is for, said to the council's team editing site.yaml.
fn note(name: &str) -> &'static str {
    match name {
        "needs" => "Who a service is for.",
        "service_types" => "How a service is given.",
        "activities" => "What people do there.",
        "funding" => "How a place can be paid for.",
        "referral" => "How a person gets a place.",
        "accessibility" => "What helps disabled people use the service.",
        "outcomes" => "What a service helps people achieve.",
        _ => "Your own areas: each says whether it is inside your borough or county.",
    }
}

/// Areas have no default: two made-up ones show the form, for the council to replace.
const AREAS: &str = "    town-centre: { label: Town Centre, in_borough: true }
    neighbouring-borough: { label: Neighbouring Borough, in_borough: false }
";

pub fn text(s: &Settings) -> String {
    let mut out = format!(
        "\
# The settings of {council}'s directory of day opportunities.
# Lines that start with # are notes; dayopps ignores them.
# After a change, run `dayopps check` to find any mistake.

title: Day Opportunities Directory
council: {council}
# The address the site is published at. A sub-path such as https://example.gov.uk/day-services/
# works. The publish workflow replaces it with GitHub Pages' address.
base_url: {base_url}
language: en-GB
# The theme built into dayopps. To change one of its files, put your own version at the same
# path under themes/default/ (`dayopps theme eject` writes them all out to start from).
theme: default
# A table of postcodes and where they are, so that people can look for services near their
# postcode, and places without `lat`/`lon` are put on the map. It is a CSV file with the
# columns postcode, latitude and longitude (the ONS Postcode Directory's pcds, lat and long),
# cut from the ONS Postcode Directory (open data) for your area and its neighbours.
# Save it as data/postcodes.csv, then remove the # from the next line.
# postcodes: data/postcodes.csv
# Shown in the footer and the accessibility statement: replace these made-up details.
contact:
  phone: 01632 960000
  email: adult.social.care@example.org
# \"Report a problem with this entry\" on every service page e-mails contact.email above, with
# the service and its page filled in. To choose another way, take the # off these lines: an
# address for reports, or your GitHub repository (people then open an issue there, and
# providers get a link to edit their entry's file; the site's files must be at the top of
# the repository), or both.
# report:
#   email: directory@example.org
#   repository: https://github.com/your-council/day-opportunities
#   branch: main
intro: >-
  This directory lists day opportunities for adults who are disabled, older or living with
  mental ill health: day centres, clubs, courses, work and volunteering schemes, and support
  at home. You can look for a service yourself, or with your family, carer or social worker.

# The lists listings choose from. A listing writes a key (such as `dementia`); the site shows
# its label. You can change labels, remove terms you never use and add your own.
# A term can also have `synonyms` (other words people search for) and a `description`:
#   dementia: {{ label: Dementia, synonyms: [memory loss], description: A condition that ... }}
vocabularies:
",
        council = yaml_text(&s.council),
        base_url = s.base_url,
    );
    for name in NAMES {
        let _ = writeln!(out, "  # {}\n  {name}:", note(name));
        for (key, label) in default_terms(name) {
            let _ = writeln!(out, "    {key}: {{ label: {} }}", yaml_text(label));
        }
        if name == "areas" {
            out.push_str(AREAS);
        }
    }
    out
}

/// `text` as a plain YAML scalar, quoted when YAML would read it as something else.
fn yaml_text(text: &str) -> String {
    let plain = text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " '().-".contains(c))
        && !text.ends_with(' ');
    if plain {
        text.to_string()
    } else {
        // A JSON string is a YAML double-quoted scalar.
        serde_json::Value::from(text).to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_what_yaml_would_misread() {
        assert_eq!(
            super::yaml_text("Through the council's team"),
            "Through the council's team"
        );
        assert_eq!(
            super::yaml_text("Bath: and \"Wells\""),
            r#""Bath: and \"Wells\"""#
        );
        assert_eq!(super::yaml_text("- x"), r#""- x""#);
    }

    #[test]
    fn a_council_name_yaml_would_misread_is_read_back_as_written() {
        let council = "Bath & \"North\" East: Somerset # council\n- x";
        let settings = crate::init::Settings::new(Some(council.into()), None, time::Date::MIN);
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&super::text(&settings)).expect("valid YAML");
        assert_eq!(yaml["council"].as_str(), Some(council));
        assert_eq!(
            yaml["vocabularies"]["referral"]["brokerage"]["label"].as_str(),
            Some("Through the council's brokerage team")
        );
    }
}
