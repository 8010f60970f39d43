//! site.yaml `report`: where "Report a problem with this entry" leads, an e-mail address or
//! the council's GitHub repository (or both). Both end up in links on every service page, so
//! only an e-mail address of the usual shape and an https address on github.com get through.

use crate::model::{ReportTo, Repository};

use super::super::formats;
use super::super::reader::{Doc, Fields};

const EXAMPLE: &str = "report: { email: directory@example.gov.uk }";
const REPOSITORY_EXAMPLE: &str = "repository: https://github.com/example-council/day-services";
const HINT: &str = "`report` in the site.yaml settings";

pub fn report(doc: &mut Doc, at: Fields) -> ReportTo {
    let Some(value) = at.get("report") else {
        return ReportTo::default();
    };
    let Some(r) = doc.mapping(value, "report", EXAMPLE) else {
        return ReportTo::default();
    };
    doc.unknown_fields(r, &["email", "repository", "branch"], HINT);
    let email = doc
        .text(r, "email", "email: directory@example.gov.uk")
        .filter(|e| checked_email(doc, r, e));
    let url = doc
        .text(r, "repository", REPOSITORY_EXAMPLE)
        .and_then(|u| checked_repository(doc, r, &u));
    let branch = doc
        .text(r, "branch", "branch: main")
        .filter(|b| checked_branch(doc, r, b));
    if branch.is_some() && r.get("repository").is_none() {
        doc.error(
            &r.path_of("branch"),
            "`branch` is given without a `repository`",
            format!("add the repository, for example: `{REPOSITORY_EXAMPLE}`, or remove `branch`"),
        );
    }
    if email.is_none() && r.get("email").is_none() && r.get("repository").is_none() {
        doc.error(
            "report",
            "`report` says neither where to e-mail nor which repository to use",
            format!("give one, for example: `{EXAMPLE}`"),
        );
    }
    ReportTo {
        email,
        repository: url.map(|url| Repository {
            url,
            branch: branch.unwrap_or_else(|| "main".into()),
        }),
    }
}

fn checked_email(doc: &mut Doc, r: Fields, email: &str) -> bool {
    let ok = formats::email(email);
    if !ok {
        doc.error(
            &r.path_of("email"),
            format!("`{email}` is not an e-mail address"),
            "write one address, such as `directory@example.gov.uk`",
        );
    }
    ok
}

/// `https://github.com/OWNER/REPO` without a trailing slash, or a problem.
fn checked_repository(doc: &mut Doc, r: Fields, text: &str) -> Option<String> {
    let found = github_repository(text);
    if found.is_none() {
        doc.error(
            &r.path_of("repository"),
            format!("`{text}` is not the address of a repository on GitHub"),
            format!(
                "write the repository's address as it shows in the browser, for example: `{REPOSITORY_EXAMPLE}`"
            ),
        );
    }
    found
}

/// The repository's address, only for https on github.com with an owner and a name made of
/// the characters GitHub allows, and nothing else (no query, fragment, port or login).
pub fn github_repository(text: &str) -> Option<String> {
    let u = url::Url::parse(text).ok()?;
    let plain = u.scheme() == "https"
        && u.host_str() == Some("github.com")
        && u.port().is_none()
        && u.username().is_empty()
        && u.password().is_none()
        && u.query().is_none()
        && u.fragment().is_none();
    if !plain {
        return None;
    }
    let path = u.path().trim_end_matches('/');
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let name_ok = |p: &&str| {
        !p.is_empty()
            && !p.starts_with('.')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (parts.len() == 2 && parts.iter().all(name_ok))
        .then(|| format!("https://github.com/{}/{}", parts[0], parts[1]))
}

fn checked_branch(doc: &mut Doc, r: Fields, branch: &str) -> bool {
    let ok = branch_name(branch);
    if !ok {
        doc.error(
            &r.path_of("branch"),
            format!("`{branch}` is not a branch name"),
            "write the branch's name as GitHub shows it, such as `main`: letters, digits, `-`, `_`, \
             `.` and `/`, not starting with `.`, `-` or `/`, and no `..`",
        );
    }
    ok
}

/// A git branch name that needs no escaping in a URL's path.
pub fn branch_name(b: &str) -> bool {
    (1..=100).contains(&b.len())
        && b.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && !b.starts_with(['-', '/', '.'])
        && !b.ends_with(['/', '.'])
        && !b.contains("..")
        && !b.contains("//")
        && !b.ends_with(".lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_github_repositories() {
        let ok = "https://github.com/example-council/day-services";
        assert_eq!(github_repository(ok).as_deref(), Some(ok));
        assert_eq!(
            github_repository("https://github.com/a/b/").as_deref(),
            Some("https://github.com/a/b")
        );
        for bad in [
            "http://github.com/a/b",
            "https://github.com.evil.example/a/b",
            "https://gitlab.com/a/b",
            "https://github.com/a",
            "https://github.com/a/b/c",
            "https://github.com/a/b?x=1",
            "https://user@github.com/a/b",
            "https://github.com:8443/a/b",
            "https://github.com/../b",
            "https://github.com/a/b%22onclick",
            "javascript:alert(1)//github.com/a/b",
        ] {
            assert_eq!(github_repository(bad), None, "{bad}");
        }
    }

    #[test]
    fn branch_names() {
        assert!(branch_name("main") && branch_name("release/2026") && branch_name("v1.2"));
        for bad in ["", "-x", "a..b", "a b", "a/", "x.lock", "a?b", "a#b", "/a"] {
            assert!(!branch_name(bad), "{bad}");
        }
    }
}
