//! ext4's top-folder flag on the folder a build stages the site in (`write::Staging`).
//!
//! Measured (bench/README.md): on ext4 without a journal, with the output deleted half a second
//! before, a build of 10,000 listings took 4.12 s of wall time without it and 2.19 s with it;
//! 767 ms and 241 ms at 1,000. Nothing changes on other file systems. Off with
//! `DAYOPPS_NO_TUNING=1`.

use std::fs::File;

/// Marks a folder as the top of a tree of folders, as `chattr +T` does, so that ext2, ext3 and
/// ext4 put a folder made in it in a block group picked afresh, not beside its parent. Beside
/// its parent is where the site it replaces was, and where a site deleted in the minute before
/// was: ext4 without a journal steps over every inode freed in the last minute each time it
/// makes a file there, at a cost that grows with their number (bench/README.md). Best effort:
/// any other file system, or a refusal, leaves things as they are.
#[cfg(target_os = "linux")]
pub fn mark(folder: &File) {
    use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
    if applies_to(folder)
        && let Ok(flags) = ioctl_getflags(folder)
    {
        let _ = ioctl_setflags(folder, flags | IFlags::TOPDIR);
    }
}

/// Whether `mark` marks `folder`: tuning is on and the folder is on ext2, ext3 or ext4.
#[cfg(target_os = "linux")]
pub fn applies_to(folder: &File) -> bool {
    super::enabled() && on_ext(folder)
}

#[cfg(not(target_os = "linux"))]
pub fn applies_to(_: &File) -> bool {
    false
}

/// Whether `file` is on ext2, ext3 or ext4, which share one magic number.
#[cfg(target_os = "linux")]
fn on_ext(file: &File) -> bool {
    // The literal takes `f_type`'s type, which differs between architectures.
    rustix::fs::fstatfs(file).is_ok_and(|fs| fs.f_type == 0xEF53)
}

#[cfg(not(target_os = "linux"))]
pub fn mark(_: &File) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::File;
    use rustix::fs::{IFlags, ioctl_getflags};

    #[test]
    fn a_folder_is_marked_where_the_file_system_has_top_folders() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let folder = File::open(tmp.path()).expect("opened");
        super::mark(&folder);
        let marked = ioctl_getflags(&folder).is_ok_and(|f| f.contains(IFlags::TOPDIR));
        assert_eq!(marked, super::applies_to(&folder));
    }
}
