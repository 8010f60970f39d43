//! Plain English: reading ease, long sentences, block capitals, alt text and phone numbers,
//! checked as warnings so providers learn to write for the people who use the directory.

use std::sync::LazyLock;

use regex::Regex;

pub use crate::model::CheckLimits as Limits;

/// Texts shorter than this give reading-ease scores that mean nothing.
const MIN_WORDS_FOR_EASE: usize = 12;

/// A problem with a piece of prose, for the caller to place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    pub message: String,
    pub help: String,
}

pub fn words(text: &str) -> Vec<&str> {
    each_word(text).collect()
}

/// Runs of letters, digits and apostrophes (' and ’) that hold a letter.
fn each_word(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// Sentences, split at . ! ? followed by a space or the end; list items and lines count too.
pub fn sentences(text: &str) -> Vec<&str> {
    static END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[.!?]+(\s+|$)|\n\s*\n|\n\s*[-*]\s").expect("a valid pattern")
    });
    // A letter is always part of a word, so a sentence has words when it has a letter.
    END.split(text)
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphabetic))
        .collect()
}

/// Syllables by vowel groups, less a silent final e: close enough for reading ease.
pub fn syllables(word: &str) -> usize {
    // This runs for every word of every listing: ASCII words skip Unicode lower-casing.
    if word.is_ascii() {
        syllables_in(word.bytes().filter(u8::is_ascii_alphabetic))
    } else {
        let letters = word.chars().flat_map(char::to_lowercase);
        syllables_in(letters.filter(char::is_ascii_alphabetic).map(|c| c as u8))
    }
}

/// Syllables in a word's ASCII letters, counted as they stream by: vowel groups, and the
/// last three letters for the silent e.
fn syllables_in(letters: impl Iterator<Item = u8>) -> usize {
    // A vowel is looked up in a bit mask, not compared: branches on letters are a coin toss
    // for the processor, and mispredicting them was most of the time spent here.
    const VOWELS: u32 = 1 << 0 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20 | 1 << 24; // a e i o u y
    let vowel = |b: u8| (VOWELS >> ((b | 0x20).wrapping_sub(b'a') & 31)) & 1 == 1;
    let (mut count, mut previous_vowel, mut n) = (0, false, 0);
    let mut last = [0u8; 3];
    for b in letters {
        let v = vowel(b);
        count += usize::from(v & !previous_vowel);
        previous_vowel = v;
        last = [b | 0x20, last[0], last[1]];
        n += 1;
    }
    // "make" has one syllable, "table" two: a final e is silent unless it follows consonant + l.
    let silent_e = n > 2 && last[0] == b'e' && !vowel(last[1]);
    if silent_e && (last[1] != b'l' || vowel(last[2])) {
        count -= 1;
    }
    count.max(1)
}

/// Flesch reading ease: 100 is very easy, below 60 is hard for many people.
pub fn reading_ease(text: &str) -> Option<f64> {
    ease(&words(text), sentences(text).len())
}

/// Reading ease of text with these words and `n_sentences` sentences.
fn ease(ws: &[&str], n_sentences: usize) -> Option<f64> {
    let n_sentences = n_sentences.max(1);
    if ws.len() < MIN_WORDS_FOR_EASE {
        return None;
    }
    let n_syllables: usize = ws.iter().map(|w| syllables(w)).sum();
    let words = ws.len() as f64;
    Some(206.835 - 1.015 * (words / n_sentences as f64) - 84.6 * (n_syllables as f64 / words))
}

/// The first words of a sentence as written, to say which sentence is meant.
fn opening(sentence: &str) -> String {
    let ws: Vec<&str> = sentence.split_whitespace().collect();
    let mut s = ws.iter().take(6).copied().collect::<Vec<_>>().join(" ");
    if ws.len() > 6 {
        s.push('…');
    }
    s
}

/// Advice on prose: reading ease, long sentences and block capitals.
pub fn prose(text: &str, limits: &Limits, easy_read: bool) -> Vec<Advice> {
    let mut out = Vec::new();
    // Easy Read is judged by its sentence length; a limit of 0 turns the check off.
    let checked = !easy_read && limits.reading_ease > 0.0;
    let sentences = sentences(text);
    // Sentences are split at characters that are never part of a word, so their words,
    // one after another, are the text's.
    let mut ws = Vec::new();
    let mut counts = Vec::with_capacity(sentences.len());
    for s in &sentences {
        let before = ws.len();
        ws.extend(each_word(s));
        counts.push(ws.len() - before);
    }
    let score = if checked {
        ease(&ws, sentences.len()).filter(|s| *s < limits.reading_ease)
    } else {
        None
    };
    if let Some(score) = score {
        out.push(Advice {
            message: format!("this text is hard to read (reading ease {score:.0}; aim for {:.0} or more)", limits.reading_ease),
            help: "use shorter sentences and everyday words: \"help\" not \"facilitate\", \"about\" not \"approximately\"".into(),
        });
    }
    let max = if easy_read {
        limits.easy_read_sentence_words
    } else {
        limits.sentence_words
    };
    for (s, &n) in sentences.iter().zip(&counts) {
        if n > max {
            out.push(Advice {
                message: format!(
                    "the sentence \"{}\" has {n} words; keep sentences to {max} or fewer",
                    opening(s)
                ),
                help: if easy_read {
                    "Easy Read works best with one idea per sentence".into()
                } else {
                    "split it into two sentences".into()
                },
            });
        }
    }
    if let Some(caps) = shouting_in(&ws) {
        out.push(Advice {
            message: format!("\"{caps}\" is in capital letters, which are harder to read"),
            help:
                "write it in normal sentence case; use bold in the description if it must stand out"
                    .into(),
        });
    }
    out
}

/// The first run of block capitals: three capitalised words in a row, or one of 6+ letters.
pub fn shouting(text: &str) -> Option<String> {
    shouting_in(&words(text))
}

fn shouting_in(ws: &[&str]) -> Option<String> {
    // Most words have a lower-case letter within their first two: that is looked for first.
    let is_caps = |w: &str| {
        !w.chars().any(char::is_lowercase) && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
    };
    let runs = ws.split(|w| !is_caps(w)).filter(|run| !run.is_empty());
    for run in runs {
        if run.len() >= 3 {
            return Some(run.join(" "));
        }
        if let Some(long) = run.iter().find(|w| w.chars().count() >= 6) {
            return Some(long.to_string());
        }
    }
    None
}

/// Advice on alt text that will not help someone who cannot see the picture.
pub fn alt_text(alt: &str) -> Option<Advice> {
    static FILE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[\w-]+\.(png|jpe?g|gif|webp|svg|avif)$|^(img|dsc|image)[_-]?\d+")
            .expect("a valid pattern")
    });
    static REDUNDANT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(an? )?(image|picture|photo|photograph|graphic) (of|showing)\b")
            .expect("a valid pattern")
    });
    let alt = alt.trim();
    let (message, help) = if FILE.is_match(alt) {
        (
            format!("the alt text \"{alt}\" is a file name"),
            "describe what the picture shows, for people who cannot see it",
        )
    } else if REDUNDANT.is_match(alt) {
        (
            format!("the alt text \"{alt}\" starts by saying it is a picture"),
            "screen readers already say it is an image: start with what it shows",
        )
    } else if alt.chars().count() > 150 {
        (
            format!(
                "the alt text is {} characters long; keep it under 150",
                alt.chars().count()
            ),
            "say what matters in the picture in one sentence; put the rest in the description",
        )
    } else {
        return None;
    };
    Some(Advice {
        message,
        help: help.into(),
    })
}

/// A UK number written the usual way ("020 7946 0000", "01632 960000", "07700 900000"),
/// or `None` when the digits do not make a UK number.
pub fn uk_phone(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("44") {
        Some(rest) if text.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    };
    if national.len() != 11 || !national.starts_with('0') {
        return None;
    }
    let split =
        |a: usize, b: usize| format!("{} {} {}", &national[..a], &national[a..b], &national[b..]);
    Some(match &national[..2] {
        "02" => split(3, 7),
        "01" if national.as_bytes()[3] == b'1' || national.as_bytes()[2] == b'1' => split(4, 7),
        "03" | "08" | "09" => split(4, 7),
        _ => format!("{} {}", &national[..5], &national[5..]),
    })
}

/// Times and days written in ways screen readers stumble over: "9-5", "Mon-Fri", "9.30am".
pub fn spoken_times(text: &str) -> Option<Advice> {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d[\d.:]*\s*(am|pm)?\s*[-–]\s*\d[\d.:]*(am|pm)?").expect("a valid pattern")
    });
    static DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?")
            .expect("a valid pattern")
    });
    if let Some(m) = RANGE.find(text) {
        return Some(Advice {
            message: format!("\"{}\" is read out badly by screen readers", m.as_str()),
            help: "write ranges with \"to\", such as \"9am to 5pm\"".into(),
        });
    }
    DAY.find(text).map(|m| Advice {
        message: format!("\"{}\" is a shortened day name", m.as_str()),
        help: "write days in full, such as \"Monday to Friday\"".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `prose` takes a text's words from its sentences, one after another: that must be the
    /// text's words, whatever ends the sentences.
    #[test]
    fn the_words_of_the_sentences_are_the_words_of_the_text() {
        for text in [
            "We meet at 10.30am, e.g. on Mondays. Tea & cake!",
            "One?! Two...three\n\n- a list\n* and more\n  - nested item",
            "Don't stop ’til it’s done. 123. 4.5 people. ?!",
            "Café Ünïon. SHOUTING HERE\n\nNew paragraph",
            "",
            "...",
        ] {
            let from_sentences: Vec<&str> =
                sentences(text).into_iter().flat_map(each_word).collect();
            assert_eq!(from_sentences, words(text), "{text:?}");
        }
    }

    /// What `each_word` finds, said plainly: slow, but plainly right.
    fn words_by_definition(text: &str) -> Vec<&str> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect()
    }

    /// Vowel groups (y counts), less a final e after a consonant, unless it ends
    /// consonant + "le"; at least one.
    fn syllables_by_definition(word: &str) -> usize {
        let w = word.to_ascii_lowercase().into_bytes();
        let vowel = |b: u8| b"aeiouy".contains(&b);
        let groups = (0..w.len())
            .filter(|&i| vowel(w[i]) && (i == 0 || !vowel(w[i - 1])))
            .count();
        let n = w.len();
        let silent_e =
            n > 2 && w[n - 1] == b'e' && !vowel(w[n - 2]) && (w[n - 2] != b'l' || vowel(w[n - 3]));
        (groups - usize::from(silent_e)).max(1)
    }

    proptest::proptest! {
        #[test]
        fn words_are_found_as_defined(text in "[a-zA-Z0-9 .,'\u{2019}\u{e9}\u{df}\u{660}\u{4e00}\u{1f600}\u{2c6}-]{0,40}") {
            proptest::prop_assert_eq!(words(&text), words_by_definition(&text));
        }

        #[test]
        fn syllables_are_counted_as_defined(word in "[a-zA-Z]{1,12}") {
            proptest::prop_assert_eq!(syllables(&word), syllables_by_definition(&word));
        }

        #[test]
        fn any_text_s_words_come_from_its_sentences(text in "[a-zA-Z0-9 .!?*'\u{2019}\n\t-]{0,60}") {
            let from_sentences: Vec<&str> =
                sentences(&text).into_iter().flat_map(each_word).collect();
            proptest::prop_assert_eq!(from_sentences, words(&text));
        }
    }

    #[test]
    fn counts_syllables_well_enough() {
        for (w, n) in [
            ("cat", 1),
            ("garden", 2),
            ("make", 1),
            ("table", 2),
            ("independence", 4),
            ("the", 1),
            ("MAKE", 1),
            ("TaBLE", 2),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn plain_text_reads_easily_and_jargon_does_not() {
        let plain =
            "We grow food in our garden. You can come on Monday. We have lunch together at one.";
        assert!(
            reading_ease(plain).is_some_and(|s| s > 80.0),
            "{:?}",
            reading_ease(plain)
        );
        let jargon = "Our organisation facilitates individualised, person-centred interventions optimising participants' independence through multidisciplinary collaboration.";
        assert!(
            reading_ease(jargon).is_some_and(|s| s < 30.0),
            "{:?}",
            reading_ease(jargon)
        );
    }

    #[test]
    fn long_sentences_and_capitals_are_found() {
        let limits = Limits::default();
        let advice = prose("PLEASE BOOK AHEAD. We are open.", &limits, false);
        assert_eq!(
            advice[0].message,
            "\"PLEASE BOOK AHEAD\" is in capital letters, which are harder to read"
        );
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.";
        assert_eq!(
            prose(long, &limits, true)[0].message,
            "the sentence \"one two three four five six…\" has 16 words; keep sentences to 15 or fewer"
        );
        assert!(shouting("Meet the NHS and BSL team").is_none());
    }

    #[test]
    fn alt_text_advice() {
        assert!(alt_text("IMG_2041.jpg").is_some());
        assert!(alt_text("Image of two people gardening").is_some());
        assert!(alt_text(&"word ".repeat(40)).is_some());
        assert!(alt_text("Two people planting seedlings in a raised bed.").is_none());
    }

    #[test]
    fn phone_numbers_in_the_usual_groups() {
        assert_eq!(uk_phone("02079460000").as_deref(), Some("020 7946 0000"));
        assert_eq!(
            uk_phone("+44 20 7946 0000").as_deref(),
            Some("020 7946 0000")
        );
        assert_eq!(uk_phone("01632960000").as_deref(), Some("01632 960000"));
        assert_eq!(uk_phone("0113 496 0000").as_deref(), Some("0113 496 0000"));
        assert_eq!(uk_phone("07700900000").as_deref(), Some("07700 900000"));
        assert_eq!(uk_phone("0800 123 4567").as_deref(), Some("0800 123 4567"));
        assert_eq!(uk_phone("12345"), None);
    }

    #[test]
    fn times_for_screen_readers() {
        assert!(spoken_times("Open 9-5").is_some());
        assert!(spoken_times("Open Mon to Fri").is_some());
        assert!(spoken_times("Open Monday to Friday, 9am to 5pm").is_none());
    }
}
