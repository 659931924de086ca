//! How a heuristic filter reports: keep, or drop with datatrove's reason, optionally with every
//! measured value (`--signals`).
//!
//! Without signals a filter stops at the first failed check, as datatrove does. With signals it
//! measures everything (so a corpus builder can re-threshold later without re-running) but still
//! reports the first failure as the reason, so the decision is the same either way.

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

/// A failed check: datatrove's reason string (`gopher_short_doc`, `top_2_gram`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped(pub Cow<'static, str>);

/// `Ok(())` keeps the document.
pub type Verdict = Result<(), Dropped>;

pub struct Judge<'a> {
    signals: Option<&'a mut Map<String, Value>>,
    first_failure: Option<Dropped>,
}

impl<'a> Judge<'a> {
    pub fn new(signals: Option<&'a mut Map<String, Value>>) -> Self {
        Judge {
            signals,
            first_failure: None,
        }
    }

    /// Store a measured value (NaN and infinities, which JSON cannot hold, become `null`).
    pub fn record(&mut self, name: &str, value: f64) {
        if let Some(signals) = self.signals.as_deref_mut() {
            let value = Number::from_f64((value * 1e6).round() / 1e6)
                .map(Value::Number)
                .unwrap_or(Value::Null);
            signals.insert(name.to_string(), value);
        }
    }

    /// A check failed: stop here (`Err`) unless signals are being collected.
    pub fn fail(&mut self, reason: &'static str) -> Verdict {
        self.fail_cow(Cow::Borrowed(reason))
    }

    pub fn fail_owned(&mut self, reason: String) -> Verdict {
        self.fail_cow(Cow::Owned(reason))
    }

    fn fail_cow(&mut self, reason: Cow<'static, str>) -> Verdict {
        if self.signals.is_none() {
            return Err(Dropped(reason));
        }
        self.first_failure.get_or_insert(Dropped(reason));
        Ok(())
    }

    /// Record `value`, and fail with `reason` when it is above `max`, datatrove's most common
    /// check. A `max` of 0 switches the check off (datatrove tests the threshold's truthiness).
    pub fn above(
        &mut self,
        name: &'static str,
        value: f64,
        max: f64,
        reason: &'static str,
    ) -> Verdict {
        self.record(name, value);
        if max != 0.0 && value > max {
            self.fail(reason)?;
        }
        Ok(())
    }

    /// Record `value`, and fail with `reason` when it is below `min` (0 switches the check off).
    pub fn below(
        &mut self,
        name: &'static str,
        value: f64,
        min: f64,
        reason: &'static str,
    ) -> Verdict {
        self.record(name, value);
        if min != 0.0 && value < min {
            self.fail(reason)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Verdict {
        match self.first_failure {
            Some(d) => Err(d),
            None => Ok(()),
        }
    }
}
