//! Native apps have one window per handle: there are no other tabs to tell.

pub(crate) struct TabSync;

impl TabSync {
    pub(crate) fn new(_on_sign_out: impl Fn() + 'static) -> Self {
        Self
    }

    pub(crate) fn announce_sign_out(&self) {}
}
