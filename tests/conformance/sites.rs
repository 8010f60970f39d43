//! Sites the conformance tests run on.

use crate::common::{LISTING, TestSite};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const NEEDS: [&str; 3] = ["learning-disabilities", "dementia", "autism"];
const NAMES: [&str; 8] = [
    "Alder", "Birch", "Cedar", "Damson", "Elder", "Fennel", "Gorse", "Hazel",
];

/// `n` listings, each with a name of its own, on days, at times and for needs that vary.
pub fn many(n: usize) -> TestSite {
    (0..n).fold(TestSite::new(), |site, i| {
        let name = format!("{}{}", NAMES[i % NAMES.len()], i);
        let text = LISTING
            .replacen(
                "title: Garden Club",
                &format!("title: Garden Club {name}"),
                1,
            )
            .replacen("[mon, tue, wed]", &format!("[{}]", DAYS[i % 7]), 1)
            .replacen("\"09:30\"", &format!("\"{:02}:30\"", 8 + i % 4), 1)
            .replacen("\"15:00\"", &format!("\"{:02}:00\"", 14 + i % 3), 1)
            .replacen("[learning-disabilities]", &format!("[{}]", NEEDS[i % 3]), 1);
        site.listing(&format!("club-{i:03}.md"), &text)
    })
}
