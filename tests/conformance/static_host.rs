//! A built site's static files served as Netlify serves them, by the site's own `_redirects`
//! and `_headers` (read here, never assumed): a file at the path asked for is served as it
//! is; otherwise the first rule whose path and query conditions match rewrites the path,
//! its `:placeholders` filled in; then every `_headers` block whose path matches adds its
//! headers. The folder is published at the site's base path; the rules are written with
//! whole paths, as a client asks for them. An answer without JSON's content type and CORS is no use to a client, so it
//! counts as not JSON.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Target;

pub struct StaticHost {
    public: PathBuf,
    /// Where the site is published, such as `/` or `/dayopps/`.
    base_path: String,
    rules: Vec<Rule>,
    headers: Vec<(String, Vec<(String, String)>)>,
}

/// One line of `_redirects`: `from [key=:placeholder ...] to status`.
struct Rule {
    from: String,
    query: Vec<(String, String)>,
    to: String,
    status: String,
}

/// What the host answers: a status, the headers the rules gave, and the body.
pub struct Answer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl StaticHost {
    pub fn new(public: &Path, base_path: &str) -> StaticHost {
        let read = |name: &str| {
            fs::read_to_string(public.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        StaticHost {
            public: public.to_path_buf(),
            base_path: base_path.to_string(),
            rules: rules(&read("_redirects")),
            headers: header_blocks(&read("_headers")),
        }
    }

    /// The answer to `GET url`, where `url` is the whole path from the host's root.
    pub fn fetch(&self, url: &str) -> Answer {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let query: BTreeMap<&str, &str> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        let served = self.file(path).or_else(|| {
            let rule = self.rules.iter().find_map(|r| r.rewrite(path, &query))?;
            self.file(&rule)
        });
        let headers = self
            .headers
            .iter()
            .filter(|(pattern, _)| matches(pattern, path).is_some())
            .flat_map(|(_, hs)| hs.iter().cloned())
            .collect();
        match served {
            Some(body) => Answer {
                status: 200,
                headers,
                body,
            },
            None => Answer {
                status: 404,
                headers,
                body: Vec::new(),
            },
        }
    }

    /// The file at a URL path, if it is a file inside the folder, which is published at
    /// the base path.
    fn file(&self, path: &str) -> Option<Vec<u8>> {
        let rel = path.strip_prefix(&self.base_path)?;
        if rel
            .split('/')
            .any(|s| s == ".." || s == "." || s.contains('\\'))
        {
            return None;
        }
        let full = self.public.join(rel);
        full.is_file().then(|| fs::read(full).ok()).flatten()
    }
}

impl Target for StaticHost {
    fn get(&self, path: &str) -> (u16, Value) {
        let api = format!("{}api{path}", self.base_path);
        let answer = self.fetch(&api);
        let is =
            |name: &str, value: &str| answer.headers.get(name).map(String::as_str) == Some(value);
        let usable =
            is("Content-Type", "application/json") && is("Access-Control-Allow-Origin", "*");
        let body = match usable {
            true => serde_json::from_slice(&answer.body).unwrap_or(Value::Null),
            false => Value::Null,
        };
        (answer.status, body)
    }
}

impl Rule {
    /// The path this rule rewrites `path` to, when it matches and rewrites (status 200).
    fn rewrite(&self, path: &str, query: &BTreeMap<&str, &str>) -> Option<String> {
        if self.status != "200" {
            return None;
        }
        let mut values = matches(&self.from, path)?;
        for (key, placeholder) in &self.query {
            values.insert(placeholder.clone(), query.get(key.as_str())?.to_string());
        }
        let mut to = self.to.clone();
        // Longest names first, so `:id` never eats the start of a longer name.
        let mut names: Vec<&String> = values.keys().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for name in names {
            to = to.replace(&format!(":{name}"), &values[name]);
        }
        Some(to)
    }
}

/// The placeholders of `pattern` filled from `path` (a segment each, `*` the rest as
/// `splat`), or `None` when the path does not match.
fn matches(pattern: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (Some("*"), first) => {
                let rest: Vec<&str> = first.into_iter().chain(got).collect();
                values.insert("splat".to_string(), rest.join("/"));
                return Some(values);
            }
            (Some(w), Some(g)) if w.starts_with(':') && !g.is_empty() => {
                values.insert(w[1..].to_string(), g.to_string());
            }
            (Some(w), Some(g)) if w == g => {}
            (None, None) => return Some(values),
            _ => return None,
        }
    }
}

fn rules(text: &str) -> Vec<Rule> {
    lines(text)
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let (from, rest) = words.split_first()?;
            let conditions = rest.iter().take_while(|w| w.contains('='));
            let query = conditions
                .clone()
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.trim_start_matches(':').to_string()))
                .collect::<Vec<_>>();
            let after: Vec<&&str> = rest.iter().skip(query.len()).collect();
            Some(Rule {
                from: from.to_string(),
                query,
                to: after.first()?.to_string(),
                status: after.get(1).map_or("301", |s| s).to_string(),
            })
        })
        .collect()
}

fn header_blocks(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut blocks: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in lines(text) {
        if line.starts_with(char::is_whitespace) {
            let (name, value) = line.trim().split_once(':').expect("a header line");
            let block = blocks.last_mut().expect("a path before its headers");
            block
                .1
                .push((name.trim().to_string(), value.trim().to_string()));
        } else {
            blocks.push((line.trim().to_string(), Vec::new()));
        }
    }
    blocks
}

/// Lines that are neither blank nor comments.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}
