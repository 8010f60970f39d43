//! The document's value, built from the parser events that also give positions, so a
//! listing is parsed once. It must be exactly the value `serde_yaml::from_str` gives, which
//! the rest of the build was written against: where serde_yaml does anything but the plain
//! reading of an ordinary document (tags, anchors and aliases, repeated keys, several
//! documents, deep nesting, integers too large for 64 bits) the builder gives up, and the
//! caller asks serde_yaml, which also words every error.

use libyaml_safer::{EventData, ScalarStyle};
use serde_yaml::{Mapping, Number, Value};

/// Nesting deeper than this is left to serde_yaml, which has its own limit and message.
const MAX_DEPTH: usize = 64;

enum Open {
    Sequence(Vec<Value>),
    Mapping(Mapping, Option<Value>),
}

/// Builds a value from parser events; `finish` gives it, or `None` if it gave up.
#[derive(Default)]
pub struct Builder {
    open: Vec<Open>,
    done: Option<Value>,
    documents: usize,
    gave_up: bool,
}

impl Builder {
    pub fn on_event(&mut self, event: &EventData) {
        if self.gave_up {
            return;
        }
        match event {
            EventData::DocumentStart { .. } => {
                self.documents += 1;
                self.gave_up |= self.documents > 1;
            }
            EventData::Scalar {
                anchor: None,
                tag: None,
                value,
                style,
                ..
            } => match scalar(value, *style) {
                Some(value) => self.add(value),
                None => self.gave_up = true,
            },
            EventData::SequenceStart {
                anchor: None,
                tag: None,
                ..
            } if self.open.len() < MAX_DEPTH => self.open.push(Open::Sequence(Vec::new())),
            EventData::MappingStart {
                anchor: None,
                tag: None,
                ..
            } if self.open.len() < MAX_DEPTH => self.open.push(Open::Mapping(Mapping::new(), None)),
            EventData::SequenceEnd | EventData::MappingEnd => match self.open.pop() {
                Some(Open::Sequence(items)) => self.add(Value::Sequence(items)),
                Some(Open::Mapping(map, None)) => self.add(Value::Mapping(map)),
                _ => self.gave_up = true,
            },
            EventData::StreamStart { .. }
            | EventData::StreamEnd
            | EventData::DocumentEnd { .. } => {}
            // Anchors, aliases, tags, deep nesting.
            _ => self.gave_up = true,
        }
    }

    fn add(&mut self, value: Value) {
        match self.open.last_mut() {
            None => self.gave_up |= self.done.replace(value).is_some(),
            Some(Open::Sequence(items)) => items.push(value),
            Some(Open::Mapping(_, key @ None)) => *key = Some(value),
            Some(Open::Mapping(map, key @ Some(_))) => {
                let key = key.take().unwrap_or_default();
                // serde_yaml refuses a repeated key, in its own words.
                self.gave_up |= map.insert(key, value).is_some();
            }
        }
    }

    /// The document's value, if it was an ordinary one.
    pub fn finish(self) -> Option<Value> {
        match self.gave_up || !self.open.is_empty() {
            true => None,
            false => self.done,
        }
    }
}

/// A scalar as serde_yaml reads it without a tag: quoted and block scalars are text; plain
/// ones are null, a boolean, a number or text (YAML 1.2's core schema, as serde_yaml has
/// it). `None` for an integer serde_yaml would refuse.
fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::String(text.to_string()));
    }
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match integer(text) {
            Integer::Fits(n) => Value::Number(n),
            Integer::TooLarge => return None,
            Integer::Text => Value::String(text.to_string()),
            Integer::Not => match float(text) {
                Some(f) => Value::Number(Number::from(f)),
                None => Value::String(text.to_string()),
            },
        },
    })
}

enum Integer {
    Fits(Number),
    /// Fits 128 bits but not 64: serde_yaml refuses the document.
    TooLarge,
    /// Digits with a leading zero: text, not a number of any kind.
    Text,
    /// Not an integer; perhaps a float.
    Not,
}

/// `12`, `-12`, `+12`, `0x1F`, `-0o17`, `+0b101`; a decimal with a leading zero (`0123`) is
/// text, as are signs after the first.
fn integer(text: &str) -> Integer {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match unsigned.get(..2) {
        Some("0x") => (16, &unsigned[2..]),
        Some("0o") => (8, &unsigned[2..]),
        Some("0b") => (2, &unsigned[2..]),
        _ if leading_zero_digits(unsigned) => return Integer::Text,
        _ => (10, unsigned),
    };
    if digits.starts_with(['+', '-']) {
        return Integer::Not;
    }
    let Ok(magnitude) = u128::from_str_radix(digits, radix) else {
        return Integer::Not;
    };
    let fits = match negative {
        false => u64::try_from(magnitude).ok().map(Number::from),
        true => 0i128
            .checked_sub_unsigned(magnitude)
            .and_then(|n| i64::try_from(n).ok())
            .map(Number::from),
    };
    match fits {
        Some(n) => Integer::Fits(n),
        None if negative && magnitude > i128::MAX as u128 + 1 => Integer::Not,
        None => Integer::TooLarge,
    }
}

/// Digits starting with a zero, which YAML 1.2 reads as text.
fn leading_zero_digits(unsigned: &str) -> bool {
    unsigned.len() > 1 && unsigned.starts_with('0') && unsigned.bytes().all(|b| b.is_ascii_digit())
}

/// `1.5`, `-2e3`, `.inf`, `-.Inf`, `.nan`; text that Rust reads as infinite or not a number
/// (`inf`, `NaN`, `1e999`) stays text.
fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (text, unsigned) {
        (_, ".inf" | ".Inf" | ".INF") => Some(f64::INFINITY),
        ("-.inf" | "-.Inf" | "-.INF", _) => Some(f64::NEG_INFINITY),
        (".nan" | ".NaN" | ".NAN", _) => Some(f64::NAN),
        _ => unsigned.parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The builder's value for `text`, `None` where it leaves the reading to serde_yaml.
    fn built(text: &str) -> Option<Value> {
        let mut builder = Builder::default();
        crate::load::yaml::each_event(text, |data, _| builder.on_event(&data)).ok()?;
        builder.finish()
    }

    /// Whether the builder agrees with serde_yaml on `text`; `Some(true)` when it read it.
    fn agrees(text: &str) -> Result<bool, String> {
        let ours = built(text);
        let theirs = serde_yaml::from_str::<Value>(text);
        match (&ours, &theirs) {
            (None, _) => Ok(false),
            (Some(a), Ok(b)) if a == b => Ok(true),
            _ => Err(format!("{text:?}: ours {ours:?}, serde_yaml {theirs:?}")),
        }
    }

    const SIGNS: [&str; 6] = ["", "+", "-", "+-", "--", "-+"];
    const BODIES: [&str; 48] = [
        "0",
        "00",
        "0123",
        "123",
        "0x1F",
        "0xg",
        "0x",
        "0X1F",
        "0o17",
        "0o8",
        "0b101",
        "0b2",
        "0x-1",
        "0x+1",
        "1.5",
        ".5",
        "1.",
        "1e3",
        "1E400",
        "1e-400",
        ".inf",
        ".Inf",
        ".INF",
        ".nan",
        ".NaN",
        "nan",
        "NaN",
        "inf",
        "infinity",
        "1_000",
        "12:30",
        "2026-01-01",
        "1,5",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "170141183460469231731687303715884105727",
        "170141183460469231731687303715884105728",
        "170141183460469231731687303715884105729",
        "340282366920938463463374607431768211455",
        "340282366920938463463374607431768211456",
        "0xffffffffffffffffffffffffffffffff",
        "0x1ffffffffffffffffffffffffffffffff",
        "\u{661}\u{662}",
        "1 2",
        "e5",
        "",
    ];
    const WORDS: [&str; 22] = [
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "False",
        "FALSE",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "'quoted 12'",
        "\"0x10\"",
        "|\n  12\n",
        ">-\n  true\n",
    ];

    #[test]
    fn scalars_read_as_serde_yaml_reads_them() {
        let mut read = 0;
        let words = SIGNS
            .iter()
            .flat_map(|s| BODIES.iter().map(move |b| format!("{s}{b}")))
            .chain(WORDS.iter().map(|w| w.to_string()));
        for word in words {
            for text in [
                format!("k: {word}\n"),
                format!("- {word}\n- x\n"),
                format!("{word}: v\n"),
            ] {
                read += usize::from(agrees(&text).unwrap());
            }
        }
        // Almost all of them are ordinary and read by the builder, not left to serde_yaml.
        assert!(read > 800, "{read}");
    }

    #[test]
    fn what_serde_yaml_treats_specially_is_left_to_it() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !tag 1\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "a: 1\n---\nb: 2\n",
            "a: 99999999999999999999\n",
            "a: -9223372036854775809\n",
            "",
            "# only a comment\n",
            &"[".repeat(70),
        ] {
            assert_eq!(agrees(text), Ok(false), "{text:?}");
        }
        let deep = format!("{}1{}", "[".repeat(60), "]".repeat(60));
        assert_eq!(agrees(&deep), Ok(true));
    }

    #[test]
    fn every_listing_and_fixture_reads_as_serde_yaml_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let path = entry.unwrap().into_path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let yaml = match path.extension().and_then(|e| e.to_str()) {
                    Some("yaml" | "yml") => text.as_str(),
                    Some("md") => match crate::load::front_matter::split(&text) {
                        Ok(split) => split.yaml,
                        Err(_) => continue,
                    },
                    _ => continue,
                };
                read += usize::from(agrees(yaml).unwrap());
            }
        }
        assert!(read > 50, "{read}");
        assert!(agrees(&std::fs::read_to_string(root.join("site.yaml")).unwrap()).unwrap());
    }

    proptest! {
        #[test]
        fn any_plain_scalar_reads_as_serde_yaml_reads_it(word in "[-+0-9a-fA-FxXobnN.eE_~ :]{0,24}") {
            for text in [format!("k: {word}\n"), format!("- {word}\n")] {
                prop_assert!(agrees(&text).is_ok(), "{:?}", agrees(&text));
            }
        }

        #[test]
        fn any_quoted_or_block_text_reads_as_serde_yaml_reads_it(word in "[ -~\\n\\t\u{e9}\u{2019}]{0,40}") {
            for text in [
                format!("k: \"{}\"\n", word.replace('\\', "\\\\").replace('"', "\\\"")),
                format!("k: '{}'\n", word.replace('\'', "''")),
                format!("k: |\n  {}\n", word.replace('\n', "\n  ")),
                format!("k: >\n  {}\n", word.replace('\n', "\n  ")),
            ] {
                prop_assert!(agrees(&text).is_ok(), "{:?}", agrees(&text));
            }
        }
    }
}
