//! The UK profile's schemas, from tests/fixtures/oruk/, compiled once with formats checked
//! (`date-time`, `uuid`, `uri`, `email`), as the validator checks them.

use std::path::PathBuf;

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::{Value, json};

pub struct Schemas {
    pub root: Validator,
    pub service: Validator,
    pub service_list: Validator,
    pub service_at_location_list: Validator,
    pub taxonomy: Validator,
    pub taxonomy_term: Validator,
}

impl Schemas {
    pub fn load() -> Schemas {
        Schemas {
            root: compile(&root_schema()),
            service: compile(&file("schema-service.json")),
            service_list: compile(&file("schema-service_list.json")),
            service_at_location_list: compile(&file("schema-service_at_location_list.json")),
            taxonomy: compile(&file("schema-taxonomy.json")),
            taxonomy_term: compile(&file("schema-taxonomy_term.json")),
        }
    }
}

/// Every problem of `doc` against `schema`, each with where it was found.
pub fn problems(schema: &Validator, at: &str, doc: &Value) -> Vec<String> {
    schema
        .iter_errors(doc)
        .map(|e| format!("{at} at `{}`: {e}", e.instance_path()))
        .collect()
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oruk")
}

/// A schema as the profile writes it, but that an empty `allOf` (in taxonomy.json) is
/// left out: it requires nothing, and JSON Schema 2020-12 refuses an empty one.
fn file(name: &str) -> Value {
    let path = fixtures().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    if let Some(map) = schema.as_object_mut()
        && map
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
    {
        map.remove("allOf");
    }
    schema
}

/// The profile's schemas name each other by file name (`taxonomy_term.json`); those are
/// the fixtures' `schema-<name>`, and nothing is fetched from the network.
struct Fixtures;

impl Retrieve for Fixtures {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default();
        let path = fixtures().join(format!("schema-{name}"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path:?}: {e}"))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn compile(schema: &Value) -> Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_retriever(Fixtures)
        .build(schema)
        .unwrap_or_else(|e| panic!("a usable schema: {e}"))
}

/// The profile has no schema for `GET /`; this is what the validator reads of it.
fn root_schema() -> Value {
    json!({
        "type": "object",
        "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"const": "3.0"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"}
        }
    })
}
