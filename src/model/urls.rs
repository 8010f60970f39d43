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
