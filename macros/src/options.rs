//! The attribute's arguments: `#[cognito_trigger(Kind, sources(A, B), crate = "path")]`.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser as _;
use syn::spanned::Spanned as _;
use syn::{Ident, LitStr, Path, Token};

use crate::errors::Errors;
use crate::kinds::{self, KINDS, Kind};

/// The parsed arguments; every value keeps the span it was written at.
#[derive(Default)]
pub(crate) struct Options {
    /// The trigger kind, as written.
    pub(crate) kind: Option<(&'static Kind, Ident)>,
    /// `sources(...)`: the trigger sources the handler narrows itself to.
    pub(crate) sources: Option<Vec<Ident>>,
    /// `crate = "..."`: the path of the runtime crate, when renamed.
    pub(crate) krate: Option<Path>,
    /// `on_timeout = fail_open | fail_closed`: the answer when the handler runs out of time.
    pub(crate) on_timeout: Option<Ident>,
}

const OPTIONS_HELP: &str =
    "the options are `sources(...)`, `on_timeout = fail_open | fail_closed` and `crate = \"...\"`";

/// Parses the arguments, recording every mistake in `errors`.
pub(crate) fn parse(args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    let mut unknown_kind = false;
    let parser = syn::meta::parser(|meta| {
        let span = meta.path.span();
        if meta.path.is_ident("sources") {
            let mut sources = Vec::new();
            if !meta.input.peek(syn::token::Paren) {
                errors.at(
                    span,
                    "write the sources in parentheses: `sources(SignUp, ForgotPassword)`",
                );
                skip_value(&meta)?;
                return Ok(());
            }
            meta.parse_nested_meta(|source| {
                match source.path.get_ident() {
                    Some(ident) if source.input.is_empty() || source.input.peek(Token![,]) => {
                        sources.push(ident.clone());
                    }
                    _ => {
                        errors.at(
                            source.path.span(),
                            "a source is a plain name, such as `SignUp`",
                        );
                        skip_value(&source)?;
                    }
                }
                Ok(())
            })?;
            if sources.is_empty() {
                errors.at(
                    span,
                    "`sources()` is empty: name at least one trigger source",
                );
            }
            if options.sources.is_some() {
                errors.at(
                    span,
                    "`sources` is given twice: list every source in one `sources(...)`",
                );
            } else {
                options.sources = Some(sources);
            }
        } else if meta.path.is_ident("on_timeout") {
            let value: Ident = meta.value()?.parse()?;
            if !matches!(value.to_string().as_str(), "fail_open" | "fail_closed") {
                errors.at(value.span(), "`on_timeout` is `fail_open` or `fail_closed`");
            } else if options.on_timeout.is_some() {
                errors.at(span, "`on_timeout` is given twice");
            } else {
                options.on_timeout = Some(value);
            }
        } else if meta.path.is_ident("crate") {
            let value: LitStr = meta.value()?.parse()?;
            match value.parse::<Path>() {
                Ok(path) if options.krate.is_none() => options.krate = Some(path),
                Ok(_) => errors.at(span, "`crate` is given twice"),
                Err(_) => errors.at(
                    value.span(),
                    "`crate` takes a path, such as `crate = \"my_runtime\"`",
                ),
            }
        } else if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
            let name = path_text(&meta.path);
            errors.at(span, format!("unknown option `{name}`; {OPTIONS_HELP}"));
            skip_value(&meta)?;
        } else if let Some(ident) = meta.path.get_ident() {
            match (kinds::find(&ident.to_string()), &options.kind) {
                (_, Some((_, first))) => errors.at(
                    span,
                    format!("a handler serves one trigger, and this one already serves `{first}`"),
                ),
                (Some(kind), None) => options.kind = Some((kind, ident.clone())),
                (None, None) => {
                    unknown_kind = true;
                    errors.at(span, unknown_kind_message(&ident.to_string()));
                }
            }
        } else {
            errors.at(
                span,
                format!("unknown option `{}`; {OPTIONS_HELP}", path_text(&meta.path)),
            );
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args.clone()) {
        errors.push(error);
        return options;
    }
    if options.kind.is_none() && !unknown_kind && errors.is_empty() {
        errors.at(
            if args.is_empty() {
                Span::call_site()
            } else {
                args.span()
            },
            format!(
                "missing trigger kind: write `#[cognito_trigger(PreSignUp)]` or another of {}",
                kinds::list(&KINDS.iter().map(|k| k.name).collect::<Vec<_>>())
            ),
        );
    }
    check_sources(&options, errors);
    options
}

/// Every source must be one of the kind's, and named once.
fn check_sources(options: &Options, errors: &mut Errors) {
    let (Some((kind, kind_ident)), Some(sources)) = (&options.kind, &options.sources) else {
        return;
    };
    for (index, source) in sources.iter().enumerate() {
        let name = source.to_string();
        if sources[..index].iter().any(|earlier| *earlier == name) {
            errors.at(source.span(), format!("`{name}` is listed twice"));
        } else if !kind.sources.contains(&name.as_str()) {
            let mut message = format!("`{name}` is not a trigger source of `{kind_ident}`");
            if name == "ClientCredentials" {
                message.push_str(
                    "; only `PreTokenGenerationV3` (V3_0) receives client-credentials events",
                );
            } else if let Some(close) = kinds::did_you_mean(&name, kind.sources.iter().copied()) {
                message.push_str(&format!("; did you mean `{close}`?"));
            } else {
                message.push_str(&format!("; its sources are {}", kinds::list(kind.sources)));
            }
            errors.at(source.span(), message);
        }
    }
}

fn unknown_kind_message(name: &str) -> String {
    let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    match kinds::did_you_mean(name, names.iter().copied()) {
        Some(close) => format!("unknown trigger kind `{name}`; did you mean `{close}`?"),
        None => format!(
            "unknown trigger kind `{name}`; the kinds are {}",
            kinds::list(&names)
        ),
    }
}

/// Consumes `= value` or `(...)` after an option that is being reported, so parsing can go
/// on to the next one.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

fn path_text(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
