//! The Intercom destination: its settings (one table), subscriptions of its three actions, the
//! actions themselves, the Messenger call model, Intercom's value rules (dates, money) and the
//! session rules (identity, ping, quota, logout). Built on [`crate::engine`]; knows nothing of
//! the browser.

pub mod actions;
pub mod call;
pub mod convert;
pub mod destination;
pub mod session;
pub mod settings;
pub mod subscriptions;

pub(crate) use crate::engine::warning::note;
pub use crate::engine::warning::{cap_warnings, Warning, MAX_WARNINGS};
pub use call::IntercomCall;
