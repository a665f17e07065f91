//! A memory budget shared by the threads decoding images: each takes its
//! image's estimated size before decoding and gives it back when done, and
//! waits while the budget is spent. An image larger than the whole budget
//! runs alone.

use std::sync::{Condvar, Mutex};

pub struct Budget {
    limit: u64,
    state: Mutex<(u64, u64)>,
    freed: Condvar,
}

/// A share of the budget, given back when dropped.
pub struct Share<'a> {
    budget: &'a Budget,
    amount: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit: limit.max(1),
            state: Mutex::new((0, 0)),
            freed: Condvar::new(),
        }
    }

    /// Waits until `amount` (at most the whole budget) is free, and takes it.
    pub fn take(&self, amount: u64) -> Share<'_> {
        let amount = amount.min(self.limit);
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        while state.0 > 0 && state.0 + amount > self.limit {
            state = match self.freed.wait(state) {
                Ok(state) => state,
                Err(poisoned) => poisoned.into_inner(),
            };
        }
        state.0 += amount;
        state.1 = state.1.max(state.0);
        Share {
            budget: self,
            amount,
        }
    }

    /// The most taken at once so far.
    pub fn peak(&self) -> u64 {
        self.state.lock().map_or(0, |state| state.1)
    }
}

impl Drop for Share<'_> {
    fn drop(&mut self) {
        if let Ok(mut state) = self.budget.state.lock() {
            state.0 -= self.amount;
        }
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_lends_more_than_it_has() {
        let budget = Budget::new(100);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for amount in [30, 60, 500, 10] {
                        let _share = budget.take(amount);
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                });
            }
        });
        assert_eq!(budget.peak(), 100);
        assert_eq!(budget.state.lock().unwrap().0, 0);
    }
}
