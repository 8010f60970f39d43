//! Images: a listing's pictures, each a file in content/images/ with its alt text.

use crate::model::Image;
use crate::validate::readability;
use crate::validate::reader::{Doc, Fields};
use crate::validate::suggest;

use super::{Context, HINT, advise};

pub fn images(doc: &mut Doc, at: Fields, cx: &Context) -> Vec<Image> {
    let example = "- { src: garden.jpg, alt: Two people planting seedlings. }";
    let mut out = Vec::new();
    for (path, item) in doc.records(at, "images", example) {
        let Some(i) = doc.mapping(item, &path, example) else {
            continue;
        };
        doc.unknown_fields(i, &["src", "alt", "decorative"], HINT);
        let src = doc.required_text(i, "src", "src: garden.jpg");
        let decorative = doc.bool(i, "decorative").unwrap_or(false);
        let alt = doc.text(i, "alt", "alt: Two people planting seedlings.");
        let Some(src) = src.filter(|s| image_exists(doc, &i.path_of("src"), s, cx)) else {
            continue;
        };
        match alt {
            Some(alt) if !alt.is_empty() || decorative => {
                advise(doc, &i.path_of("alt"), Some(&alt), |t| readability::alt_text(t).into_iter().collect());
                out.push(Image { src, alt })
            }
            Some(_) => doc.error(&i.path_of("alt"), format!("the image `{src}` has empty alt text"), "describe what the picture shows; only if it is pure decoration, also add `decorative: true`"),
            None => doc.error(&path, format!("the image `{src}` has no alt text"), "add `alt:` describing what the picture shows, for people who cannot see it"),
        }
    }
    out
}

/// Images are files inside content/images/; a path that tries to leave it is refused.
fn image_exists(doc: &mut Doc, path: &str, src: &str, cx: &Context) -> bool {
    let escapes = src.contains(':')
        || src.starts_with('/')
        || src.contains('\\')
        || src.split('/').any(|p| p == ".." || p == ".");
    if escapes {
        doc.error(
            path,
            format!("`{src}` is not a file name in content/images/"),
            "give just the file's name, such as `garden.jpg`",
        );
        return false;
    }
    if !cx.images.contains(src) {
        let help = match suggest::closest(src, cx.images.iter().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "add the picture to content/images/, or check the spelling of its name".into(),
        };
        doc.error(
            path,
            format!("the image `{src}` is not in content/images/"),
            help,
        );
        return false;
    }
    true
}
