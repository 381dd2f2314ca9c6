//! Warnings: what the engine or a destination dropped or changed, with the path of the field,
//! for the shell to log on the analytics.js context.

/// Something the core dropped or changed, with the field it concerns, for the shell to log.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub path: String,
    pub reason: String,
    /// A note about a deliberate decision (e.g. an update held back), not a data problem:
    /// logged only at debug level.
    pub debug: bool,
}

impl Warning {
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Warning {
        Warning {
            path: path.into(),
            reason: reason.into(),
            debug: false,
        }
    }

    pub fn debug(path: impl Into<String>, reason: impl Into<String>) -> Warning {
        Warning {
            debug: true,
            ..Warning::new(path, reason)
        }
    }
}

/// At most this many warnings are kept per event; the last one says how many more there were.
pub const MAX_WARNINGS: usize = 50;

/// Keeps the first warnings and replaces the rest by one that counts them.
pub fn cap_warnings(warnings: &mut Vec<Warning>) {
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.len() - (MAX_WARNINGS - 1);
        warnings.truncate(MAX_WARNINGS - 1);
        note(
            warnings,
            "",
            "event",
            false,
            &["", " more warnings not shown"],
            &[more as i64],
        );
    }
}

/// Adds a warning (a note when `debug`) about `parent.key` (`key` when `parent` is empty)
/// whose reason is `parts` with `counts` between them: one function for every message of the
/// actions and the session rules.
#[inline(never)]
pub(crate) fn note(
    warnings: &mut Vec<Warning>,
    parent: &str,
    key: &str,
    debug: bool,
    parts: &[&str],
    counts: &[i64],
) {
    let dot = if parent.is_empty() { "" } else { "." };
    warnings.push(Warning {
        path: crate::engine::text::cat(&[parent, dot, key]),
        reason: with_counts(parts, counts),
        debug,
    });
}

/// `parts` with the `counts` between them (`parts[0]`, `counts[0]`, `parts[1]`, ...): a message
/// with numbers, without core's formatting or a string per number.
fn with_counts(parts: &[&str], counts: &[i64]) -> String {
    let mut out = String::with_capacity(128);
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if let Some(&n) = counts.get(i) {
            crate::engine::json::push_int(&mut out, n);
        }
    }
    out
}

impl Warning {
    /// `path: reason`, the text the shell logs (the same as `Display`, without core's
    /// formatting).
    pub fn text(&self) -> String {
        crate::engine::text::cat(&[&self.path, ": ", &self.reason])
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}
