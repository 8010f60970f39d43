//! A JSON Schema of a listing's fields, with the site's own vocabulary keys as enums, so
//! editors (through yaml-language-server) complete and check fields as people type.

use serde_json::{Map, Value, json};

use crate::model::SiteConfig;
use crate::model::fields::{self, Kind};

/// Where the build writes the schema, relative to the output folder.
pub const PATH: &str = "schema/listing.json";

/// The first line of a new listing, pointing editors at the site's schema.
pub fn modeline(config: &SiteConfig) -> String {
    format!("# yaml-language-server: $schema={}{PATH}", config.base_url)
}

pub fn listing_schema(config: &SiteConfig) -> Value {
    let mut properties = Map::new();
    for f in fields::LISTING {
        let mut schema = kind_schema(f.kind, config);
        if let Value::Object(map) = &mut schema {
            map.insert("description".into(), f.description.into());
        }
        properties.insert(f.name.to_string(), schema);
    }
    let required: Vec<&str> = fields::LISTING
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{}{PATH}", config.base_url),
        "title": format!("A listing in {}", config.title),
        "description": "The fields of one service. Field names and meanings follow the dayopps listing format.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A key from a vocabulary, with each key's label shown by editors.
fn term(config: &SiteConfig, name: &str) -> Value {
    let terms = config
        .vocabularies
        .by_name(name)
        .map(|v| v.terms.as_slice())
        .unwrap_or_default();
    let one_of: Vec<Value> = terms
        .iter()
        .map(|t| json!({"const": t.key, "title": t.label}))
        .collect();
    json!({"type": "string", "oneOf": one_of})
}

fn date() -> Value {
    json!({"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "examples": ["2024-03-11"]})
}

fn text() -> Value {
    json!({"type": "string", "minLength": 1})
}

fn kind_schema(kind: Kind, config: &SiteConfig) -> Value {
    match kind {
        Kind::Text => text(),
        Kind::TextList => json!({"type": "array", "items": text()}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Uuid => json!({"type": "string", "format": "uuid"}),
        Kind::Date => date(),
        Kind::Choice(words) => json!({"type": "string", "enum": words}),
        Kind::Term(name) => term(config, name),
        Kind::Terms(name) => {
            json!({"type": "array", "items": term(config, name), "uniqueItems": true})
        }
        Kind::Locations => json!({"type": "array", "items": location(config)}),
        Kind::Schedule => json!({"type": "array", "items": session()}),
        Kind::Costs => json!({"type": "array", "items": cost()}),
        Kind::Contact => json!({
            "type": "object",
            "properties": {
                "phone": {"type": "string", "description": "With the area code, such as 020 8496 0000."},
                "email": {"type": "string", "format": "email"},
                "website": {"type": "string", "pattern": "^https?://"},
            },
            "additionalProperties": false,
            "minProperties": 1,
        }),
        Kind::Images => json!({"type": "array", "items": {
            "type": "object",
            "properties": {
                "src": {"type": "string", "description": "A file in content/images/."},
                "alt": {"type": "string", "description": "What the picture shows; \"\" only with decorative: true."},
                "decorative": {"type": "boolean"},
            },
            "required": ["src", "alt"],
            "additionalProperties": false,
        }}),
    }
}

fn location(config: &SiteConfig) -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": text(),
            "address": text(),
            "postcode": {"type": "string", "description": "A UK postcode, such as E10 5QX."},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "accessibility": {"type": "array", "items": term(config, "accessibility"), "uniqueItems": true},
        },
        "required": ["address", "postcode"],
        "dependentRequired": {"lat": ["lon"], "lon": ["lat"]},
        "additionalProperties": false,
    })
}

fn session() -> Value {
    let time = json!({"type": "string", "pattern": "^([01]\\d|2[0-3]):[0-5]\\d$", "description": "24-hour time in quotes, such as \"09:30\"."});
    json!({
        "type": "object",
        "properties": {
            "days": {"type": "array", "minItems": 1, "items": {"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}},
            "from": time,
            "to": time,
        },
        "required": ["days", "from", "to"],
        "additionalProperties": false,
    })
}

fn cost() -> Value {
    json!({
        "type": "object",
        "properties": {
            "amount": {"type": "number", "minimum": 0, "description": "Pounds, without the £ sign."},
            "per": {"enum": ["session", "hour", "day", "week"]},
            "notes": text(),
        },
        "required": ["amount", "per"],
        "additionalProperties": false,
    })
}
