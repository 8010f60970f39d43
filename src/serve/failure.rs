//! A build that failed, as `dayopps serve` shows it: the problems on the terminal, and an
//! error page in place of every page of the site until the files are fixed.

use crate::export::feed::escape;
use std::io::IsTerminal;

use super::Reply;
use crate::build::BuildError;
use crate::diagnostics::Format;
use crate::text::plural;

/// The problems of a failed build, ready to be shown.
pub struct Failure {
    summary: String,
    page: Vec<u8>,
}

/// One problem: where it is (as `file:line:col`, when it is in a file) and what to do.
struct Problem {
    location: Option<String>,
    severity: String,
    message: String,
    help: Option<String>,
}

impl Failure {
    pub fn new(error: &BuildError) -> Failure {
        let (summary, problems) = match error {
            BuildError::Content(diagnostics) => (
                format!(
                    "{} in the content.",
                    plural(diagnostics.error_count(), "problem")
                ),
                // Errors first: they are what stops the build, warnings only advise.
                diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .chain(diagnostics.iter().filter(|d| !d.is_error()))
                    .map(|d| {
                        let (line, col) = d.line_col();
                        Problem {
                            location: Some(format!("{}:{line}:{col}", d.file.name)),
                            severity: d.severity.to_string(),
                            message: d.message.clone(),
                            help: d.help.clone(),
                        }
                    })
                    .collect(),
            ),
            other => (
                "The build stopped.".to_string(),
                vec![Problem {
                    location: None,
                    severity: "error".to_string(),
                    message: chain(other),
                    help: None,
                }],
            ),
        };
        let page = page(&summary, &problems).into_bytes();
        Failure { summary, page }
    }

    /// The problems on the terminal, as `dayopps build` shows them.
    pub fn print(&self, error: &BuildError) {
        match error {
            BuildError::Content(diagnostics) => {
                eprint!("{}", diagnostics.render(Format::Human, colour()));
            }
            other => eprintln!("error: {}", chain(other)),
        }
        eprintln!(
            "The site did not build: {} Every page shows the problems until they are fixed.",
            self.summary
        );
    }

    /// The error page, for whatever was asked: nothing of the site is up to date.
    pub fn reply(&self) -> Reply {
        Reply::new(500, "text/html; charset=utf-8", self.page.clone())
    }
}

/// An error and its causes on one line, as the command line shows them.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

pub(super) fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// A plain page that needs nothing from the site or its theme, which may be what is broken.
fn page(summary: &str, problems: &[Problem]) -> String {
    let mut items = String::new();
    for p in problems {
        items.push_str("<li><p>");
        if let Some(location) = &p.location {
            items.push_str(&format!("<code>{}</code> ", escape(location)));
        }
        items.push_str(&format!(
            "{}: {}</p>",
            escape(&p.severity),
            escape(&p.message)
        ));
        if let Some(help) = &p.help {
            items.push_str(&format!("<p>help: {}</p>", escape(help)));
        }
        items.push_str("</li>\n");
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The site did not build – dayopps serve</title>
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48em; margin: 0 auto; padding: 1em; }}
p {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
code {{ font-weight: bold; }}
</style>
</head>
<body>
<main>
<h1>The site did not build</h1>
<p>{}</p>
<p>Fix the problems below and save: this page reloads by itself when the site builds again.</p>
<ul>
{items}</ul>
</main>
</body>
</html>
"#,
        escape(summary)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};

    #[test]
    fn the_page_names_file_line_and_column_as_escaped_text() {
        let file = SourceFile::new(
            "content/listings/<b>.md",
            "---\ntitle: x\nneeds: [<script>]\n".to_string(),
        );
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            Diagnostic::error(&file, 22..30, "`<script>` is not one of the `needs`")
                .with_help("did you mean `dementia`?"),
        );
        let failure = Failure::new(&BuildError::Content(diagnostics));
        let page = String::from_utf8(failure.reply().body).expect("UTF-8");
        assert!(page.contains("<html lang=\"en\">"));
        assert_eq!(page.matches("<h1>").count(), 1);
        assert!(page.contains("<title>The site did not build"));
        assert!(
            page.contains("<code>content/listings/&lt;b&gt;.md:3:10</code>"),
            "{page}"
        );
        assert!(page.contains("`&lt;script&gt;` is not one"), "{page}");
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("help: did you mean `dementia`?"));
        assert!(page.contains("1 problem in the content."));
    }
}
