//! Buffers each thread keeps for making files in. A file made in a new buffer is copied at
//! every doubling as it grows, and the memory freed between files goes back to the system and
//! faults in again: at 10,000 listings that was a third of a build's page faults
//! (bench/RESULTS.md). A kept buffer has long since grown to the largest file its thread has
//! made, so a file is written into it once and copied out once, at its size.

use std::cell::RefCell;
use std::sync::Arc;

/// Buffers larger than this are freed, not kept: the largest pages, facet lists at 10,000
/// listings, are some 7 MB.
const KEEP_AT_MOST: usize = 16 << 20;

/// Buffers kept per thread: a file made while another is (a page and its cards spliced in).
const KEEP: usize = 2;

thread_local! {
    static KEPT: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `make` with an empty buffer kept by this thread, and keeps the buffer again after.
/// Calls may nest: each gets a buffer of its own.
pub fn with_buffer<R>(make: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut buffer = KEPT.with_borrow_mut(Vec::pop).unwrap_or_default();
    buffer.clear();
    let made = make(&mut buffer);
    if buffer.capacity() <= KEEP_AT_MOST {
        KEPT.with_borrow_mut(|kept| {
            if kept.len() < KEEP {
                kept.push(buffer);
            }
        });
    }
    made
}

/// The bytes `make` writes, in an allocation of their own size.
pub fn made_in_buffer<E>(make: impl FnOnce(&mut Vec<u8>) -> Result<(), E>) -> Result<Arc<[u8]>, E> {
    with_buffer(|buffer| make(buffer).map(|()| Arc::from(buffer.as_slice())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_gets_an_empty_buffer_and_nested_ones_their_own() {
        let first = made_in_buffer(|b| {
            b.extend_from_slice(b"outer");
            let inner = made_in_buffer(|b| {
                assert!(b.is_empty());
                b.extend_from_slice(b"inner");
                Ok::<_, ()>(())
            })
            .unwrap();
            assert_eq!(&*inner, b"inner");
            b.extend_from_slice(b" again");
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(&*first, b"outer again");
        let second = made_in_buffer(|b| {
            assert!(b.is_empty());
            b.push(b'x');
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(&*second, b"x");
    }

    #[test]
    fn a_kept_buffer_is_reused_and_a_huge_one_freed() {
        let capacity = || with_buffer(|b| b.capacity());
        with_buffer(|b| b.reserve(1000));
        assert!(capacity() >= 1000);
        with_buffer(|b| b.reserve(KEEP_AT_MOST + 1));
        assert!(capacity() < KEEP_AT_MOST);
    }

    #[test]
    fn an_error_gives_no_bytes() {
        assert_eq!(made_in_buffer(|_| Err::<(), _>("no")), Err("no"));
    }
}
