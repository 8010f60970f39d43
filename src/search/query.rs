//! Answering a query from the built index: every word must match (in any text field, or as
//! a synonym, or nearly when mistyped); filters are OR within a facet and AND across facets.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::directory::{Directory, RamDirectory};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value};
use tantivy::tokenizer::{SimpleTokenizer, TokenStream, Tokenizer};

use crate::write::{Content, Output};
use tantivy::{Index, IndexReader, Searcher, TantivyDocument, Term};

use super::index::{INDEX_DIR, SYNONYMS_FILE, TEXT_FIELDS};
use super::{ANALYZER, SearchError, TITLE_ANALYZER, analyzer, terms};

pub(super) type BoxQuery = Box<dyn tantivy::query::Query>;

/// What was asked: words, and filters as (facet, value) pairs such as ("needs", "dementia").
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub filters: Vec<(String, String)>,
}

/// A service found, best first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    pub score: f32,
}

/// The index of a built site, ready to answer queries.
pub struct SearchIndex {
    schema: Schema,
    reader: IndexReader,
    synonyms: Vec<Vec<Vec<String>>>,
}

/// An index of the files given, by name, held in memory.
fn in_memory<'a>(files: impl Iterator<Item = (&'a Path, &'a [u8])>) -> Result<Index, SearchError> {
    let dir = RamDirectory::create();
    for (name, bytes) in files {
        dir.atomic_write(name, bytes)
            .map_err(|e| SearchError::tantivy("opened")(e.into()))?;
    }
    Index::open(dir).map_err(SearchError::tantivy("opened"))
}

/// Typo tolerance grows with word length: 4+ letters allow one edit, 8+ two.
fn edit_distance_for(word: &str) -> Option<u8> {
    match word.chars().count() {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

impl SearchIndex {
    /// Opens the index in a built site's output folder, read into memory: tantivy's own
    /// directory leaves a lock file beside the index, and reading a site must not change it
    /// (nor fail when it is read-only).
    pub fn open(output: &Path) -> Result<SearchIndex, SearchError> {
        let dir = output.join(INDEX_DIR);
        if !dir.join("meta.json").is_file() {
            return Err(SearchError::NoIndex(dir));
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(SearchError::io(&dir))? {
            let path = entry.map_err(SearchError::io(&dir))?.path();
            if path.is_file() {
                let bytes = std::fs::read(&path).map_err(SearchError::io(&path))?;
                files.push((
                    path.file_name().map(PathBuf::from).unwrap_or_default(),
                    bytes,
                ));
            }
        }
        let index = in_memory(
            files
                .iter()
                .map(|(name, bytes)| (name.as_path(), &bytes[..])),
        )?;
        let synonyms = std::fs::read_to_string(output.join(SYNONYMS_FILE)).unwrap_or_default();
        SearchIndex::from_index(index, &synonyms)
    }

    /// Opens the index of a site built in memory (`dayopps serve`).
    pub fn from_output(output: &Output) -> Result<SearchIndex, SearchError> {
        let prefix = format!("{INDEX_DIR}/");
        let files = output.files.iter().filter_map(|(path, content)| {
            Some((Path::new(path.strip_prefix(&prefix)?), content.bytes()?))
        });
        let index = in_memory(files)?;
        let synonyms = match output.get(SYNONYMS_FILE).and_then(Content::bytes) {
            Some(b) => String::from_utf8_lossy(b).into_owned(),
            None => String::new(),
        };
        SearchIndex::from_index(index, &synonyms)
    }

    fn from_index(index: Index, synonyms: &str) -> Result<SearchIndex, SearchError> {
        index.tokenizers().register(ANALYZER, analyzer());
        index.tokenizers().register(TITLE_ANALYZER, analyzer());
        let reader = index.reader().map_err(SearchError::tantivy("opened"))?;
        Ok(SearchIndex {
            schema: index.schema(),
            reader,
            synonyms: serde_json::from_str(synonyms).unwrap_or_default(),
        })
    }

    fn field(&self, name: &str) -> Result<Field, SearchError> {
        self.schema
            .get_field(name)
            .map_err(SearchError::tantivy("read"))
    }

    /// The best `limit` services for a query.
    pub fn search(&self, query: &Query, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, BoxQuery)> = Vec::new();
        let words = words(&query.text);
        let analysed: Vec<Option<String>> =
            words.iter().map(|w| terms(w).into_iter().next()).collect();
        let mut i = 0;
        while i < words.len() {
            if let Some((len, group)) = self.phrase_synonym(&analysed[i..]) {
                let mut should: Vec<(Occur, BoxQuery)> = Vec::new();
                for alternative in group {
                    should.push((Occur::Should, self.all_terms(alternative)?));
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
                i += len;
                continue;
            }
            if let Some(q) = self.word_query(&searcher, &words[i], i + 1 == words.len())? {
                clauses.push((Occur::Must, q));
            }
            i += 1;
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        clauses.extend(self.filter_clauses(&query.filters)?);
        let q = BooleanQuery::new(clauses);
        let found = searcher
            .search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(SearchError::tantivy("searched"))?;
        let (slug, title) = (self.field("slug")?, self.field("title")?);
        let mut hits = Vec::new();
        for (score, address) in found {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(SearchError::tantivy("read"))?;
            let text = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            hits.push(Hit {
                slug: text(slug),
                title: text(title),
                score,
            });
        }
        Ok(hits)
    }

    /// A synonym of several words ("memory loss") that the query starts with: its length in
    /// words and its group.
    fn phrase_synonym(&self, terms: &[Option<String>]) -> Option<(usize, &[Vec<String>])> {
        self.synonyms.iter().find_map(|group| {
            group.iter().find_map(|entry| {
                let matches = entry.len() > 1
                    && entry.len() <= terms.len()
                    && entry
                        .iter()
                        .zip(terms)
                        .all(|(e, t)| t.as_deref() == Some(e.as_str()));
                matches.then_some((entry.len(), group.as_slice()))
            })
        })
    }

    /// One word: its term, its synonyms, and when none of those is in the index, near misses.
    fn word_query(
        &self,
        searcher: &Searcher,
        word: &str,
        last: bool,
    ) -> Result<Option<BoxQuery>, SearchError> {
        let Some(term) = terms(word).into_iter().next() else {
            return Ok(None);
        };
        let mut should: Vec<(Occur, BoxQuery)> = Vec::new();
        for alternative in &alternatives(&self.synonyms, &term) {
            should.push((Occur::Should, self.all_terms(alternative)?));
        }
        if !self.exists(searcher, &term)? {
            should.extend(self.near_misses(word, &term, last)?);
        }
        Ok(Some(Box::new(BooleanQuery::new(should))))
    }

    /// Every term of an alternative, each in any text field.
    fn all_terms(&self, terms: &[String]) -> Result<BoxQuery, SearchError> {
        let mut must: Vec<(Occur, BoxQuery)> = Vec::new();
        for t in terms {
            must.push((Occur::Must, any_field_query(&self.schema, t)?));
        }
        Ok(Box::new(BooleanQuery::new(must)))
    }

    fn exists(&self, searcher: &Searcher, term: &str) -> Result<bool, SearchError> {
        for (name, _) in TEXT_FIELDS {
            let t = Term::from_field_text(self.field(name)?, term);
            if searcher
                .doc_freq(&t)
                .map_err(SearchError::tantivy("read"))?
                > 0
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Mistyped words within the edit distance, and for the last word anything it starts.
    fn near_misses(
        &self,
        word: &str,
        term: &str,
        last: bool,
    ) -> Result<Vec<(Occur, BoxQuery)>, SearchError> {
        let mut out: Vec<(Occur, BoxQuery)> = Vec::new();
        for (name, boost) in TEXT_FIELDS {
            let t = Term::from_field_text(self.field(name)?, term);
            if let Some(distance) = edit_distance_for(word) {
                let q = FuzzyTermQuery::new(t.clone(), distance, true);
                out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
            if last && term.chars().count() >= 2 {
                let q = FuzzyTermQuery::new_prefix(t, 0, true);
                out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
        Ok(out)
    }

    /// One clause per facet: any of its values, scoring nothing so filters never change order.
    fn filter_clauses(
        &self,
        filters: &[(String, String)],
    ) -> Result<Vec<(Occur, BoxQuery)>, SearchError> {
        let mut facets: Vec<&str> = filters.iter().map(|(f, _)| f.as_str()).collect();
        facets.sort();
        facets.dedup();
        let mut out: Vec<(Occur, BoxQuery)> = Vec::new();
        for facet in facets {
            let field = self.schema.get_field(facet).map_err(|_| {
                let names: Vec<&str> = self
                    .schema
                    .fields()
                    .filter(|(_, e)| matches!(e.field_type(), tantivy::schema::FieldType::Facet(_)))
                    .map(|(_, e)| e.name())
                    .collect();
                SearchError::BadFilter(facet.to_string(), names.join(", "))
            })?;
            let any: Vec<(Occur, BoxQuery)> = filters
                .iter()
                .filter(|(f, _)| f == facet)
                .map(|(_, value)| {
                    // Days can be given as in listings (`sat`) or as in URLs (`saturday`).
                    let value = match crate::model::Day::from_key(value) {
                        Some(day) if facet == "days" => {
                            crate::model::facets::day_key(day).to_string()
                        }
                        _ => value.clone(),
                    };
                    let term = Term::from_facet(
                        field,
                        &tantivy::schema::Facet::from_path([value.as_str()]),
                    );
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as BoxQuery,
                    )
                })
                .collect();
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }
        Ok(out)
    }
}

/// A term and every entry of the synonym groups it is a word of, each once: a term in two
/// groups that share an entry ("memory loss") would otherwise score that entry twice. The
/// browser's `wordMatches` takes the same alternatives, in the same order.
fn alternatives(synonyms: &[Vec<Vec<String>>], term: &str) -> Vec<Vec<String>> {
    let mut out = vec![vec![term.to_string()]];
    for group in synonyms
        .iter()
        .filter(|g| g.iter().any(|t| t.len() == 1 && t[0] == term))
    {
        for entry in group {
            if !out.contains(entry) {
                out.push(entry.clone());
            }
        }
    }
    out
}

/// One analysed term in any text field, each field with its boost: the query whose scores
/// the browser index stores, so browser and server rank alike.
pub(super) fn any_field_query(schema: &Schema, term: &str) -> Result<BoxQuery, SearchError> {
    let mut any_field: Vec<(Occur, BoxQuery)> = Vec::new();
    for (name, boost) in TEXT_FIELDS {
        let field = schema
            .get_field(name)
            .map_err(SearchError::tantivy("read"))?;
        let q = TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        );
        any_field.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
    }
    Ok(Box::new(BooleanQuery::new(any_field)))
}

/// The words of a query as typed, split as the analyzer splits them.
fn words(text: &str) -> Vec<String> {
    let mut tokenizer = SimpleTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::alternatives;

    fn entries(group: &[&str]) -> Vec<Vec<String>> {
        group
            .iter()
            .map(|e| e.split(' ').map(String::from).collect())
            .collect()
    }

    #[test]
    fn a_term_in_two_groups_takes_an_entry_they_share_once() {
        let synonyms = vec![
            entries(&["dementia", "memori loss", "alzheim"]),
            entries(&["memori loss", "dementia"]),
            entries(&["garden", "allot"]),
        ];
        assert_eq!(
            alternatives(&synonyms, "dementia"),
            entries(&["dementia", "memori loss", "alzheim"])
        );
        assert_eq!(alternatives(&synonyms, "club"), entries(&["club"]));
        // An entry of several words is not a word of its group: "memori" alone widens nothing.
        assert_eq!(alternatives(&synonyms, "memori"), entries(&["memori"]));
    }
}
