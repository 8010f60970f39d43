//! Contact: the phone number, e-mail address and website people reach a service by.

use serde_yaml::Value;

use crate::model::Contact;
use crate::validate::formats;
use crate::validate::readability;
use crate::validate::reader::{Doc, Fields};

use super::HINT;

/// Phone and e-mail, checked; shared with site.yaml's contact.
pub fn contact_fields(doc: &mut Doc, c: Fields) -> Contact {
    let phone = phone(doc, c);
    let email = doc
        .text(c, "email", "email: hello@example.org")
        .filter(|e| {
            let ok = formats::email(e);
            if !ok {
                doc.error(
                    &c.path_of("email"),
                    format!("`{e}` is not an email address"),
                    "an email address looks like `name@example.org`",
                );
            }
            ok
        });
    Contact {
        phone,
        email,
        website: None,
    }
}

fn phone(doc: &mut Doc, c: Fields) -> Option<String> {
    let phone = doc.text(c, "phone", "phone: 020 8496 0000").filter(|p| {
        let ok = formats::phone(p);
        if !ok {
            doc.error(
                &c.path_of("phone"),
                format!("`{p}` is not a phone number people can dial"),
                "write the whole number with its area code, such as `020 8496 0000`",
            );
        }
        ok
    });
    if let Some(p) = &phone {
        let usual = readability::uk_phone(p).filter(|u| u != p);
        if let Some(usual) = usual {
            doc.warning(
                &c.path_of("phone"),
                format!("write the phone number as `{usual}`"),
                "UK numbers are easiest to read and to say in their usual groups",
            );
        }
    }
    if matches!(c.get("phone"), Some(Value::Number(_))) {
        doc.error(
            &c.path_of("phone"),
            "the phone number was read as a number, which loses its first 0",
            "put it in quotes: `phone: \"020 8496 0000\"`",
        );
    }
    phone
}

pub fn required_contact(doc: &mut Doc, at: Fields) -> Option<Contact> {
    let example = "contact: { phone: 020 8496 0000, email: hello@example.org }";
    let Some(value) = at.get("contact") else {
        doc.missing(at, "contact", example);
        return None;
    };
    let c = doc.mapping(value, "contact", example)?;
    doc.unknown_fields(c, &["phone", "email", "website"], HINT);
    let mut contact = contact_fields(doc, c);
    contact.website = website(doc, c);
    let given = ["phone", "email", "website"]
        .iter()
        .any(|k| c.get(k).is_some());
    if !given {
        doc.error(
            "contact",
            "`contact` needs a phone number, an email address or a website",
            "add at least one, for example: `phone: 020 8496 0000`",
        );
    }
    Some(contact)
}

fn website(doc: &mut Doc, c: Fields) -> Option<String> {
    doc.text(c, "website", "website: https://example.org")
        .filter(|w| {
            let ok = formats::web_address(w);
            if !ok {
                let help = if w.contains("://") || w.contains(':') && !w.contains('.') {
                    "only http:// and https:// addresses can be used".to_string()
                } else {
                    format!(
                        "start it with https://, for example `https://{}`",
                        w.trim_start_matches('/')
                    )
                };
                doc.error(
                    &c.path_of("website"),
                    format!("`{w}` is not a full web address"),
                    help,
                );
            }
            ok
        })
}

pub fn warn_if_http(doc: &mut Doc, contact: Option<&Contact>) {
    let website = contact.and_then(|c| c.website.as_deref());
    if let Some(site) = website.filter(|w| w.starts_with("http://")) {
        doc.warning(
            "contact.website",
            format!("`{site}` is not a secure (https) address"),
            "check whether the website works with https:// and use that: browsers warn people about http:// sites",
        );
    }
}
