//! Splitting a Markdown file into its YAML front matter and its body.

/// The two parts of a file, with the byte offset of each in the file.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq)]
pub enum Problem {
    /// The file does not start with a `---` line.
    NoOpening,
    /// The `---` line that ends the front matter is missing.
    NoClosing,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Finds the front matter between the first two `---` lines.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(Problem::NoOpening);
    }
    let yaml_offset = first.len();
    let mut offset = yaml_offset;
    for line in lines {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_offset..offset],
                yaml_offset,
                body: &text[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Problem::NoClosing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!((s.yaml, s.yaml_offset), ("title: A\n", 4));
        assert_eq!((s.body, s.body_offset), ("Body\n", 17));
    }

    #[test]
    fn accepts_windows_line_ends() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn reports_missing_fences() {
        assert_eq!(split("title: A\n"), Err(Problem::NoOpening));
        assert_eq!(split("---\ntitle: A\n"), Err(Problem::NoClosing));
    }
}
