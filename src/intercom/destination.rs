//! The destination: settings and compiled subscriptions in, Intercom calls and warnings out.

use crate::engine::json::{Map, Value};
use crate::engine::path::JsonPath;
use crate::engine::reads::ReadSet;
use crate::intercom::actions::{perform, ActionKind, PerformInput};
use crate::intercom::convert::type_name;
use crate::intercom::session::Session;
use crate::intercom::settings::{Settings, SettingsError};
use crate::intercom::subscriptions::{parse_subscriptions, Subscription};
use crate::intercom::{IntercomCall, Warning};

/// The destination's name in Segment: analytics.js `integrations` switches, remote plugins.
pub const DESTINATION_NAME: &str = "Intercom Web (Actions)";

/// A configured destination instance. Build it once; call [`Destination::process`] per event.
#[derive(Debug, Clone)]
pub struct Destination {
    settings: Settings,
    subscriptions: Vec<Subscription>,
    setup_warnings: Vec<Warning>,
    session: Session,
}

/// What one event produced: the calls to send, in order, and what was dropped or changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub calls: Vec<IntercomCall>,
    pub warnings: Vec<Warning>,
}

impl Destination {
    /// Validates settings and compiles subscriptions. Invalid subscriptions are left out and
    /// listed in [`Destination::setup_warnings`]; invalid settings are an error.
    pub fn new(raw: &Value) -> Result<Destination, SettingsError> {
        let settings = Settings::parse(raw)?;
        let mut setup_warnings = Vec::new();
        let subscriptions = parse_subscriptions(raw.get("subscriptions"), &mut setup_warnings)?;
        Ok(Destination {
            session: Session::new(boot_settings(&settings)),
            settings,
            subscriptions,
            setup_warnings,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Problems found in the subscriptions at set-up.
    pub fn setup_warnings(&self) -> &[Warning] {
        &self.setup_warnings
    }

    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// The actions that have at least one enabled subscription, in a fixed order.
    pub fn actions(&self) -> Vec<ActionKind> {
        let mut actions = Vec::new();
        for a in ActionKind::ALL {
            if self.subscriptions.iter().any(|s| s.action == a) {
                actions.push(a);
            }
        }
        actions
    }

    /// The parts of an event the subscriptions of `action` read (everything else is ignored).
    pub fn reads(&self, action: ActionKind) -> ReadSet {
        self.reads_where(|s| s.action == action)
            .unwrap_or(ReadSet::Nothing)
    }

    /// The parts of an event of this `type` that some subscription reads, or `None` when no
    /// subscription can run on such an event (the shell then leaves it unread).
    pub fn reads_for_type(&self, event_type: Option<&str>) -> Option<ReadSet> {
        self.reads_where(|s| s.may_run_on(event_type))
    }

    /// What the subscriptions that `include` selects read, with what every event needs: the
    /// type (the pre-check), the timestamp (the ping) and the per-event switches.
    fn reads_where(&self, include: impl Fn(&Subscription) -> bool) -> Option<ReadSet> {
        let mut reads: Option<ReadSet> = None;
        for sub in self.subscriptions.iter().filter(|s| include(s)) {
            let r = reads.get_or_insert(ReadSet::Nothing);
            r.add_trigger(&sub.trigger);
            r.add_mapping(&sub.mapping);
        }
        if let Some(r) = &mut reads {
            r.add_key("type");
            r.add_key("timestamp");
            r.add_path(&JsonPath::from_keys(&["integrations", "All"]));
            r.add_path(&JsonPath::from_keys(&["integrations", DESTINATION_NAME]));
        }
        reads
    }

    /// Whether `action` may run for an event of this `type` (false only when every trigger of
    /// the action pins the type down and none allows this one). Saves reading events a plugin
    /// cannot use.
    pub fn may_run(&self, action: ActionKind, event_type: Option<&str>) -> bool {
        self.subscriptions
            .iter()
            .any(|s| s.action == action && s.may_run_on(event_type))
    }

    /// `Intercom('boot', ...)` for start-up.
    pub fn boot_call(&self) -> IntercomCall {
        self.session.boot_call()
    }

    /// analytics.js `reset` (logout): the calls that end the user's Messenger session.
    pub fn reset(&mut self) -> Outcome {
        let mut outcome = Outcome::default();
        self.session.reset(&self.settings, &mut outcome);
        outcome
    }

    /// Runs every subscription of `action` whose trigger matches the event, at `now_ms` (both
    /// the wall clock and the monotonic one).
    pub fn process(&mut self, action: ActionKind, event: &Value, now_ms: f64) -> Outcome {
        self.run(&[action], event, Clock::at(now_ms))
    }

    /// Runs every action on the event, in [`ActionKind::ALL`] order, as the single plugin of
    /// the browser shell does: each subscription whose trigger matches.
    pub fn process_event(&mut self, event: &Value, clock: Clock) -> Outcome {
        self.run(&ActionKind::ALL, event, clock)
    }

    fn run(&mut self, actions: &[ActionKind], event: &Value, clock: Clock) -> Outcome {
        let mut outcome = Outcome::default();
        if !event.is_object() {
            outcome.warnings.push(Warning::new(
                "event",
                crate::engine::text::cat(&["ignored: must be an object, got ", type_name(event)]),
            ));
            return outcome;
        }
        if !enabled_for(event) {
            return outcome;
        }
        let input = PerformInput {
            settings: &self.settings,
            event,
            now_ms: clock.wall_ms,
        };
        for &action in actions {
            for sub in &self.subscriptions {
                if sub.action != action || !sub.trigger.matches(event) {
                    continue;
                }
                let payload = match sub.resolve(event) {
                    Ok(payload) => payload,
                    Err(thrown) => {
                        let reason = crate::engine::text::cat(&[
                            "ignored for this event: its mapping throws in Segment's runtime too: ",
                            &thrown.message(),
                        ]);
                        let at = crate::engine::text::cat(&["subscription ", &sub.name]);
                        outcome.warnings.push(Warning::new(at, reason));
                        continue;
                    }
                };
                match perform(action, payload, &input, &mut outcome.warnings) {
                    Some(IntercomCall::Update(update)) => self.session.update(
                        update,
                        action == ActionKind::IdentifyUser,
                        &self.settings,
                        clock.monotonic_ms,
                        &mut outcome,
                    ),
                    Some(call) => outcome.calls.push(call),
                    None => {}
                }
            }
        }
        crate::intercom::cap_warnings(&mut outcome.warnings);
        outcome
    }
}

/// When an event is processed. The wall clock (ms since the epoch) dates a page view without a
/// timestamp (`last_request_at`); the monotonic one (ms since the page started, which never goes
/// back when the system clock is set back) spaces the updates of the quota.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    pub wall_ms: f64,
    pub monotonic_ms: f64,
}

impl Clock {
    /// Both clocks at the same reading (native tests, which set the time themselves).
    pub fn at(ms: f64) -> Clock {
        Clock {
            wall_ms: ms,
            monotonic_ms: ms,
        }
    }
}

/// The per-event switches of analytics.js: `integrations: {"Intercom Web (Actions)": false}`,
/// or `{All: false}` unless this destination is switched back on by name.
fn enabled_for(event: &Value) -> bool {
    let Some(Value::Object(switches)) = event.get("integrations") else {
        return true;
    };
    match switches.get(DESTINATION_NAME) {
        Some(Value::Bool(on)) => *on,
        Some(Value::Object(_)) => true,
        _ => !matches!(switches.get("All"), Some(Value::Bool(false))),
    }
}

/// The `boot` settings: app_id, installation_type, api_base and a custom launcher.
fn boot_settings(settings: &Settings) -> Map<String, Value> {
    // A new map: the keys are distinct.
    let mut boot = Map::new();
    put_text(&mut boot, "app_id", &settings.app_id);
    put_text(&mut boot, "installation_type", "s");
    put_text(&mut boot, "api_base", settings.api_base.url());
    if let Some(activator) = settings.custom_activator() {
        put_text(&mut boot, "custom_launcher_selector", activator);
    }
    boot
}

/// Appends `key: "text"` to `map` (without `key` yet).
fn put_text(map: &mut Map<String, Value>, key: &str, text: &str) {
    map.push_new(key.into(), Value::String(text.into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_index_in_declaration_order() {
        for (i, a) in ActionKind::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, i);
        }
    }
}
