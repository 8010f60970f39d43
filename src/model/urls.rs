//! Every URL of the site in one place, so a base path such as `/day-services/` is never missed.

/// Builds URLs from paths relative to the site root (`services/riverside/`).
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/sub/path/`.
    base_path: String,
    /// Absolute, ends with `/`.
    base_url: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Self {
        Urls {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
        }
    }

    /// The URL to put in an `href` for a path relative to the site root.
    pub fn url(&self, rel: &str) -> String {
        [self.base_path.as_str(), rel].concat()
    }

    /// The full URL, for sitemaps and canonical links.
    pub fn absolute(&self, rel: &str) -> String {
        [self.base_url.as_str(), rel].concat()
    }

    pub fn home(&self) -> String {
        self.url("")
    }

    pub fn az(&self) -> String {
        self.url(&services_rel())
    }

    pub fn service(&self, slug: &str) -> String {
        self.url(&service_rel(slug))
    }

    pub fn facet(&self, segment: &str) -> String {
        self.url(&format!("{segment}/"))
    }

    pub fn facet_value(&self, segment: &str, key: &str) -> String {
        self.url(&facet_value_rel(segment, key))
    }

    /// The URL of page `page` (from 1) of the list whose first page is at `rel`.
    pub fn page(&self, rel: &str, page: usize) -> String {
        self.url(&page_rel(rel, page))
    }

    pub fn image(&self, src: &str) -> String {
        self.url(&format!("images/{src}"))
    }
}

pub fn services_rel() -> String {
    "services/".to_string()
}

// These and `url` are made for every term and page of every listing: joined, not formatted.
pub fn service_rel(slug: &str) -> String {
    ["services/", slug, "/"].concat()
}

pub fn facet_value_rel(segment: &str, key: &str) -> String {
    [segment, "/", key, "/"].concat()
}

/// Page `page` (from 1) of a list whose first page is at `rel`: the first page keeps its
/// address, so a list that fits on one page is where it always was.
pub fn page_rel(rel: &str, page: usize) -> String {
    if page <= 1 {
        rel.to_string()
    } else {
        [rel, "page/", &page.to_string(), "/"].concat()
    }
}

/// The first page of the list that `rel` is a page of (`days/monday/` for
/// `days/monday/page/2/`); `rel` itself when it is no later page.
pub fn first_page_rel(rel: &str) -> &str {
    let Some(rest) = rel.strip_suffix('/') else {
        return rel;
    };
    match rest.rsplit_once("/page/") {
        Some((first, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            &rel[..first.len() + 1]
        }
        _ => rel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_page_leads_back_to_the_first() {
        assert_eq!(first_page_rel("days/monday/page/2/"), "days/monday/");
        assert_eq!(first_page_rel("days/monday/page/12/"), "days/monday/");
        assert_eq!(first_page_rel("days/monday/"), "days/monday/");
        // Only a page number is a page: an area called "page" keeps its address.
        assert_eq!(first_page_rel("areas/page/"), "areas/page/");
        assert_eq!(first_page_rel("areas/x/page/two/"), "areas/x/page/two/");
        assert_eq!(first_page_rel("days/monday/page/2"), "days/monday/page/2");
        assert_eq!(page_rel("days/monday/", 1), "days/monday/");
        assert_eq!(page_rel("days/monday/", 3), "days/monday/page/3/");
    }
}
