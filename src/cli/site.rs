//! The commands that read a site without building it: `check`, `report` and `schema`.

use std::process::ExitCode;

use anyhow::{Result, bail};

use dayopps::build::{self, BuildError, BuildOptions};
use dayopps::diagnostics::{Diagnostics, Format};
use dayopps::model::SiteConfig;
use dayopps::text::plural;

use super::build::{colour, print_diagnostics};

pub(super) fn check_command(options: &BuildOptions, format: Format) -> ExitCode {
    let diagnostics = match build::check(options) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "error: dayopps check could not run: {:#}",
                anyhow::Error::from(e)
            );
            return ExitCode::from(2);
        }
    };
    print!("{}", diagnostics.render(format, colour(&std::io::stdout())));
    if format == Format::Human {
        println!("{}", check_summary(&diagnostics));
    }
    if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_summary(d: &Diagnostics) -> String {
    match (d.error_count(), d.warning_count()) {
        (0, 0) => "No problems found.".to_string(),
        (0, w) => format!("No errors, {}: the site will build.", plural(w, "warning")),
        (e, w) => format!(
            "{} and {}: the site will not build until the errors are fixed.",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

/// The report goes to stdout so it can be redirected to a file; problems go to stderr.
pub(super) fn report_command(
    options: &BuildOptions,
    format: dayopps::report::Format,
) -> Result<()> {
    use dayopps::report;
    let (site, warnings) = loaded_site(options, "the report needs a site that builds")?;
    if warnings.warning_count() > 0 {
        eprintln!(
            "({}: `dayopps check` shows them)",
            plural(warnings.warning_count(), "warning")
        );
    }
    print!("{}", report::render(&report::Report::new(&site), format));
    Ok(())
}

/// The site, loaded and checked; or its errors printed, and an error that says what `needs`
/// a site that builds.
pub(super) fn loaded_site(
    options: &BuildOptions,
    needs: &str,
) -> Result<(dayopps::model::Site, Diagnostics)> {
    match build::load_site(options) {
        Ok(loaded) => Ok(loaded),
        Err(BuildError::Content(d)) => {
            print_diagnostics(&d);
            bail!("{needs}: fix {} first", plural(d.error_count(), "problem"))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn site_config(options: &BuildOptions) -> Result<SiteConfig> {
    match build::site_config(options) {
        Ok(config) => Ok(config),
        Err(BuildError::Content(d)) => {
            print_diagnostics(&d);
            bail!(
                "site.yaml has {}: fix it first",
                plural(d.error_count(), "problem")
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn schema_command(options: &BuildOptions) -> Result<()> {
    let schema = dayopps::schema::listing_schema(&site_config(options)?);
    println!("{schema:#}");
    Ok(())
}
