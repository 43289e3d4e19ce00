//! The `calls` log of one envelope, bounded: a create that reads two hundred licences must not
//! answer with two hundred 64 KiB entries. The first exchanges (what was tried) and the last
//! (how it ended) are kept, with the number left out between them.

use std::collections::VecDeque;

use crate::response::CallRecord;

/// Exchanges kept from the start of a call.
pub const KEPT_FIRST: usize = 8;
/// Exchanges kept from the end of a call.
pub const KEPT_LAST: usize = 8;

#[derive(Debug, Default)]
pub struct CallLog {
    first: Vec<CallRecord>,
    last: VecDeque<CallRecord>,
    omitted: u64,
}

impl CallLog {
    pub fn push(&mut self, record: CallRecord) {
        if self.first.len() < KEPT_FIRST {
            self.first.push(record);
            return;
        }
        if self.last.len() == KEPT_LAST {
            self.last.pop_front();
            self.omitted += 1;
        }
        self.last.push_back(record);
    }

    /// The entries kept, in order, and how many were left out between the first and the last.
    pub fn into_parts(self) -> (Vec<CallRecord>, u64) {
        let mut records = self.first;
        records.extend(self.last);
        (records, self.omitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> CallRecord {
        CallRecord { method: "GET", url: String::new(), status: None, elapsed_ms: n, request: None, response: None, error: None }
    }

    #[test]
    fn keeps_the_first_and_the_last_and_counts_the_rest() {
        let mut log = CallLog::default();
        (0..5).for_each(|n| log.push(record(n)));
        let (kept, omitted) = log.into_parts();
        assert_eq!((kept.len(), omitted), (5, 0));

        let mut log = CallLog::default();
        (0..100).for_each(|n| log.push(record(n)));
        let (kept, omitted) = log.into_parts();
        let order: Vec<u64> = kept.iter().map(|r| r.elapsed_ms).collect();
        let expected: Vec<u64> = (0..8).chain(92..100).collect();
        assert_eq!((order, omitted), (expected, 84));
    }
}
