//! The commands that start something: a council's directory (`init`), a theme of its own
//! (`theme eject`) and a listing (`new`).

use std::path::Path;

use anyhow::{Context, Result, bail};

use dayopps::build::{self, BuildOptions, shown};
use dayopps::text::plural;

use super::site::site_config;

pub(super) fn init_command(
    dir: &Path,
    council: Option<String>,
    base_url: Option<String>,
) -> Result<()> {
    if let Some(url) = &base_url
        && !dayopps::validate::formats::web_address(url)
    {
        bail!(
            "`{url}` is not a full web address\n  help: write the address the site will be published at, such as https://example.gov.uk/day-services/"
        );
    }
    let settings = dayopps::init::Settings::new(council, base_url, build::today());
    let written = dayopps::init::init(dir, &settings)?;
    eprintln!(
        "Started a directory in {} ({}). Next:\n  \
         dayopps build --root {0}    the site, in {0}/public\n  \
         dayopps serve --root {0}    see it at http://127.0.0.1:1111/ as you change it\n\
         {0}/README.md says what to change before you publish.",
        shown(dir),
        plural(written.len(), "file"),
    );
    Ok(())
}

/// Ejects into the folder of the theme site.yaml names, so that the build then uses it.
pub(super) fn eject_command(root: &Path) -> Result<()> {
    let config = site_config(&BuildOptions::new(root))?;
    let dir = root.join("themes").join(&config.theme);
    let written = dayopps::render::builtin::eject(&dir).map_err(|e| match e {
        dayopps::render::builtin::EjectError::Exists(_) => anyhow::anyhow!(
            "{e}\n  help: move {} away first, then eject again and copy your changes back",
            shown(&dir)
        ),
        other => other.into(),
    })?;
    eprintln!(
        "Wrote the built-in theme into {} ({}). The site now uses these files: change them freely.\n\
         Files you delete come back from the built-in theme.",
        shown(&dir),
        plural(written.len(), "file")
    );
    Ok(())
}

pub(super) fn new_command(options: &BuildOptions, name: &str) -> Result<()> {
    let config = site_config(options)?;
    let slug = dayopps::text::slug(name);
    if slug.is_empty() {
        bail!(
            "\"{name}\" has no letters or digits to make a web address from\n  help: give the service's name, such as \"Riverside Garden Project\""
        );
    }
    let dir = options.root.join("content/listings");
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(format!("{slug}.yaml")).exists() {
        bail!(
            "a listing called {slug} already exists\n  help: edit content/listings/{slug}.md, or choose another name"
        );
    }
    let text = dayopps::scaffold::new_listing(&config, name, build::today());
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
    eprintln!(
        "Created {}. It is a draft: fill it in, then remove `draft: true`.",
        shown(&path)
    );
    Ok(())
}
