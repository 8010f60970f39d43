//! YAML with positions: one pass of libyaml's event parser (libyaml-safer, a safe port of the
//! libyaml that serde_yaml uses) gives both the data and where each key and value sits, so a
//! problem found later can point at its line and column. serde_yaml reads what the pass
//! cannot (see `value`), and words every syntax error.

use std::ops::Range;

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};
use serde_yaml::Value;

mod value;

/// Where each key and value of a document sits, as byte ranges of the whole file, looked up
/// by a path such as `locations[0].postcode`.
///
/// Paths are worked out only when asked for, which is when there is a problem to point at:
/// made for every key and value as the document was read, they were a tenth of the reading.
#[derive(Debug, Default, Clone)]
pub struct SpanMap {
    /// The document, then each value in it, in the order they are written.
    nodes: Vec<Node>,
    /// Where the document starts: the fallback for problems with no better place.
    start: usize,
}

#[derive(Debug, Clone)]
struct Node {
    /// The mapping or sequence it is in: none for the document.
    parent: Option<usize>,
    step: Step,
    /// The key naming it, in a mapping.
    key: Option<Range<usize>>,
    /// The value; a mapping or sequence has where it starts, a mapping that of its first key.
    value: Option<Range<usize>>,
}

/// How a path gets from a node's parent to the node.
#[derive(Debug, Clone)]
enum Step {
    Document,
    Key(String),
    Item(usize),
}

impl Step {
    /// What is left of `path` after this step, if the path takes it.
    fn rest_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        let rest = match self {
            Step::Document => return None,
            Step::Key(key) => path.strip_prefix(key.as_str())?,
            Step::Item(index) => {
                let inside = path.strip_prefix('[')?;
                let end = inside.find(']')?;
                if inside[..end].parse::<usize>().ok()? != *index {
                    return None;
                }
                &inside[end + 1..]
            }
        };
        match rest.as_bytes().first() {
            None => Some(rest),
            Some(b'.') => Some(&rest[1..]),
            Some(b'[') => Some(rest),
            Some(_) => None,
        }
    }
}

impl SpanMap {
    /// The value at `path`, or the nearest enclosing thing that has a position.
    pub fn value(&self, path: &str) -> Range<usize> {
        self.deepest(path)
            .and_then(|(node, _)| {
                let node = &self.nodes[node];
                node.value.clone().or_else(|| node.key.clone())
            })
            .unwrap_or_else(|| self.start())
    }

    /// The key naming `path` (for unknown or misspelt fields), else its value.
    pub fn key(&self, path: &str) -> Range<usize> {
        match self.deepest(path) {
            Some((node, true)) => self.nodes[node].key.clone(),
            _ => None,
        }
        .unwrap_or_else(|| self.value(path))
    }

    pub fn start(&self) -> Range<usize> {
        self.start..self.start
    }

    /// The node furthest along `path`, and whether it is the whole of it. Where a key is
    /// written twice, the last one counts, as it does in the document's value.
    fn deepest(&self, path: &str) -> Option<(usize, bool)> {
        let mut at = self.nodes.iter().position(|n| n.parent.is_none())?;
        let mut rest = path;
        while !rest.is_empty() {
            // The child that takes the most of the path: a key may itself hold a dot.
            let next = (at + 1..self.nodes.len())
                .filter(|&i| self.nodes[i].parent == Some(at))
                .filter_map(|i| Some((i, self.nodes[i].step.rest_of(rest)?)))
                .min_by_key(|&(i, left)| (left.len(), std::cmp::Reverse(i)));
            match next {
                Some((child, left)) => (at, rest) = (child, left),
                None => return Some((at, false)),
            }
        }
        Some((at, true))
    }
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
        node: usize,
        /// The node of the key just read, whose value comes next.
        key: Option<usize>,
        first_key: bool,
    },
    Sequence {
        node: usize,
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

    /// The node the next value goes in; `None` when the event is a mapping's key instead,
    /// whose node (named `key_text`, written at `key_span`) is made for the value after it.
    fn next_node(
        &mut self,
        key_text: Option<&str>,
        key_span: Option<Range<usize>>,
    ) -> Option<usize> {
        let nodes = &mut self.spans.nodes;
        let (parent, step, key) = match self.stack.last_mut() {
            None => (None, Step::Document, None),
            Some(Frame::Mapping {
                key: key @ Some(_), ..
            }) => return key.take(),
            Some(Frame::Mapping {
                node,
                key,
                first_key,
            }) => {
                // A mapping's own position is that of its first key: the marker of a block
                // mapping's start can sit after it.
                if key_span.is_some() && std::mem::take(first_key) {
                    nodes[*node].value.clone_from(&key_span);
                }
                *key = Some(nodes.len());
                let name = Step::Key(key_text.unwrap_or("?").to_string());
                nodes.push(Node {
                    parent: Some(*node),
                    step: name,
                    key: key_span,
                    value: None,
                });
                return None;
            }
            Some(Frame::Sequence { node, index }) => {
                *index += 1;
                (Some(*node), Step::Item(*index - 1), None)
            }
        };
        nodes.push(Node {
            parent,
            step,
            key,
            value: None,
        });
        Some(nodes.len() - 1)
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
                if let Some(node) = self.next_node(Some(&value), Some(span.clone())) {
                    self.spans.nodes[node].value = Some(span);
                }
            }
            EventData::Alias { .. } => {
                let at = self.base + self.byte_offset(mark);
                if let Some(node) = self.next_node(None, None) {
                    self.spans.nodes[node].value = Some(at..at + 1);
                }
            }
            EventData::MappingStart { .. } | EventData::SequenceStart { .. } => {
                let at = self.base + self.byte_offset(mark);
                // A mapping or sequence written as a key (which the listing format has no
                // use for) holds what is in it under the key's node.
                let node = match self.next_node(None, None) {
                    Some(node) => node,
                    None => self.spans.nodes.len() - 1,
                };
                self.spans.nodes[node].value.get_or_insert(at..at);
                self.stack.push(match ev {
                    EventData::MappingStart { .. } => Frame::Mapping {
                        node,
                        key: None,
                        first_key: true,
                    },
                    _ => Frame::Sequence { node, index: 0 },
                });
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
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
    fn a_path_nothing_matches_points_at_the_document_s_first_key() {
        let text = "title: Garden\narea: north\n";
        let (_, spans) = parse(text, 0).unwrap();
        assert_eq!(&text[spans.value("nothing")], "title");
        assert_eq!(&text[spans.key("nothing.deeper")], "title");
        assert_eq!(&text[spans.value("area[3]")], "north");
    }

    #[test]
    fn a_key_may_hold_a_dot_and_an_item_needs_its_brackets() {
        let text = "a: 1\na.b: 2\nlist:\n  - x: 5\n";
        let (_, spans) = parse(text, 0).unwrap();
        assert_eq!(&text[spans.value("a.b")], "2");
        assert_eq!(&text[spans.key("a.b")], "a.b");
        assert_eq!(&text[spans.value("a")], "1");
        assert_eq!(&text[spans.value("list[0].x")], "5");
        assert_eq!(spans.value("list[0]x"), spans.value("list"));
    }

    #[test]
    fn syntax_errors_carry_an_offset() {
        let err = parse("title: [unclosed\n", 10).unwrap_err();
        assert!(err.offset >= 10, "{err:?}");
    }
}
