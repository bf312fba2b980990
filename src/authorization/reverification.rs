//! How recently the user must have verified a factor (`fva`, minutes since
//! the first and the second factor, `-1` for never), as Clerk's
//! `checkReverificationAuthorization` reads it.

use super::Outcome;

/// A reverification to require: one of Clerk's presets, or a level and a
/// number of minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reverification {
    /// Multi-factor within 10 minutes (`strict_mfa`).
    StrictMfa,
    /// A second factor within 10 minutes (`strict`).
    Strict,
    /// A second factor within an hour (`moderate`).
    Moderate,
    /// A second factor within a day (`lax`).
    Lax,
    /// `level` within `after_minutes` (which must be above 0, else the check fails).
    Within {
        /// Which factor.
        level: VerificationLevel,
        /// How many minutes ago at most, exclusive.
        after_minutes: u32,
    },
}

/// Which factor a [`Reverification`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationLevel {
    /// The first factor (a password, a code).
    FirstFactor,
    /// The second factor, or the first for users who have none.
    SecondFactor,
    /// Both, or the first for users with no second factor.
    MultiFactor,
}

impl Reverification {
    /// The level and minutes the preset stands for.
    pub fn level_and_minutes(self) -> (VerificationLevel, u32) {
        match self {
            Self::StrictMfa => (VerificationLevel::MultiFactor, 10),
            Self::Strict => (VerificationLevel::SecondFactor, 10),
            Self::Moderate => (VerificationLevel::SecondFactor, 60),
            Self::Lax => (VerificationLevel::SecondFactor, 1440),
            Self::Within {
                level,
                after_minutes,
            } => (level, after_minutes),
        }
    }
}

/// Whether `fva` meets `asked`.
pub(super) fn outcome(asked: Option<&Reverification>, fva: Option<[i64; 2]>) -> Outcome {
    let Some(asked) = asked else {
        return Outcome::NotAsked;
    };
    let Some([first, second]) = fva else {
        return Outcome::Fail;
    };
    let valid = |age: i64| age == -1 || age >= 0;
    let (level, minutes) = asked.level_and_minutes();
    if !valid(first) || !valid(second) || minutes == 0 || (first == -1 && second == -1) {
        return Outcome::Fail;
    }
    let fresh = |age: i64| age != -1 && i64::from(minutes) > age;
    Outcome::from(match level {
        VerificationLevel::FirstFactor => fresh(first),
        VerificationLevel::SecondFactor if second == -1 => fresh(first),
        VerificationLevel::SecondFactor => fresh(second),
        VerificationLevel::MultiFactor if second == -1 => fresh(first),
        VerificationLevel::MultiFactor if first == -1 => false,
        VerificationLevel::MultiFactor => fresh(first) && fresh(second),
    })
}
