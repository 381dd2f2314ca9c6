//! The destination: settings and compiled subscriptions in, Intercom calls and warnings out.

use crate::actions::{perform, ActionKind, PerformInput};
use crate::intercom::convert::type_name;
use crate::intercom::session::Session;
use crate::intercom::{IntercomCall, Warning};
use crate::json::{Map, Value};
use crate::path::JsonPath;
use crate::reads::ReadSet;
use crate::settings::{Settings, SettingsError};
use crate::subscription::{parse_subscriptions, Subscription};

/// The destination's name in Segment: analytics.js `integrations` switches, remote plugins.
pub const DESTINATION_NAME: &str = "Intercom Web (Actions)";

/// A configured destination instance. Build it once; call [`Destination::process`] per event.
#[derive(Debug, Clone)]
pub struct Destination {
    settings: Settings,
    subscriptions: Vec<Subscription>,
    setup_warnings: Vec<Warning>,
    session: Session,
    /// Per action (in `ActionKind::ALL` order), the parts of an event its subscriptions read.
    reads: [ReadSet; 3],
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
        let mut reads = [ReadSet::Nothing, ReadSet::Nothing, ReadSet::Nothing];
        for sub in &subscriptions {
            let r = &mut reads[sub.action as usize];
            r.add_trigger(&sub.trigger);
            for (_, m) in &sub.fields {
                r.add_mapping(m);
            }
        }
        // The type pre-check, the ping's timestamp and the per-event switches.
        let switches = [
            JsonPath::from_keys(&["integrations", "All"]),
            JsonPath::from_keys(&["integrations", DESTINATION_NAME]),
        ];
        for r in &mut reads {
            r.add_key("type");
            r.add_key("timestamp");
            for p in &switches {
                r.add_path(p);
            }
        }
        Ok(Destination {
            reads,
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
    pub fn reads(&self, action: ActionKind) -> &ReadSet {
        // `ActionKind::ALL` is in declaration order (tested below).
        &self.reads[action as usize]
    }

    /// The event types `action` may run on (its subscriptions' triggers), `None` for any:
    /// [`Destination::may_run`] as a list, for a check before the event is read.
    pub fn event_types(&self, action: ActionKind) -> Option<Vec<String>> {
        let mut all = Vec::new();
        for s in &self.subscriptions {
            if s.action != action {
                continue;
            }
            for t in s.event_types.as_ref()? {
                if !all.contains(t) {
                    all.push(t.clone());
                }
            }
        }
        Some(all)
    }

    /// Whether `action` may run for an event of this `type` (false only when every trigger of
    /// the action pins the type down and none allows this one). Saves reading events a plugin
    /// cannot use.
    pub fn may_run(&self, action: ActionKind, event_type: Option<&str>) -> bool {
        for s in &self.subscriptions {
            if s.action != action {
                continue;
            }
            let may = match (&s.event_types, event_type) {
                (None, _) => true,
                (Some(types), Some(t)) => types.iter().any(|x| x == t),
                (Some(_), None) => false,
            };
            if may {
                return true;
            }
        }
        false
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

    /// Runs every subscription of `action` whose trigger matches the event.
    pub fn process(&mut self, action: ActionKind, event: &Value, now_ms: f64) -> Outcome {
        let mut outcome = Outcome::default();
        if !event.is_object() {
            outcome.warnings.push(Warning::new(
                "event",
                crate::text::cat(&["ignored: must be an object, got ", type_name(event)]),
            ));
            return outcome;
        }
        if !enabled_for(event) {
            return outcome;
        }
        let input = PerformInput {
            settings: &self.settings,
            event,
            now_ms,
        };
        for sub in &self.subscriptions {
            if sub.action != action || !sub.trigger.matches(event) {
                continue;
            }
            let payload = sub.resolve(event);
            match perform(action, payload, &input, &mut outcome.warnings) {
                Some(IntercomCall::Update(update)) => self.session.update(
                    update,
                    action == ActionKind::IdentifyUser,
                    &self.settings,
                    now_ms,
                    &mut outcome,
                ),
                Some(call) => outcome.calls.push(call),
                None => {}
            }
        }
        crate::intercom::cap_warnings(&mut outcome.warnings);
        outcome
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

/// The `boot` settings: app_id, installation_type, api_base and a custom launcher. (Not
/// inlined: the .wasm is smaller.)
#[inline(never)]
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
