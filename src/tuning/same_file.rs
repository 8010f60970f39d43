//! A file of the site whose bytes are those of another, written as a second name of that file
//! (a hard link) rather than as a copy.
//!
//! Most services have one place, and the static API answers that place by id with the
//! service's own document (`export::oruk::at_location`): at 10,000 services that was 10,000
//! files, 143 MB, a fifth of the bytes a build wrote, each written twice (figures in
//! ARCHITECTURE.md, "Performance tricks"). A link is only a second name: every
//! reader, a static host, `rsync` or a zip sees two files with the same bytes. Off with
//! `DAYOPPS_NO_TUNING=1`, or where the file system has no hard links: the bytes are then
//! written again.

use std::path::Path;

/// Gives the file at `existing` the second name `new`, which must not exist yet. False when
/// tuning is off or the file system refuses: the caller then writes the bytes itself.
pub fn link(existing: &Path, new: &Path) -> bool {
    super::enabled() && std::fs::hard_link(existing, new).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_linked_file_has_the_bytes_of_the_first_and_a_missing_one_is_refused() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let (first, second) = (tmp.path().join("a.json"), tmp.path().join("b.json"));
        std::fs::write(&first, b"{}\n").expect("written");
        let linked = super::link(&first, &second);
        assert_eq!(linked, super::super::enabled());
        if linked {
            assert_eq!(std::fs::read(&second).expect("read"), b"{}\n");
        }
        assert!(!super::link(
            &tmp.path().join("missing"),
            &tmp.path().join("c")
        ));
    }
}
