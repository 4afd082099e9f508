//! Compile-time behaviour of `#[cognito_trigger]`: misuse gets a clear message at the
//! offending token (`ui/fail`, each with its reviewed `.stderr`), and correct use compiles
//! and runs (`ui/pass`). Regenerate the `.stderr` files with `cargo xtask bless`, then
//! review them with `git diff`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
