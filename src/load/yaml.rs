//! YAML with positions: one pass of libyaml's event parser (libyaml-safer, a safe port of the
//! libyaml that serde_yaml uses) gives both the data and where each key and value sits, so a
//! problem found later can point at its line and column. serde_yaml reads what the pass
//! cannot (see `value`), and words every syntax error.

use foldhash::HashMap;
use std::ops::Range;

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};
use serde_yaml::Value;

mod value;

/// A path into a document, such as `locations[0].postcode`.
pub type FieldPath = String;

/// Where each key and value of a document sits, as byte ranges of the whole file.
#[derive(Debug, Default, Clone)]
pub struct SpanMap {
    keys: HashMap<FieldPath, Range<usize>>,
    values: HashMap<FieldPath, Range<usize>>,
    /// Where the document starts: the fallback for problems with no better place.
    start: usize,
}

impl SpanMap {
    /// The value at `path`, or the nearest enclosing thing that has a position.
    pub fn value(&self, path: &str) -> Range<usize> {
        self.lookup(path, &self.values)
    }

    /// The key naming `path` (for unknown or misspelt fields), else its value.
    pub fn key(&self, path: &str) -> Range<usize> {
        self.keys
            .get(path)
            .cloned()
            .unwrap_or_else(|| self.value(path))
    }

    pub fn start(&self) -> Range<usize> {
        self.start..self.start
    }

    fn lookup(&self, path: &str, map: &HashMap<FieldPath, Range<usize>>) -> Range<usize> {
        let mut path = path;
        loop {
            if let Some(span) = map.get(path).or_else(|| self.keys.get(path)) {
                return span.clone();
            }
            match parent(path) {
                Some(p) => path = p,
                None => return self.start(),
            }
        }
    }
}

fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    Some(path.rfind(['.', '[']).map_or("", |i| &path[..i]))
}

/// A YAML syntax error at a byte offset of the whole file.
#[derive(Debug)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Parses `text`, which starts at byte `base` of its file.
pub fn parse(text: &str, base: usize) -> Result<(Value, SpanMap), SyntaxError> {
    let line_starts = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut recorder = Recorder {
        text,
        line_starts,
        base,
        stack: Vec::new(),
        spans: SpanMap {
            start: base,
            ..SpanMap::default()
        },
        value: value::Builder::default(),
    };
    let parsed = each_event(text, |data, mark| recorder.on_event(data, mark));
    match (parsed, recorder.value.finish()) {
        (Ok(()), Some(value)) => Ok((value, recorder.spans)),
        // Anything out of the ordinary, errors included, as serde_yaml reads it: the same
        // parser, so the same verdict, in serde_yaml's words.
        _ => Ok((serde_yaml_value(text, base)?, recorder.spans)),
    }
}

/// Calls `each` with every parser event of `text` and where it starts, until an error.
fn each_event(
    text: &str,
    mut each: impl FnMut(EventData, Mark),
) -> Result<(), libyaml_safer::Error> {
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    parser.try_for_each(|event| event.map(|e| each(e.data, e.start_mark)))
}

fn serde_yaml_value(text: &str, base: usize) -> Result<Value, SyntaxError> {
    serde_yaml::from_str(text).map_err(|e| SyntaxError {
        offset: base
            + e.location()
                .map_or(0, |l| byte_at(text, l.line(), l.column().saturating_sub(1))),
        message: tidy_serde_message(&e.to_string()),
    })
}

/// The byte offset of a 1-based line and a 0-based column counted in characters, as YAML
/// parsers report positions.
fn byte_at(text: &str, line: usize, col: usize) -> usize {
    let line_start = match line {
        0 | 1 => 0,
        n => text
            .match_indices('\n')
            .nth(n - 2)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    let rest = &text[line_start..];
    line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
}

/// serde_yaml appends " at line L column C", which our diagnostics already show.
fn tidy_serde_message(message: &str) -> String {
    let cut = message.find(" at line ").unwrap_or(message.len());
    message[..cut].to_string()
}

enum Frame {
    Mapping {
        path: FieldPath,
        key: Option<String>,
        first_key: bool,
    },
    Sequence {
        path: FieldPath,
        index: usize,
    },
}

struct Recorder<'a> {
    text: &'a str,
    /// Byte offset where each line of `text` starts.
    line_starts: Vec<usize>,
    base: usize,
    stack: Vec<Frame>,
    spans: SpanMap,
    value: value::Builder,
}

impl Recorder<'_> {
    /// The byte offset of a mark in `text`, from its line and its column (both 0-based, the
    /// column in characters).
    fn byte_offset(&self, mark: Mark) -> usize {
        let line = usize::try_from(mark.line).unwrap_or(usize::MAX);
        match self.line_starts.get(line) {
            Some(&start) => {
                let column = usize::try_from(mark.column).unwrap_or(usize::MAX);
                start + byte_at(&self.text[start..], 1, column)
            }
            None => self.text.len(),
        }
    }

    /// Where the line of a mark ends, before its line break.
    fn line_end(&self, mark: Mark) -> usize {
        let next_line = usize::try_from(mark.line).map_or(usize::MAX, |l| l.saturating_add(1));
        self.line_starts
            .get(next_line)
            .map_or(self.text.len(), |&start| start - 1)
    }

    /// Where the next node goes: `Some(path)` for a value, `None` when it is a mapping key.
    fn next_node_path(&mut self, key_text: Option<&str>) -> Option<FieldPath> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { path, key, .. }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    *key = Some(key_text.unwrap_or("?").to_string());
                    None
                }
            },
            Some(Frame::Sequence { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
        }
    }

    fn scalar_span(&self, mark: Mark, value: &str, style: ScalarStyle) -> Range<usize> {
        let start = self.byte_offset(mark);
        let line_end = self.line_end(mark);
        let len = match style {
            ScalarStyle::Plain => value.len(),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => value.len() + 2,
            _ => 1,
        };
        let end = (start + len.max(1)).min(line_end).max(start);
        self.base + start..self.base + end
    }

    /// Records where the event's node sits, and hands the event to the value's builder.
    fn on_event(&mut self, ev: EventData, mark: Mark) {
        self.value.on_event(&ev);
        match ev {
            EventData::Scalar { value, style, .. } => {
                let span = self.scalar_span(mark, &value, style);
                match self.next_node_path(Some(&value)) {
                    Some(path) => {
                        self.spans.values.insert(path, span);
                    }
                    None => {
                        // A key: the top of the stack is its mapping.
                        let Some(Frame::Mapping {
                            path, first_key, ..
                        }) = self.stack.last_mut()
                        else {
                            return;
                        };
                        // A mapping's own position is that of its first key: the marker of a
                        // block mapping's start can sit after it.
                        if std::mem::take(first_key) {
                            self.spans.values.insert(path.clone(), span.clone());
                        }
                        self.spans.keys.insert(join(path, &value), span);
                    }
                }
            }
            EventData::Alias { .. } => {
                if let Some(path) = self.next_node_path(None) {
                    let at = self.base + self.byte_offset(mark);
                    self.spans.values.insert(path, at..at + 1);
                }
            }
            EventData::MappingStart { .. } | EventData::SequenceStart { .. } => {
                let path = self.next_node_path(None).unwrap_or_default();
                let at = self.base + self.byte_offset(mark);
                self.spans.values.entry(path.clone()).or_insert(at..at);
                self.stack.push(match ev {
                    EventData::MappingStart { .. } => Frame::Mapping {
                        path,
                        key: None,
                        first_key: true,
                    },
                    _ => Frame::Sequence { path, index: 0 },
                });
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

fn join(path: &str, key: &str) -> FieldPath {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keys_values_and_nested_paths() {
        let text = "title: Garden\nneeds: [autism, dementia]\nlocations:\n  - postcode: E10 5QX\n";
        let (_, spans) = parse(text, 4).unwrap();
        let at = |r: Range<usize>| &text[r.start - 4..r.end - 4];
        assert_eq!(at(spans.value("title")), "Garden");
        assert_eq!(at(spans.key("needs")), "needs");
        assert_eq!(at(spans.value("needs[1]")), "dementia");
        assert_eq!(at(spans.value("locations[0].postcode")), "E10 5QX");
        // an unknown path falls back to its nearest parent
        assert_eq!(at(spans.value("needs[1].nothing")), "dementia");
    }

    /// Regression: positions after non-ASCII text were taken as bytes but counted in characters.
    #[test]
    fn positions_after_non_ascii_text_are_byte_offsets() {
        let text = "title: Café Ünïon\nneeds: [\u{feff}dementia]\narea: north\n";
        let (_, spans) = parse(text, 0).unwrap();
        assert_eq!(&text[spans.value("area")], "north");
        assert_eq!(&text[spans.key("needs")], "needs");
    }

    #[test]
    fn syntax_errors_carry_an_offset() {
        let err = parse("title: [unclosed\n", 10).unwrap_err();
        assert!(err.offset >= 10, "{err:?}");
    }
}
