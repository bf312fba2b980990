//! Which server answers may change the state: the state never goes back in
//! server time, even when answers arrive out of order or carry the same stamp.
//!
//! The server stamps each client it returns (`updated_at`, Unix ms). A stamp
//! earlier than the newest applied one is older. A later one is newer. Equal
//! stamps (two changes in one millisecond; Clerk does not promise a strictly
//! increasing clock) are told apart by when the request was sent: a request
//! sent after the newest applied answer arrived was handled after it by the
//! server, so its answer is newer. A request already in flight then is
//! concurrent with it, and nothing says which the server handled last: the
//! answer is ambiguous, and the handle reloads instead of guessing.

use std::cell::Cell;

use crate::Client;

/// Taken when a request is sent: how many answers had been applied then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

/// What to do with an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Newer than, or as new as and sent after, everything applied: apply it.
    Apply,
    /// Stamped earlier than the newest answer applied: keep the state.
    Older,
    /// As new as the newest answer applied, and in flight when it arrived:
    /// the server's order is unknown. Keep the state and reload.
    Ambiguous,
}

/// The newest applied answer's stamp, and when it was applied.
#[derive(Default)]
pub(crate) struct AnswerOrder {
    /// Answers applied so far (with a client or without).
    applied: Cell<u64>,
    /// The newest stamp applied.
    newest: Cell<Option<i64>>,
    /// `applied` when `newest` was last raised or matched.
    newest_at: Cell<u64>,
}

impl AnswerOrder {
    /// A ticket for a request about to be sent.
    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.applied.get())
    }

    /// The verdict on an answer carrying `client` to a request sent with `ticket`.
    pub(crate) fn judge(&self, client: Option<&Client>, ticket: Ticket) -> Verdict {
        let sent_after_newest = ticket.0 >= self.newest_at.get();
        match (client.map(|c| c.updated_at), self.newest.get()) {
            (_, None) => Verdict::Apply,
            (Some(stamp), Some(newest)) if stamp > newest => Verdict::Apply,
            (Some(stamp), Some(newest)) if stamp < newest => Verdict::Older,
            // Equal stamps, or no client to stamp: the send order decides.
            _ if sent_after_newest => Verdict::Apply,
            _ => Verdict::Ambiguous,
        }
    }

    /// Records that an answer carrying `client` was applied.
    pub(crate) fn applied(&self, client: Option<&Client>) {
        let count = self.applied.get() + 1;
        self.applied.set(count);
        if let Some(stamp) = client.map(|c| c.updated_at) {
            if self.newest.get().is_none_or(|newest| stamp >= newest) {
                self.newest.set(Some(stamp));
                self.newest_at.set(count);
            }
        } else {
            // No client to stamp: still the newest word from the server.
            self.newest_at.set(count);
        }
    }

    /// The newest stamp applied, for logs.
    pub(crate) fn newest(&self) -> Option<i64> {
        self.newest.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(updated_at: i64) -> Client {
        Client {
            updated_at,
            ..Client::default()
        }
    }

    #[test]
    fn stamps_order_answers_and_equal_stamps_go_by_send_order() {
        let order = AnswerOrder::default();
        let early = order.ticket();
        assert_eq!(order.judge(Some(&client(5)), early), Verdict::Apply);
        let concurrent = order.ticket();
        order.applied(Some(&client(5)));
        let later = order.ticket();

        assert_eq!(order.judge(Some(&client(4)), later), Verdict::Older);
        assert_eq!(order.judge(Some(&client(6)), concurrent), Verdict::Apply);
        assert_eq!(
            order.judge(Some(&client(5)), later),
            Verdict::Apply,
            "same stamp, sent after the newest arrived: handled after it"
        );
        assert_eq!(
            order.judge(Some(&client(5)), concurrent),
            Verdict::Ambiguous,
            "same stamp, in flight when the newest arrived"
        );
        assert_eq!(order.judge(None, concurrent), Verdict::Ambiguous);
        assert_eq!(order.judge(None, later), Verdict::Apply);
        assert_eq!(order.newest(), Some(5));
    }

    #[test]
    fn an_answer_without_a_client_moves_the_send_order_on() {
        let order = AnswerOrder::default();
        order.applied(Some(&client(5)));
        let before = order.ticket();
        order.applied(None);
        assert_eq!(order.judge(Some(&client(5)), before), Verdict::Ambiguous);
        assert_eq!(
            order.judge(Some(&client(5)), order.ticket()),
            Verdict::Apply
        );
    }
}
