//! Writing the code: the function as it was, plus a same-named struct (in the type
//! namespace only, so the function stays callable) that implements the runtime's
//! `Handler` by calling the function.
//!
//! Every check is left to rustc through the runtime's traits: each argument is produced by
//! `<ParamType as EventParam<..>>::from_event(..)` and the result goes through
//! `into_outcome::<Kind, _>(..)`, each spanned at the user's own type, so a type mistake is
//! reported once, at the user's parameter or return type, with the runtime's
//! `#[diagnostic::on_unimplemented]` message.

use proc_macro2::{Group, TokenTree};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned as _;
use syn::{ItemFn, Path};

use crate::errors::Errors;
use crate::kinds::Kind;
use crate::options::{self, Options};
use crate::signature::{self, HandlerFn, Role};

/// The attribute's expansion.
pub(crate) fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = options::parse(args, &mut errors);
    let function = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let head: TokenStream = item.clone().into_iter().take(2).collect();
            errors.push(syn::Error::new_spanned(
                head,
                "`#[cognito_trigger(...)]` goes on a function: `fn handler(event: &PreSignUpEvent<'_>)`",
            ));
            let errors = errors.into_compile_errors();
            return quote! { #item #errors };
        }
    };
    let handler = signature::read(
        &function,
        options.kind.as_ref().map(|(kind, _)| *kind),
        &mut errors,
    );
    match (&options.kind, errors.is_empty()) {
        (Some((kind, _)), true) => {
            let implementation = handler_impl(&function, &handler, kind, &options);
            quote! { #function #implementation }
        }
        (kind, _) => {
            let errors = errors.into_compile_errors();
            // A method (it has `self`) sits in an impl block, where no struct can go.
            let stand_in = function
                .sig
                .receiver()
                .is_none()
                .then(|| stand_in(&function, kind.as_ref().map(|(kind, _)| *kind), &options));
            quote! { #function #errors #stand_in }
        }
    }
}

/// After an error: a handler that claims nothing and is never called, so that
/// `handler!(f)`, `pool![f, ...]` and `run(...)` still compile and the user sees only the
/// real error (thiserror's fallback does the same for its derive).
fn stand_in(function: &ItemFn, kind: Option<&Kind>, options: &Options) -> TokenStream {
    let paths = Paths::new(options);
    let name = &function.sig.ident;
    let vis = &function.vis;
    // Any marker will do when the kind itself was the mistake: the stand-in claims nothing.
    let marker = paths.item(kind.map_or(crate::kinds::KINDS[0].marker, |kind| kind.marker));
    let handler_trait = paths.item("Handler");
    let info_trait = paths.item("HandlerInfo");
    let trigger_trait = paths.item("Trigger");
    let claims_type = paths.item("Claims");
    let event_type = paths.item("Event");
    let context_type = paths.item("Context");
    let outcome = paths.item("Outcome");
    let any_state = Ident::new("__CognitoState", Span::mixed_site());
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        impl #info_trait for #name {
            type Trigger = #marker;
            const NAME: &'static str = ::core::stringify!(#name);
            const CLAIMS: #claims_type = #claims_type::sources(<#marker as #trigger_trait>::KIND, &[]);
        }

        impl<#any_state: ::core::marker::Sync> #handler_trait<#any_state> for #name {
            async fn call(
                &self,
                _: &#event_type<'_, #marker>,
                _: &#context_type,
                _: &#any_state,
            ) -> #outcome<#marker> {
                ::core::unreachable!("a `#[cognito_trigger]` function that did not compile")
            }
        }
    }
}

/// The paths the expansion names, all under one root (`::cognito_trigger` unless
/// `crate = "..."` says otherwise). Standard library paths are written out in full where
/// they are used (`::core::...`), so a user's `Result` or `Option` cannot capture them.
struct Paths {
    root: Path,
}

impl Paths {
    fn new(options: &Options) -> Self {
        Self {
            root: options
                .krate
                .clone()
                .unwrap_or_else(|| syn::parse_quote!(::cognito_trigger)),
        }
    }

    /// A public item of the runtime, such as `Handler` or `PreSignUp`.
    fn item(&self, name: &str) -> TokenStream {
        let root = &self.root;
        let name = Ident::new(name, Span::call_site());
        quote!(#root::#name)
    }

    /// An item of the runtime's hidden support module.
    fn private(&self, name: &str) -> TokenStream {
        let root = &self.root;
        let name = Ident::new(name, Span::call_site());
        quote!(#root::__private::#name)
    }
}

fn handler_impl(
    function: &ItemFn,
    handler: &HandlerFn,
    kind: &Kind,
    options: &Options,
) -> TokenStream {
    let paths = Paths::new(options);
    let name = &function.sig.ident;
    let vis = &function.vis;
    let marker = paths.item(kind.marker);
    let handler_trait = paths.item("Handler");
    let info_trait = paths.item("HandlerInfo");
    let event_type = paths.item("Event");
    let context_type = paths.item("Context");
    let outcome = paths.item("Outcome");

    // Locals get mixed-site hygiene: they can never collide with the user's names.
    let event = Ident::new("__cognito_event", Span::mixed_site());
    let context = Ident::new("__cognito_context", Span::mixed_site());
    let state = Ident::new("__cognito_state", Span::mixed_site());
    let answer = Ident::new("__cognito_answer", Span::mixed_site());

    // Each argument's type is inferred from the user's parameter, never written out (it may
    // carry elided or named lifetimes that mean nothing here); the span makes a mismatch
    // show at that parameter.
    let arguments = handler.params.iter().map(|param| {
        let (function, value) = match param.role {
            Role::Event => {
                let event_param = paths.private("EventParam");
                (quote!(#event_param::<'_, '_, #marker>::from_event), &event)
            }
            Role::Context => {
                let context_param = paths.private("ContextParam");
                (quote!(#context_param::<'_>::from_context), &context)
            }
            Role::State => {
                let state_param = paths.private("StateParam");
                let referent = &param.referent;
                (quote!(#state_param::<'_, #referent>::from_state), &state)
            }
        };
        // The call is reported at the user's parameter type; `relocate` keeps each token's
        // hygiene, so the mixed-site local still resolves.
        relocate(quote!(#function(#value)), param.referent.span())
    });

    // A handler without state fits a pool of any state; one with state, only its own.
    let any_state = Ident::new("__CognitoState", Span::mixed_site());
    let (impl_generics, state_type) = match handler.params.iter().find(|p| p.role == Role::State) {
        Some(param) => {
            let referent = &param.referent;
            (quote!(), quote!(#referent))
        }
        None => (
            quote!(<#any_state: ::core::marker::Sync>),
            quote!(#any_state),
        ),
    };

    let await_answer = handler.is_async.then(|| quote!(.await));
    let into_outcome = paths.private("into_outcome");
    let settle_answer = match &handler.output {
        Some(output) => relocate(quote!(#into_outcome::<#marker, _>(#answer)), output.span()),
        None => quote!(#into_outcome::<#marker, ()>(#answer)),
    };

    // Narrowed to some sources: the claim is a constant, checked when a pool is built.
    let claims = options.sources.as_ref().map(|sources| {
        let claims_type = paths.item("Claims");
        let trigger = paths.item("Trigger");
        let source_enum = paths.item(kind.source_enum);
        let positions = sources
            .iter()
            .map(|source| quote!(#source_enum::#source.position()));
        quote! {
            const CLAIMS: #claims_type =
                #claims_type::sources(<#marker as #trigger>::KIND, &[#(#positions),*]);
        }
    });
    let on_timeout = options.on_timeout.as_ref().map(|policy| {
        let policy_type = paths.item("OnTimeout");
        let variant = if policy == "fail_open" {
            quote!(FailOpen)
        } else {
            quote!(FailClosed)
        };
        quote!(const ON_TIMEOUT: #policy_type = #policy_type::#variant;)
    });
    let doc =
        format!("The trigger handler of the function [`{name}`], for registering and running it.");
    let struct_name = format_ident!("{}", name);

    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #struct_name {}

        impl #info_trait for #struct_name {
            type Trigger = #marker;
            const NAME: &'static str = ::core::stringify!(#name);
            #claims
            #on_timeout
        }

        impl #impl_generics #handler_trait<#state_type> for #struct_name {
            async fn call(
                &self,
                #event: &#event_type<'_, #marker>,
                #context: &#context_type,
                #state: &#state_type,
            ) -> #outcome<#marker> {
                let _ = (&#event, &#context, &#state);
                let #answer = #name(#(#arguments),*) #await_answer;
                #settle_answer
            }
        }
    }
}

/// `tokens` reported at `location`: every span moves there and keeps its own hygiene
/// (`Span::located_at`), so rustc points at the user's code while names resolve as before.
fn relocate(tokens: TokenStream, location: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut relocated =
                    Group::new(group.delimiter(), relocate(group.stream(), location));
                relocated.set_span(group.span().located_at(location));
                TokenTree::Group(relocated)
            }
            mut other => {
                other.set_span(other.span().located_at(location));
                other
            }
        })
        .collect()
}
