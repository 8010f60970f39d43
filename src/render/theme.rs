//! A theme: its Tera templates, compiled once, and its static files.
//!
//! Every theme starts from the built-in one (`builtin`): a site's `themes/<name>/` holds the
//! templates and static files it changes, at the same paths, and the rest come from dayopps.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tera::{Context, Tera};
use walkdir::WalkDir;

use super::{RenderError, builtin, template_minify};
use crate::memo::{Key, Memo};
use crate::write;

#[derive(Debug)]
pub struct Theme {
    pub tera: Tera,
    /// A hash of every template's text: what a rendered page is made from beside its context.
    pub templates_key: u64,
    /// Where pages are minified: see `template_minify`.
    minify: Minify,
    /// Why pages are minified one by one when the theme asked for its templates to be
    /// minified once: the template that could not be.
    unminifiable: Option<String>,
    /// Static files: path inside the site's output, and their bytes.
    pub assets: Vec<Asset>,
}

#[derive(Debug)]
pub struct Asset {
    /// The path the theme gives it, such as `style.css`.
    pub name: String,
    /// Where it is written, such as `assets/style.3f2a9c1b7d.css`.
    pub output: String,
    pub bytes: Vec<u8>,
}

/// Where a theme's pages are minified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minify {
    /// Each template once, as the theme loads: the pages need nothing more.
    Templates,
    /// Each page as it is rendered: for themes whose templates cannot be minified safely.
    Pages,
}

/// A theme's files as read: templates by name with their text, static files with their bytes.
#[derive(Hash)]
struct Sources {
    templates: Vec<(String, String)>,
    assets: Vec<(String, Vec<u8>)>,
}

impl Sources {
    /// The built-in theme, with each file that `dir` has at the same path in place of its own
    /// (a site changes one template by having only that one). `dir` may be missing only when
    /// it names the built-in theme.
    fn read(dir: &Path) -> Result<Sources, RenderError> {
        let own = dir.is_dir();
        if !own && dir.file_name() != Some(OsStr::new(builtin::NAME)) {
            return Err(RenderError::NoTheme(dir.to_path_buf()));
        }
        let mut templates: BTreeMap<String, String> = builtin::TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> = builtin::STATIC
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        if own {
            let io = |path: PathBuf| move |source| RenderError::Io { path, source };
            for (name, path) in files_under(&dir.join("templates"))? {
                templates.insert(name, fs::read_to_string(&path).map_err(io(path))?);
            }
            for (name, path) in files_under(&dir.join("static"))? {
                assets.insert(name, fs::read(&path).map_err(io(path))?);
            }
        }
        Ok(Sources {
            templates: templates.into_iter().collect(),
            assets: assets.into_iter().collect(),
        })
    }
}

impl Theme {
    /// The theme in `dir`, its templates minified if they can be.
    pub fn load(dir: &Path) -> Result<Theme, RenderError> {
        Theme::load_minifying(dir, Minify::Templates)
    }

    /// The theme in `dir`, its pages minified where `minify` says when that is safe, else
    /// page by page.
    pub fn load_minifying(dir: &Path, minify: Minify) -> Result<Theme, RenderError> {
        Theme::compile(Sources::read(dir)?, minify)
    }

    /// As `load`, taking the theme from `made` when the build before loaded the same files:
    /// compiling and minifying the templates is a third of a rebuild's rendering.
    pub fn load_reusing(dir: &Path, made: &Memo<Arc<Theme>>) -> Result<Arc<Theme>, RenderError> {
        let sources = Sources::read(dir)?;
        let key = Key::new("theme").part(&dir).part(&sources).finish();
        made.get_or_make(
            || key,
            || Theme::compile(sources, Minify::Templates).map(Arc::new),
        )
    }

    fn compile(sources: Sources, minify: Minify) -> Result<Theme, RenderError> {
        let Sources { templates, assets } = sources;
        let templates_key = Key::new("templates").part(&templates).finish();
        // Minifying changes only what lies between Tera's tags, so templates that compile
        // minified compile as written. Any that do not are compiled as written, so that a
        // mistake is reported at its line in the file.
        let (tera, minify, unminifiable) = match minify {
            Minify::Pages => (compile(templates)?, Minify::Pages, None),
            Minify::Templates => {
                let compiled = minified(&templates).and_then(|t| {
                    compile(t).map_err(|_| "one of the theme's templates".to_string())
                });
                match compiled {
                    Ok(tera) => (tera, Minify::Templates, None),
                    Err(template) => (compile(templates)?, Minify::Pages, Some(template)),
                }
            }
        };
        let assets = assets
            .into_iter()
            .map(|(name, bytes)| {
                let bytes = if name.ends_with(".js") {
                    crate::write::minify_script(&bytes)
                } else {
                    bytes
                };
                Asset {
                    output: format!("assets/{}", hashed_name(&name, &bytes)),
                    name,
                    bytes,
                }
            })
            .collect();
        Ok(Theme {
            tera,
            templates_key,
            minify,
            unminifiable,
            assets,
        })
    }

    /// Where this theme's pages are minified.
    pub fn minifies(&self) -> Minify {
        self.minify
    }

    /// The template that kept this theme from being minified once, when it loads, if one did:
    /// its pages are then minified one by one, which is slower (docs/theming.md).
    pub fn unminifiable(&self) -> Option<&str> {
        self.unminifiable.as_deref()
    }

    /// What `build` and `serve` say when `unminifiable` names a template.
    pub fn unminifiable_note(&self) -> Option<String> {
        self.unminifiable().map(|template| format!(
            "note: the theme's {template} cannot be minified once, when the theme loads, so every page is minified as it is made, which is slower\n  help: docs/theming.md says what keeps a template minifiable (\"Minified once, when the theme loads\")"
        ))
    }

    /// Renders `template` into `out` (empty), as the page is written out: minified here when
    /// the theme's templates could not be minified once (`unminifiable`).
    pub fn render_into(
        &self,
        template: &str,
        context: &Context,
        out: &mut Vec<u8>,
    ) -> Result<(), RenderError> {
        self.tera
            .render_to(template, context, &mut *out)
            .map_err(|e| RenderError::template(template, &e))?;
        if let Minify::Pages = self.minify {
            *out = write::minify(out);
        }
        Ok(())
    }
}

fn compile(texts: Vec<(String, String)>) -> Result<Tera, RenderError> {
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(texts)
        .map_err(|e| RenderError::template("the theme's templates", &e))?;
    // The sitemap's templates are the build's, not the theme's: a theme cannot replace them.
    for (name, text) in super::sitemap::TEMPLATES {
        tera.add_raw_template(name, text)
            .map_err(|e| RenderError::template(name, &e))?;
    }
    Ok(tera)
}

/// Every HTML template minified, or the name of the first that cannot be.
fn minified(texts: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
    texts
        .iter()
        .map(|(name, text)| {
            let text = if name.ends_with(".html") {
                template_minify::minify(text).ok_or_else(|| name.clone())?
            } else {
                text.clone()
            };
            Ok((name.clone(), text))
        })
        .collect()
}

/// Escapes text for HTML text and quoted attribute values, and nothing more: Tera's own
/// escaping also writes `/` as `&#x2F;`, six bytes where one is safe, in every URL.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut plain = 0;
    // Most text has nothing to escape: copied a run at a time, not a character at a time.
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out
}

/// `style.css` becomes `style.<hash>.css`, so browsers can cache it for ever.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return name.to_string();
    };
    if !matches!(ext, "css" | "js") {
        return name.to_string();
    }
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("{stem}.{hash}.{ext}")
}

/// Files under `dir`, named by their path relative to it, sorted.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| RenderError::Io {
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
        if entry.file_type().is_file() {
            let name = crate::diagnostics::display_path(dir, entry.path());
            out.push((name, entry.into_path()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_html_needs_and_nothing_more() {
        assert_eq!(
            super::escape_html(r#"Tom & Jerry's <b>"café"</b> /path/"#),
            "Tom &amp; Jerry&#39;s &lt;b&gt;&quot;café&quot;&lt;/b&gt; /path/"
        );
        assert_eq!(super::escape_html("plain"), "plain");
    }

    #[test]
    fn hashes_only_css_and_js() {
        assert!(super::hashed_name("style.css", b"a").starts_with("style."));
        assert_ne!(
            super::hashed_name("style.css", b"a"),
            super::hashed_name("style.css", b"b")
        );
        assert_eq!(super::hashed_name("logo.png", b"a"), "logo.png");
    }
}
