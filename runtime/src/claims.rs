//! Which events a handler claims: its trigger, and which of the trigger's sources.

use crate::event::TriggerSource;
use crate::table::{MAX_SOURCES_PER_TRIGGER, TriggerKind};

/// The events a handler takes: one trigger, and all or some of its `triggerSource`s.
///
/// Known at compile time (`Handler::CLAIMS`), so a pool can refuse two handlers that claim
/// the same source before anything runs, and route an event with one table lookup.
///
/// ```
/// use cognito_trigger::{Claims, CustomMessageSource, TriggerKind};
///
/// const RESETS: Claims = Claims::sources(
///     TriggerKind::CustomMessage,
///     &[CustomMessageSource::ForgotPassword.position()],
/// );
/// assert!(RESETS.covers(&CustomMessageSource::ForgotPassword));
/// assert!(!RESETS.covers(&CustomMessageSource::SignUp));
/// // Sources Cognito adds later go to a handler that takes the whole trigger.
/// assert!(!RESETS.covers(&CustomMessageSource::Other("CustomMessage_New".into())));
/// assert!(Claims::all(TriggerKind::CustomMessage).overlaps(&RESETS));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claims {
    kind: TriggerKind,
    /// Bit `i`: the source at position `i` of the trigger's documented sources.
    sources: u16,
    /// Sources this crate does not know (yet).
    others: bool,
}

impl Claims {
    /// Every source of `kind`, including ones Cognito adds later.
    ///
    /// ```
    /// use cognito_trigger::{Claims, PreSignUpSource, TriggerKind};
    ///
    /// let every = Claims::all(TriggerKind::PreSignUp);
    /// assert!(every.covers(&PreSignUpSource::AdminCreateUser));
    /// assert!(every.covers(&PreSignUpSource::Other("PreSignUp_Tomorrow".into())));
    /// ```
    #[must_use]
    pub const fn all(kind: TriggerKind) -> Self {
        Self {
            kind,
            sources: u16::MAX,
            others: true,
        }
    }

    /// These sources of `kind` (positions from the source enum's `position()`).
    ///
    /// ```
    /// use cognito_trigger::{Claims, PreSignUpSource, TriggerKind};
    ///
    /// const INVITES: Claims =
    ///     Claims::sources(TriggerKind::PreSignUp, &[PreSignUpSource::AdminCreateUser.position()]);
    /// assert!(INVITES.covers(&PreSignUpSource::AdminCreateUser));
    /// assert!(!INVITES.covers(&PreSignUpSource::SignUp));
    /// ```
    ///
    /// # Panics
    /// At compile time, when a position is `None` (an `Other` value) or not below
    /// the most sources a trigger may have (16).
    #[must_use]
    pub const fn sources(kind: TriggerKind, positions: &[Option<usize>]) -> Self {
        let mut sources = 0u16;
        let mut index = 0;
        while index < positions.len() {
            match positions[index] {
                Some(position) if position < MAX_SOURCES_PER_TRIGGER => sources |= 1 << position,
                _ => panic!("a claimed source must be one of the trigger's documented sources"),
            }
            index += 1;
        }
        Self {
            kind,
            sources,
            others: false,
        }
    }

    /// The trigger claimed.
    ///
    /// ```
    /// use cognito_trigger::{Claims, TriggerKind};
    ///
    /// assert_eq!(Claims::all(TriggerKind::UserMigration).kind(), TriggerKind::UserMigration);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> TriggerKind {
        self.kind
    }

    /// Whether an event of this source (of the claimed trigger) is covered.
    ///
    /// ```
    /// use cognito_trigger::{Claims, PostConfirmationSource, TriggerKind};
    ///
    /// let resets = Claims::sources(
    ///     TriggerKind::PostConfirmation,
    ///     &[PostConfirmationSource::ConfirmForgotPassword.position()],
    /// );
    /// assert!(resets.covers(&PostConfirmationSource::ConfirmForgotPassword));
    /// assert!(!resets.covers(&PostConfirmationSource::ConfirmSignUp));
    /// ```
    #[must_use]
    pub fn covers<S: TriggerSource>(&self, source: &S) -> bool {
        self.covers_position(source.position())
    }

    /// Whether the documented source at `position` (or an unknown one, for `None`) is covered.
    ///
    /// ```
    /// use cognito_trigger::{Claims, TriggerKind};
    ///
    /// let second = Claims::sources(TriggerKind::PostConfirmation, &[Some(1)]);
    /// assert!(second.covers_position(Some(1)));
    /// assert!(!second.covers_position(Some(0)));
    /// assert!(!second.covers_position(None));
    /// assert!(Claims::all(TriggerKind::PostConfirmation).covers_position(None));
    /// ```
    #[must_use]
    pub const fn covers_position(&self, position: Option<usize>) -> bool {
        match position {
            Some(position) => {
                position < MAX_SOURCES_PER_TRIGGER && self.sources & (1 << position) != 0
            }
            None => self.others,
        }
    }

    /// Whether both claim some source of the same trigger.
    ///
    /// ```
    /// use cognito_trigger::{Claims, TriggerKind};
    ///
    /// let sign_ups = Claims::sources(TriggerKind::PreSignUp, &[Some(0)]);
    /// let invites = Claims::sources(TriggerKind::PreSignUp, &[Some(1)]);
    /// assert!(!sign_ups.overlaps(&invites));
    /// assert!(Claims::all(TriggerKind::PreSignUp).overlaps(&invites));
    /// assert!(!Claims::all(TriggerKind::PostConfirmation).overlaps(&sign_ups));
    /// ```
    #[must_use]
    pub const fn overlaps(&self, other: &Claims) -> bool {
        self.kind as u8 == other.kind as u8
            && (self.sources & other.sources != 0 || (self.others && other.others))
    }
}
