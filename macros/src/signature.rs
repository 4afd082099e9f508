//! The handler function, read into a model that keeps spans: what each parameter is, what
//! the function returns, and whether it is async.

use syn::spanned::Spanned as _;
use syn::{FnArg, GenericParam, ItemFn, ReturnType, Type};

use crate::errors::Errors;
use crate::kinds::Kind;

/// What a parameter receives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The event (always the first parameter).
    Event,
    /// The Lambda context: a reference to a type named `Context`.
    Context,
    /// The shared state: a reference to any other type.
    State,
}

/// One parameter.
pub(crate) struct Param {
    pub(crate) role: Role,
    /// The referenced type (`T` in `&T`).
    pub(crate) referent: Type,
}

/// The function, as far as the expansion needs it.
pub(crate) struct HandlerFn {
    pub(crate) params: Vec<Param>,
    /// The declared return type; `None` for `()`.
    pub(crate) output: Option<Type>,
    pub(crate) is_async: bool,
}

const PARAMS_HELP: &str =
    "a handler takes the event, then optionally `&Context` and a reference to your shared state";

/// Reads `function`, recording every mistake in `errors`.
pub(crate) fn read(function: &ItemFn, kind: Option<&Kind>, errors: &mut Errors) -> HandlerFn {
    let sig = &function.sig;
    if let Some(constness) = &sig.constness {
        errors.at(constness.span(), "a trigger handler cannot be a `const fn`");
    }
    if let syn::Safety::Unsafe(unsafety) = &sig.safety {
        errors.at(
            unsafety.span(),
            "a trigger handler cannot be `unsafe`: nothing could uphold its contract",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.at(
            abi.span(),
            "a trigger handler is a Rust function; remove the `extern` ABI",
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.at(variadic.span(), "a trigger handler cannot be variadic");
    }
    for param in &sig.generics.params {
        if !matches!(param, GenericParam::Lifetime(_)) {
            errors.spanned(param,
                "a trigger handler cannot be generic: Cognito calls it with one concrete event type",
            );
        }
    }
    if let Some(where_clause) = sig
        .generics
        .where_clause
        .as_ref()
        .filter(|w| !w.predicates.is_empty())
    {
        errors.spanned(
            where_clause,
            "a trigger handler cannot have a `where` clause",
        );
    }

    let event_example = kind.map_or("&PreSignUpEvent<'_>".to_owned(), |k| {
        format!("&{}<'_>", k.event)
    });
    let mut params: Vec<Param> = Vec::new();
    for (index, input) in sig.inputs.iter().enumerate() {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                errors.spanned(
                    receiver,
                    "a trigger handler is a free function; it cannot take `self`",
                );
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let ty = (*typed.ty).clone();
        if contains_impl_trait(&ty) {
            errors.spanned(&ty, "a trigger handler cannot be generic: name the parameter's type instead of `impl Trait`");
            continue;
        }
        if index >= 3 {
            errors.spanned(typed, format!("too many parameters: {PARAMS_HELP}"));
            continue;
        }
        let Type::Reference(reference) = &ty else {
            let message = if index == 0 {
                format!("take the event by reference: `event: {event_example}`")
            } else {
                format!("borrow this parameter: {PARAMS_HELP}, all by reference")
            };
            errors.spanned(&ty, message);
            continue;
        };
        if let Some(mutability) = &reference.mutability {
            errors.at(
                mutability.span(),
                "take this parameter by shared reference (`&`, not `&mut`): handlers run on a shared event and state",
            );
            continue;
        }
        let referent = (*reference.elem).clone();
        // Only the event (the first parameter) has a lifetime of its own to keep apart.
        let shared_lifetime = reference
            .lifetime
            .as_ref()
            .filter(|l| index == 0 && mentions_lifetime(&referent, l));
        if let Some(shared) = shared_lifetime {
            errors.at(
                    shared.span(),
                    format!(
                        "the borrow of the event and the event's own lifetime must be able to differ: write `&{}<'_>` (or `&'a Event<'b>`, not `&'a Event<'a>`)",
                        kind.map_or("PreSignUpEvent", |k| k.event)
                    ),
                );
            continue;
        }
        let role = if index == 0 {
            Role::Event
        } else if is_named_context(&referent) {
            Role::Context
        } else {
            Role::State
        };
        if params.iter().any(|p| p.role == role) {
            let message = match role {
                Role::Context => "the handler already takes the context".to_owned(),
                _ => "the handler already takes its shared state; put everything it shares in one type".to_owned(),
            };
            errors.spanned(&ty, message);
            continue;
        }
        params.push(Param { role, referent });
    }
    if sig.inputs.is_empty() {
        errors.at(
            sig.paren_token.span.join(),
            format!(
                "a trigger handler takes its event: `fn {}(event: {event_example})`",
                sig.ident
            ),
        );
    }

    HandlerFn {
        params,
        output: match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some((**ty).clone()),
        },
        is_async: sig.asyncness.is_some(),
    }
}

/// Whether `ty` is a path whose last segment is `Context` (`Context`,
/// `cognito_trigger::Context`, `lambda_runtime::Context`).
fn is_named_context(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == "Context"))
}

/// Whether `lifetime` appears among the generic arguments of the path type `ty`.
fn mentions_lifetime(ty: &Type, lifetime: &syn::Lifetime) -> bool {
    let Type::Path(path) = ty else { return false };
    path.path
        .segments
        .iter()
        .any(|segment| match &segment.arguments {
            syn::PathArguments::AngleBracketed(args) => args.args.iter().any(
                |arg| matches!(arg, syn::GenericArgument::Lifetime(l) if l.ident == lifetime.ident),
            ),
            _ => false,
        })
}

fn contains_impl_trait(ty: &Type) -> bool {
    match ty {
        Type::ImplTrait(_) => true,
        Type::Reference(reference) => contains_impl_trait(&reference.elem),
        Type::Paren(paren) => contains_impl_trait(&paren.elem),
        Type::Group(group) => contains_impl_trait(&group.elem),
        _ => false,
    }
}
