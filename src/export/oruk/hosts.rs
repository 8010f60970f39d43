//! The host rules that make the static API answer at the standard paths: a static host
//! serves `api/services/index.json`, never `/api/services`. Written at the site's root:
//!
//! - `_redirects` (Netlify, Cloudflare Pages): each path rewritten (status 200) to its file,
//!   `?page=<n>` to the page's file. Only Netlify matches query parameters; Cloudflare
//!   Pages skips that line's condition and so answers page 1 for any `?page=`.
//! - `_headers` (Netlify, Cloudflare Pages): JSON and open to every origin (CORS).
//! - `staticwebapp.config.json` (Azure Static Web Apps): the root and each list's page 1 by
//!   fixed rewrites, and the headers. Azure can neither match a query nor put part of a path
//!   into a rewrite, so it cannot answer `{id}` or a later page.
//!
//! Every path starts with the base path of `base_url`, as the site is published there.

use serde_json::{Value, json};

use crate::write::Output;

use super::lists::{first_page_path, page_path};

/// The lists of the API, each with objects by id at `api/<list>/<id>.json`.
pub const LISTS: [&str; 4] = [
    "services",
    "taxonomies",
    "taxonomy_terms",
    "service_at_locations",
];

pub const REDIRECTS: &str = "_redirects";
pub const HEADERS: &str = "_headers";
pub const AZURE: &str = "staticwebapp.config.json";

/// Writes the three files for a site published at `base_path` (such as `/` or `/dayopps/`).
pub fn write(base_path: &str, out: &mut Output) {
    let site = base_path.trim_end_matches('/');
    out.add(REDIRECTS, redirects(site).into_bytes());
    out.add(HEADERS, headers(site).into_bytes());
    let mut azure = serde_json::to_vec_pretty(&azure(site)).unwrap_or_default();
    azure.push(b'\n');
    out.add(AZURE, azure);
}

fn redirects(site: &str) -> String {
    let api = format!("{site}/api");
    let mut text = String::from(
        "# Open Referral UK at the standard paths, written by dayopps: each path answered \
         by its file.\n# Netlify matches `page=`; Cloudflare Pages does not, and answers \
         page 1 for every `?page=`.\n",
    );
    let mut rule = |from: &str, to: &str| text.push_str(&format!("{from} {to} 200\n"));
    rule(&api, &format!("{site}/api/index.json"));
    rule(&format!("{api}/"), &format!("{site}/api/index.json"));
    for list in LISTS {
        let page = format!("{site}/{}", page_path(list, ":page"));
        rule(&format!("{api}/{list} page=:page"), &page);
        rule(
            &format!("{api}/{list}"),
            &format!("{site}/{}", first_page_path(list)),
        );
        rule(
            &format!("{api}/{list}/:id"),
            &format!("{api}/{list}/:id.json"),
        );
    }
    text
}

/// The two headers every answer of the API carries.
const JSON_HEADERS: [(&str, &str); 2] = [
    ("Content-Type", "application/json"),
    ("Access-Control-Allow-Origin", "*"),
];

fn headers(site: &str) -> String {
    let mut text = String::from("# Open Referral UK: JSON, open to every origin.\n");
    for path in [format!("{site}/api"), format!("{site}/api/*")] {
        text.push_str(&path);
        text.push('\n');
        for (name, value) in JSON_HEADERS {
            text.push_str(&format!("  {name}: {value}\n"));
        }
    }
    text
}

fn azure(site: &str) -> Value {
    let headers: serde_json::Map<String, Value> = JSON_HEADERS
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let root = format!("{site}/api/index.json");
    let mut routes = vec![
        json!({"route": format!("{site}/api"), "rewrite": root, "headers": headers}),
        json!({"route": format!("{site}/api/"), "rewrite": root, "headers": headers}),
    ];
    for list in LISTS {
        let first = format!("{site}/{}", first_page_path(list));
        routes.push(
            json!({"route": format!("{site}/api/{list}"), "rewrite": first, "headers": headers}),
        );
    }
    routes.push(json!({"route": format!("{site}/api/*"), "headers": headers}));
    json!({ "routes": routes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(out: &Output, name: &str) -> String {
        let bytes = out.get(name).and_then(|c| c.bytes()).unwrap_or_default();
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn every_rule_starts_at_the_base_path() {
        let mut out = Output::default();
        write("/dayopps/", &mut out);
        let redirects = text(&out, REDIRECTS);
        let rules: Vec<&str> = redirects.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rules.len(), 2 + 3 * LISTS.len(), "{redirects}");
        for rule in rules {
            let words: Vec<&str> = rule.split_whitespace().collect();
            assert!(words[0].starts_with("/dayopps/api"), "{rule}");
            assert!(
                words[words.len() - 2].starts_with("/dayopps/api/"),
                "{rule}"
            );
            assert_eq!(words[words.len() - 1], "200", "{rule}");
        }
        let headers = text(&out, HEADERS);
        assert!(headers.contains("/dayopps/api/*\n  Content-Type: application/json\n"));
        let azure: Value = serde_json::from_str(&text(&out, AZURE)).expect("JSON");
        let routes = azure["routes"].as_array().expect("routes");
        assert!(routes.iter().all(|r| {
            r["route"]
                .as_str()
                .is_some_and(|p| p.starts_with("/dayopps/api"))
                && r["headers"]["Access-Control-Allow-Origin"] == "*"
        }));
    }

    #[test]
    fn the_files_are_the_same_every_time() {
        let made = || {
            let mut out = Output::default();
            write("/", &mut out);
            [REDIRECTS, HEADERS, AZURE].map(|name| text(&out, name))
        };
        let first = made();
        assert_eq!(first, made());
        assert!(first[0].contains("/api/services page=:page /api/services/page/:page.json 200\n"));
        assert!(first[0].contains("/api/services/:id /api/services/:id.json 200\n"));
    }
}
