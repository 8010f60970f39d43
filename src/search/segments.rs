//! The index writer's memory, bounded: documents go into one segment until its writer holds
//! `budget` bytes, then into a new one, and the segments are merged into one at the end.
//!
//! tantivy's writer of one segment keeps every term and posting of that segment in memory
//! until it is finished, and its table of terms can grow past any budget given (and fails
//! past 4 GB). At 100,000 listings a single segment's writer held hundreds of megabytes
//! beside the rest of the build; a finished segment, compressed, is a fraction of that.
//! The browser's index (`browser.rs`) reads one segment, whose document numbers are the
//! listings' places in the list, so the segments are merged in the order they were written.

use tantivy::directory::{Directory, RamDirectory};
use tantivy::indexer::merge_indices;
use tantivy::schema::Schema;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexBuilder, SingleSegmentIndexWriter, TantivyDocument};

use super::SearchError;

/// What tantivy sizes its first table of terms by (a third of it), which grows as it fills.
/// A table that fits the processor's cache made a 1,000-listing build 3% faster than the
/// 4 MB table of the smallest budget `IndexWriter` takes (15 MB).
const TERM_TABLE_BUDGET: usize = 2 * 1024 * 1024;

/// Writes documents into segments of at most about `budget` bytes of writer memory each.
pub struct BoundedWriter {
    schema: Schema,
    tokenizers: TokenizerManager,
    budget: usize,
    writer: SingleSegmentIndexWriter,
    /// Documents in `writer`'s segment so far.
    in_segment: usize,
    /// The segments finished so far, each an index of its own in memory, in order.
    finished: Vec<Index>,
}

impl BoundedWriter {
    /// A writer whose segments are finished once their writer holds `budget` bytes.
    pub fn new(
        schema: Schema,
        tokenizers: TokenizerManager,
        budget: usize,
    ) -> Result<Self, SearchError> {
        let writer = segment_writer(&schema, &tokenizers)?;
        Ok(BoundedWriter {
            schema,
            tokenizers,
            budget,
            writer,
            in_segment: 0,
            finished: Vec::new(),
        })
    }

    pub fn add_document(&mut self, doc: TantivyDocument) -> Result<(), SearchError> {
        // Checked before adding, so a segment is never empty, and the check depends only on
        // the documents: the same listings cut into the same segments every build.
        if self.in_segment > 0 && self.writer.mem_usage() >= self.budget {
            let next = segment_writer(&self.schema, &self.tokenizers)?;
            let full = std::mem::replace(&mut self.writer, next);
            self.finished.push(full.finalize().map_err(written)?);
            self.in_segment = 0;
        }
        self.in_segment += 1;
        self.writer.add_document(doc).map_err(written)
    }

    /// How many segments have been started so far.
    pub fn segments(&self) -> usize {
        self.finished.len() + 1
    }

    /// The index of every document added, as one segment, documents in the order added.
    pub fn finish(mut self) -> Result<Index, SearchError> {
        let segments = self.segments();
        crate::timings::note(|| format!("search index: written in {segments} segment(s)"));
        let last = self.writer.finalize().map_err(written)?;
        if self.finished.is_empty() {
            return Ok(last);
        }
        self.finished.push(last);
        let _t = crate::timings::span("search index: segments merged");
        let mut merged = merge_indices(&self.finished, RamDirectory::create()).map_err(written)?;
        merged.set_tokenizers(self.tokenizers);
        without_merge_note(&merged)?;
        Ok(merged)
    }
}

/// Takes out the note a merge leaves in meta.json, which names the segments merged by their
/// random ids: two builds would differ. The file is otherwise written as tantivy writes it.
fn without_merge_note(index: &Index) -> Result<(), SearchError> {
    let mut meta = index.load_metas().map_err(written)?;
    meta.payload = None;
    let mut text = serde_json::to_vec_pretty(&meta)
        .map_err(|e| written(tantivy::TantivyError::SystemError(e.to_string())))?;
    text.push(b'\n');
    index
        .directory()
        .atomic_write(std::path::Path::new("meta.json"), &text)
        .map_err(|e| written(e.into()))
}

/// A writer of one segment, in memory, on the calling thread: documents keep the order they
/// are added in, so the index is the same every build. (tantivy hides this writer from its
/// documentation, as meant for those who know they want one segment and an empty directory:
/// we do. `IndexWriter` with one thread did the same work on threads of its own, and took 5%
/// longer at 1,000 listings.)
fn segment_writer(
    schema: &Schema,
    tokenizers: &TokenizerManager,
) -> Result<SingleSegmentIndexWriter, SearchError> {
    IndexBuilder::new()
        .schema(schema.clone())
        .tokenizers(tokenizers.clone())
        .single_segment_index_writer(RamDirectory::create(), TERM_TABLE_BUDGET)
        .map_err(written)
}

fn written(e: tantivy::TantivyError) -> SearchError {
    SearchError::tantivy("written")(e)
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STORED, STRING, TEXT, Value};
    use tantivy::{Term, doc};

    use super::*;

    /// `count` documents written with `budget`: how many segments they were written in, the
    /// merged index, and its files' bytes by name.
    fn written(count: usize, budget: usize) -> (usize, Index, Vec<(String, Vec<u8>)>) {
        let mut schema = Schema::builder();
        let slug = schema.add_text_field("slug", STRING | STORED);
        let body = schema.add_text_field("body", TEXT);
        let schema = schema.build();
        let mut writer = BoundedWriter::new(schema, TokenizerManager::default(), budget).unwrap();
        for i in 0..count {
            let words = format!("word{} shared word{}", i % 7, i % 3);
            writer
                .add_document(doc!(slug => format!("s{i:03}"), body => words))
                .unwrap();
        }
        let segments = writer.segments();
        let index = writer.finish().unwrap();
        let metas = index.searchable_segment_metas().unwrap();
        let dir = index.directory();
        let mut files = Vec::new();
        for meta in &metas {
            for ext in ["idx", "term", "store", "fast", "fieldnorm"] {
                let path = format!("{}.{ext}", meta.id().uuid_string());
                files.push((ext.to_string(), dir.atomic_read(path.as_ref()).unwrap()));
            }
        }
        let meta = String::from_utf8(dir.atomic_read("meta.json".as_ref()).unwrap()).unwrap();
        let meta = metas.iter().fold(meta, |text, m| {
            let id = uuid::Uuid::parse_str(&m.id().uuid_string()).unwrap();
            text.replace(&id.hyphenated().to_string(), "SEG")
        });
        files.push(("meta.json".into(), meta.into_bytes()));
        files.sort();
        (segments, index, files)
    }

    /// The slugs of the documents holding `word`, best first, as a query ranks them.
    fn found(index: &Index, word: &str) -> Vec<(String, u32)> {
        let schema = index.schema();
        let (slug, body) = (
            schema.get_field("slug").unwrap(),
            schema.get_field("body").unwrap(),
        );
        let query = TermQuery::new(
            Term::from_field_text(body, word),
            IndexRecordOption::WithFreqs,
        );
        let searcher = index.reader().unwrap().searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(100).order_by_score())
            .unwrap();
        top.into_iter()
            .map(|(_, at)| {
                let d: tantivy::TantivyDocument = searcher.doc(at).unwrap();
                let s = d.get_first(slug).and_then(|v| v.as_str()).unwrap();
                (s.to_string(), at.doc_id)
            })
            .collect()
    }

    #[test]
    fn a_writer_past_its_budget_starts_a_segment_and_they_are_merged_in_order() {
        // No budget at all: every document in a segment of its own.
        let (segments, cut, cut_files) = written(40, 0);
        assert_eq!(segments, 40);
        let (segments, whole, _) = written(40, usize::MAX);
        assert_eq!(segments, 1);

        let metas = cut.searchable_segment_metas().unwrap();
        assert_eq!(metas.len(), 1, "merged into one segment");
        assert_eq!(metas[0].max_doc(), 40);
        for word in ["shared", "word0", "word5", "word2"] {
            let answers = found(&cut, word);
            assert!(!answers.is_empty(), "{word}");
            assert_eq!(
                answers,
                found(&whole, word),
                "{word}: same documents, numbers, order"
            );
        }
        // Document numbers are the order the documents were added in.
        let shared = found(&cut, "word0");
        assert!(
            shared.iter().all(|(s, n)| s == &format!("s{n:03}")),
            "{shared:?}"
        );

        let meta = cut_files
            .iter()
            .find(|(name, _)| name == "meta.json")
            .unwrap();
        let meta = String::from_utf8(meta.1.clone()).unwrap();
        assert!(!meta.contains("Merge"), "no note naming random ids: {meta}");
        assert_eq!(written(40, 0).2, cut_files, "the same bytes every time");
    }
}
