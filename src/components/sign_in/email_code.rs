//! A headless email-code sign-in: the address, then the code, then (for
//! users who have one) a second factor. Styled by the app.

use dioxus::prelude::*;

use crate::hooks::use_clerk;
use crate::model::SignIn;
use crate::{ClerkError, FirstFactor, SecondFactor, SignInStep};

/// Where the form is.
#[derive(Clone, PartialEq)]
enum Step {
    Identifier,
    Code(SignIn),
    SecondFactor(SignIn),
    Complete,
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Self::Identifier => "identifier",
            Self::Code(_) => "code",
            Self::SecondFactor(_) => "second_factor",
            Self::Complete => "complete",
        }
    }
}

/// Signs in with an email code, as a form you style: the email address and
/// "Send code"; then the code and "Verify"; then, for a user with a second
/// factor, their authenticator code (or "Email me a code instead"). The new
/// session joins the client's others and becomes the active one: "Add
/// account" in a switcher.
///
/// Markup: a `form` with your attributes and `data-step="identifier|code|second_factor|complete"`
/// and `aria-busy` while a request runs. Inside: one labelled `input` (ids
/// `{id_prefix}-identifier`, `-code`, `-second-factor`), the submit button
/// (`{id_prefix}-submit`), "Use another address" (`-restart`), and the error
/// in `{id_prefix}-error` (`role="alert"`). A wrong or expired code keeps the
/// step, with Clerk's message.
#[component]
pub fn EmailCodeSignIn(
    /// Prefix of the inner elements' ids (default `clerk-sign-in`).
    #[props(into, default = "clerk-sign-in".to_string())]
    id_prefix: String,
    /// The address to start with.
    #[props(into)]
    initial_email: Option<String>,
    /// Called with the new session's id once signed in.
    on_complete: Option<EventHandler<String>>,
    /// Receives every error (they are also shown in the form).
    on_error: Option<EventHandler<ClerkError>>,
    /// Attributes for the `form`.
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
) -> Element {
    let clerk = use_clerk();
    let mut step = use_signal(|| Step::Identifier);
    let mut input = use_signal(|| initial_email.clone().unwrap_or_default());
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let prefix = id_prefix;
    let submit = {
        let clerk = clerk.clone();
        move |event: FormEvent| {
            event.prevent_default();
            if busy() {
                return;
            }
            let clerk = clerk.clone();
            let current = step.peek().clone();
            let value = input.peek().trim().to_owned();
            busy.set(true);
            spawn(async move {
                let result = match &current {
                    Step::Identifier => clerk.sign_in_with_email_code(&value).await,
                    Step::Code(sign_in) => {
                        clerk
                            .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode(&value))
                            .await
                    }
                    Step::SecondFactor(sign_in) => {
                        let factor = if sign_in
                            .second_factor_verification
                            .as_ref()
                            .is_some_and(|v| v.strategy.as_deref() == Some("email_code"))
                        {
                            SecondFactor::EmailCode(&value)
                        } else {
                            SecondFactor::Totp(&value)
                        };
                        clerk.attempt_second_factor(&sign_in.id, factor).await
                    }
                    Step::Complete => return,
                };
                busy.set(false);
                match result {
                    Ok(next) => {
                        error.set(None);
                        input.set(String::new());
                        match next {
                            SignInStep::Complete { session_id } => {
                                step.set(Step::Complete);
                                if let Some(handler) = on_complete {
                                    handler.call(session_id);
                                }
                            }
                            SignInStep::NeedsFirstFactor(sign_in) => step.set(Step::Code(sign_in)),
                            SignInStep::NeedsSecondFactor(sign_in) => {
                                step.set(Step::SecondFactor(sign_in))
                            }
                        }
                    }
                    Err(failure) => {
                        error.set(Some(failure.to_string()));
                        if let Some(handler) = on_error {
                            handler.call(failure);
                        }
                    }
                }
            });
        }
    };
    let email_instead = {
        let clerk = clerk.clone();
        move |_| {
            let Step::SecondFactor(sign_in) = step.peek().clone() else {
                return;
            };
            let clerk = clerk.clone();
            busy.set(true);
            spawn(async move {
                let result = clerk.prepare_second_factor(&sign_in, "email_code").await;
                busy.set(false);
                match result {
                    Ok(prepared) => step.set(Step::SecondFactor(prepared)),
                    Err(failure) => error.set(Some(failure.to_string())),
                }
            });
        }
    };
    let current = step();
    let (label, field, button) = match &current {
        Step::Identifier => ("Email address", "identifier", "Send code"),
        Step::Code(_) => ("Code from your email", "code", "Verify"),
        Step::SecondFactor(sign_in) => {
            let emailed = sign_in
                .second_factor_verification
                .as_ref()
                .is_some_and(|v| v.strategy.as_deref() == Some("email_code"));
            (
                if emailed {
                    "Code from your email"
                } else {
                    "Authenticator code"
                },
                "second-factor",
                "Verify",
            )
        }
        Step::Complete => ("", "", ""),
    };
    let sent_to = match &current {
        Step::Code(sign_in) => sign_in
            .first_factor("email_code")
            .and_then(|f| f.safe_identifier.clone()),
        _ => None,
    };
    rsx! {
        form {
            "data-step": current.name(),
            aria_busy: if busy() { "true" } else { "false" },
            onsubmit: submit,
            ..attributes,
            if current == Step::Complete {
                p { role: "status", "Signed in." }
            } else {
                if let Some(address) = sent_to {
                    p { "We emailed a code to {address}." }
                }
                label { r#for: "{prefix}-{field}", "{label}" }
                // One element per step (a template each), so each field starts
                // empty; `initial_value` keeps a fast typist's characters.
                match field {
                    "identifier" => rsx! {
                        input {
                            id: "{prefix}-identifier",
                            r#type: "email",
                            name: "identifier",
                            autocomplete: "email",
                            initial_value: input.peek().clone(),
                            oninput: move |e| input.set(e.value()),
                        }
                    },
                    "code" => rsx! {
                        input {
                            id: "{prefix}-code",
                            r#type: "text",
                            name: "code",
                            autocomplete: "one-time-code",
                            inputmode: "numeric",
                            oninput: move |e| input.set(e.value()),
                        }
                    },
                    _ => rsx! {
                        input {
                            id: "{prefix}-second-factor",
                            r#type: "text",
                            name: "second_factor",
                            autocomplete: "one-time-code",
                            inputmode: "numeric",
                            oninput: move |e| input.set(e.value()),
                        }
                    },
                }
                button { id: "{prefix}-submit", r#type: "submit", aria_disabled: busy().then_some("true"), "{button}" }
                if matches!(current, Step::SecondFactor(_)) {
                    button { id: "{prefix}-email-instead", r#type: "button", onclick: email_instead, "Email me a code instead" }
                }
                if !matches!(current, Step::Identifier) {
                    button {
                        id: "{prefix}-restart",
                        r#type: "button",
                        onclick: move |_| {
                            step.set(Step::Identifier);
                            error.set(None);
                        },
                        "Use another address"
                    }
                }
            }
            if let Some(message) = error() {
                p { id: "{prefix}-error", role: "alert", "{message}" }
            }
        }
    }
}
