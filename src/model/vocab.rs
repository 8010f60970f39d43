//! Controlled vocabularies: the lists of keys that listings choose from.

/// One value a listing may use, such as `dementia`.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub key: String,
    pub label: String,
    pub synonyms: Vec<String>,
    pub description: Option<String>,
    /// Only for areas: whether the area is inside the council's borough.
    pub in_borough: Option<bool>,
}

/// A named list of terms, in the order the council wrote them.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    pub name: &'static str,
    pub terms: Vec<Term>,
}

impl Vocabulary {
    pub fn get(&self, key: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.key == key)
    }

    /// The label of the term `key`, or the key itself when there is no such term.
    pub fn label_of<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map_or(key, |t| t.label.as_str())
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.key.as_str())
    }
}

/// The vocabularies every site has; `areas` has no default, each council writes its own.
pub const NAMES: [&str; 8] = [
    "needs",
    "service_types",
    "activities",
    "funding",
    "referral",
    "accessibility",
    "outcomes",
    "areas",
];

/// All vocabularies of a site.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabularies {
    pub needs: Vocabulary,
    pub service_types: Vocabulary,
    pub activities: Vocabulary,
    pub funding: Vocabulary,
    pub referral: Vocabulary,
    pub accessibility: Vocabulary,
    pub outcomes: Vocabulary,
    pub areas: Vocabulary,
}

impl Vocabularies {
    pub fn by_name(&self, name: &str) -> Option<&Vocabulary> {
        Some(match name {
            "needs" => &self.needs,
            "service_types" => &self.service_types,
            "activities" => &self.activities,
            "funding" => &self.funding,
            "referral" => &self.referral,
            "accessibility" => &self.accessibility,
            "outcomes" => &self.outcomes,
            "areas" => &self.areas,
            _ => return None,
        })
    }
}

/// The default terms of a vocabulary, from real councils' market position statements.
// Longer than the 60 lines a function should be: it is a table of data, not steps, and one
// table is where a council compares its own terms with the defaults.
pub fn default_terms(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "needs" => &[
            ("learning-disabilities", "Learning disabilities"),
            ("autism", "Autism"),
            ("mental-health", "Mental health"),
            ("physical-disabilities", "Physical disabilities"),
            ("sensory-impairment", "Sensory impairment"),
            ("older-people", "Older people"),
            ("dementia", "Dementia"),
            ("frailty", "Frailty"),
            ("acquired-brain-injury", "Acquired brain injury"),
            ("complex-needs", "Complex needs"),
            ("dual-diagnosis", "Dual diagnosis"),
        ],
        "service_types" => &[
            ("building-based", "Building-based"),
            ("community-based", "Community-based"),
            ("virtual", "Online (virtual)"),
            ("support-at-home", "Support at home"),
            ("travel-training", "Travel training"),
            ("employment-support", "Employment support"),
            ("specialist", "Specialist"),
            ("sessional", "Sessions you can book"),
            ("personal-assistants", "Personal assistants"),
            ("universal", "Open to everyone"),
        ],
        "activities" => &[
            ("horticulture", "Gardening"),
            ("cookery", "Cookery"),
            ("travel-training", "Travel training"),
            ("citizenship", "Citizenship"),
            ("cycling", "Cycling"),
            ("arts-and-crafts", "Arts and crafts"),
            ("music", "Music"),
            ("sport-and-fitness", "Sport and fitness"),
            ("digital-skills", "Digital skills"),
            ("adult-education", "Adult education"),
            ("volunteering", "Volunteering"),
            ("life-skills", "Life skills"),
            ("social-groups", "Social groups"),
        ],
        "funding" => &[
            ("commissioned", "Council-funded place"),
            ("direct-payment", "Direct payment"),
            ("self-funded", "Paying for yourself"),
        ],
        "referral" => &[
            ("self-referral", "Contact them yourself"),
            ("social-worker", "Through a social worker"),
            ("brokerage", "Through the council's brokerage team"),
            ("gp-or-health", "Through a GP or health worker"),
            ("carer", "A carer can refer"),
        ],
        "accessibility" => &[
            ("step-free", "Step-free access"),
            ("accessible-toilet", "Accessible toilet"),
            ("changing-places", "Changing Places toilet"),
            ("hearing-loop", "Hearing loop"),
            ("bsl", "British Sign Language (BSL)"),
            ("large-print", "Large print"),
            ("easy-read", "Easy Read information"),
            ("quiet-space", "Quiet space"),
            ("sensory-room", "Sensory room"),
            ("accessible-parking", "Accessible parking"),
            ("accessible-transport", "Accessible transport"),
            ("wheelchair-loan", "Wheelchair loan"),
        ],
        "outcomes" => &[
            ("skills", "Learning skills"),
            ("employment", "Getting ready for work"),
            ("independence", "Independence"),
            ("confidence", "Confidence"),
            ("social-connection", "Making friends"),
            ("health-and-wellbeing", "Health and wellbeing"),
            ("carer-break", "A break for carers"),
            ("travel-independence", "Travelling on your own"),
        ],
        _ => &[],
    }
}

/// The default vocabulary called `name` (empty for `areas`).
pub fn default_vocabulary(name: &'static str) -> Vocabulary {
    Vocabulary {
        name,
        terms: default_terms(name)
            .iter()
            .map(|(key, label)| Term {
                key: key.to_string(),
                label: label.to_string(),
                synonyms: Vec::new(),
                description: None,
                in_borough: None,
            })
            .collect(),
    }
}
