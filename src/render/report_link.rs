//! "Report a problem with this entry": a prefilled e-mail or GitHub issue naming the service
//! and its page, and for a repository an edit link to the listing's own file, as site.yaml
//! `report` asks (falling back to the site's `contact.email`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::model::{Listing, SiteConfig};

/// Everything but letters, digits and `-._~`, the characters a URL never needs escaped.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An e-mail address in a `mailto:`: `@` stays, `?`, `#`, `%` and the like are escaped.
const ADDRESS: &AsciiSet = &COMPONENT.remove(b'@').remove(b'+');

#[derive(Serialize, Default)]
pub struct ReportView {
    /// Where "Report a problem with this entry" goes; absent when the site gives no way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// `email` or `github`, so a theme can say where the link leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<&'static str>,
    /// GitHub's editor on the listing's file, for providers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_href: Option<String>,
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// The listing's file as a path inside the repository, each part escaped.
fn source_path(l: &Listing) -> String {
    l.source
        .components()
        .map(|c| encode(&c.as_os_str().to_string_lossy()))
        .collect::<Vec<_>>()
        .join("/")
}

fn subject(l: &Listing) -> String {
    format!("Problem with the entry for {}", l.title)
}

/// What the message starts with; people write what is wrong after it. CRLF, as RFC 6068 asks.
fn body(l: &Listing, page: &str) -> String {
    format!(
        "Service: {}\r\nPage: {page}\r\nFile: {}\r\n\r\nWhat is wrong or out of date:\r\n\r\n",
        l.title,
        l.source.to_string_lossy().replace('\\', "/")
    )
}

pub fn report(config: &SiteConfig, l: &Listing, page: &str) -> ReportView {
    let to = &config.report;
    let repository = to.repository.as_ref();
    let edit_href = repository.map(|r| {
        format!(
            "{}/edit/{}/{}",
            r.url,
            encode_branch(&r.branch),
            source_path(l)
        )
    });
    // A repository without an address takes reports as issues, not to the general inbox.
    let email = match (&to.email, repository) {
        (Some(e), _) => Some(e),
        (None, None) => config.contact.email.as_ref(),
        (None, Some(_)) => None,
    };
    let (href, by) = if let Some(e) = email {
        let href = format!(
            "mailto:{}?subject={}&body={}",
            utf8_percent_encode(e, ADDRESS),
            encode(&subject(l)),
            encode(&body(l, page))
        );
        (Some(href), Some("email"))
    } else if let Some(r) = repository {
        let href = format!(
            "{}/issues/new?title={}&body={}",
            r.url,
            encode(&subject(l)),
            encode(&body(l, page))
        );
        (Some(href), Some("github"))
    } else {
        (None, None)
    };
    ReportView {
        href,
        by,
        edit_href,
    }
}

/// A branch keeps its `/`s (GitHub reads `release/2026` as one branch); validation allowed
/// nothing else that needs escaping.
fn encode_branch(branch: &str) -> String {
    branch.split('/').map(encode).collect::<Vec<_>>().join("/")
}
