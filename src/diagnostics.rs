//! Problems found in a site's files, reported all at once with file, line and column.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// A file as read from disk; diagnostics point into its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to people: relative to the site's root, with `/` separators.
    pub name: String,
    pub text: Arc<String>,
    /// A hash of the name and text, made when first asked for: `serve` keeps a file read
    /// from one rebuild to the next, and hashing 10,000 listings' text again each time was
    /// a tenth of a rebuild.
    hash: std::sync::OnceLock<u64>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: Arc::new(text),
            hash: std::sync::OnceLock::new(),
        })
    }

    /// A hash of the file's name and text, made once for each file read.
    pub fn hash(&self) -> u64 {
        *self.hash.get_or_init(|| {
            use std::hash::{DefaultHasher, Hash, Hasher};
            let mut hasher = DefaultHasher::new();
            (&self.name, &*self.text).hash(&mut hasher);
            hasher.finish()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        // A span may reach past the end (an error at the end of the file): keep it inside.
        let len = file.text.len();
        Diagnostic {
            severity: Severity::Error,
            file: Arc::clone(file),
            span: span.start.min(len)..span.end.clamp(span.start.min(len), len),
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    /// The rustc-style picture of the problem: the source line, a caret and the hint.
    pub fn render_graphical(&self, colour: bool) -> String {
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        let report = MietteView::from(self);
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
        out
    }
}

/// `file:line:col: error: message` and the hint on the next line: the plain form for logs and tests.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = self.line_col();
        write!(
            f,
            "{}:{line}:{col}: {}: {}",
            self.file.name, self.severity, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A diagnostic in the shape miette renders.
#[derive(Debug)]
struct MietteView {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<Arc<String>>,
    span: SourceSpan,
}

impl From<&Diagnostic> for MietteView {
    fn from(d: &Diagnostic) -> Self {
        MietteView {
            message: d.message.clone(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: d.help.clone(),
            source: NamedSource::new(&d.file.name, Arc::clone(&d.file.text)),
            span: SourceSpan::from(d.span.start..d.span.end.max(d.span.start)),
        }
    }
}

impl fmt::Display for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            self.span,
        ))))
    }
}

/// Every problem found in one run, in a stable order (file, then position).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    /// Warnings counted but no longer held (`keep_warnings_up_to`): each holds its file's
    /// text, and a generated directory of 100,000 listings has over 300,000 of them.
    dropped: usize,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
        self.dropped += other.dropped;
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }

    /// Every warning, those dropped by `keep_warnings_up_to` too.
    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count() + self.dropped
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.dropped == 0
    }

    /// The problems held: every one, unless warnings were dropped by `keep_warnings_up_to`.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// Every error, and warnings up to `max`; with how many warnings were left out.
    pub fn with_warnings_up_to(&self, max: usize) -> (Diagnostics, usize) {
        let mut warnings = 0;
        let list = {
            let mut keep = errors_and_warnings_up_to(max, &mut warnings);
            self.list.iter().filter(|d| keep(d)).cloned().collect()
        };
        let kept = Diagnostics { list, dropped: 0 };
        (kept, warnings.saturating_sub(max) + self.dropped)
    }

    /// Keeps every error and the first `max` warnings, only counting the rest: for a caller
    /// that will show no more than these, so the others' files need not stay in memory.
    pub fn keep_warnings_up_to(&mut self, max: usize) {
        let mut warnings = 0;
        self.list
            .retain(errors_and_warnings_up_to(max, &mut warnings));
        self.dropped += warnings.saturating_sub(max);
    }

    /// Every error made a warning, its message led by `lead`: for a file the build leaves
    /// out, whose problems should be seen but cannot stop the build.
    pub fn errors_as_warnings(&mut self, lead: &str) {
        for d in self.list.iter_mut().filter(|d| d.is_error()) {
            d.severity = Severity::Warning;
            d.message = format!("{lead}{}", d.message);
        }
    }

    pub fn sorted(mut self) -> Self {
        self.list.sort_by(|a, b| {
            (&a.file.name, a.span.start, a.severity, &a.message).cmp(&(
                &b.file.name,
                b.span.start,
                b.severity,
                &b.message,
            ))
        });
        self
    }
}

/// Passes every error and the first `max` warnings, counting the warnings in `seen`.
fn errors_and_warnings_up_to(max: usize, seen: &mut usize) -> impl FnMut(&Diagnostic) -> bool + '_ {
    move |d| {
        if d.is_error() {
            return true;
        }
        *seen += 1;
        *seen <= max
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.list {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Shows a path relative to the site root with `/` separators, whatever the platform.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// How `dayopps check` shows problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style pictures with the source line, a caret and the hint.
    Human,
    /// GitHub Actions workflow commands, so problems appear on the pull request's diff.
    Github,
    /// A stable machine format (see `Diagnostics::to_json`).
    Json,
}

impl Diagnostic {
    /// `::error file=…,line=…,col=…,title=…::message` as GitHub Actions reads it.
    pub fn github_annotation(&self) -> String {
        let (line, col) = self.line_col();
        let (end_line, end_col) = self.file.line_col(self.span.end.max(self.span.start));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!(
            "::{} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            self.severity,
            escape_property(&self.file.name),
            escape_property(&format!("dayopps {}", self.severity)),
            escape_data(&message)
        )
    }
}

/// Workflow command data escaping, as the GitHub Actions toolkit does it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    severity: String,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

impl Diagnostics {
    /// `{"version":1,"errors":N,"warnings":N,"diagnostics":[…]}`; lines and columns start at 1.
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            version: 1,
            errors: self.error_count(),
            warnings: self.warning_count(),
            diagnostics: self
                .iter()
                .map(|d| {
                    let (line, column) = d.line_col();
                    let (end_line, end_column) = d.file.line_col(d.span.end.max(d.span.start));
                    JsonDiagnostic {
                        severity: d.severity.to_string(),
                        file: &d.file.name,
                        line,
                        column,
                        end_line,
                        end_column,
                        message: &d.message,
                        help: d.help.as_deref(),
                    }
                })
                .collect(),
        };
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }

    pub fn render(&self, format: Format, colour: bool) -> String {
        match format {
            Format::Human => self.iter().map(|d| d.render_graphical(colour)).collect(),
            Format::Github => self.iter().map(|d| d.github_annotation() + "\n").collect(),
            Format::Json => self.to_json() + "\n",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warnings at offsets 0..n of one file, with an error after the third.
    fn mixed(n: usize) -> Diagnostics {
        let file = SourceFile::new("a.md", "x".repeat(n + 1));
        let mut all = Diagnostics::default();
        for at in 0..n {
            all.push(Diagnostic::warning(&file, at..at, format!("w{at}")));
            if at == 2 {
                all.push(Diagnostic::error(&file, at..at, "e"));
            }
        }
        all
    }

    fn messages(d: &Diagnostics) -> Vec<&str> {
        d.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn kept_warnings_are_the_first_and_the_rest_still_count() {
        let mut d = mixed(6);
        d.keep_warnings_up_to(2);
        assert_eq!(messages(&d), ["w0", "w1", "e"]);
        assert_eq!((d.error_count(), d.warning_count()), (1, 6));
        let (shown, hidden) = d.with_warnings_up_to(1);
        assert_eq!(messages(&shown), ["w0", "e"]);
        assert_eq!((hidden, shown.warning_count()), (5, 1));
    }

    #[test]
    fn dropped_warnings_are_counted_through_extend_and_sorting() {
        let mut d = mixed(4);
        d.keep_warnings_up_to(0);
        let mut all = Diagnostics::default();
        all.extend(d);
        let all = all.sorted();
        assert!(!all.is_empty());
        assert_eq!((all.error_count(), all.warning_count()), (1, 4));
        assert_eq!(all.with_warnings_up_to(20).1, 4);
    }

    #[test]
    fn keeping_more_warnings_than_there_are_drops_none() {
        let mut d = mixed(3);
        d.keep_warnings_up_to(20);
        assert_eq!(messages(&d), ["w0", "w1", "w2", "e"]);
        assert_eq!((d.warning_count(), d.with_warnings_up_to(20).1), (3, 0));
    }
}
