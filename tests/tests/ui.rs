//! Compile-time checks of `#[derive(SemanticEvent)]` and `#[derive(Validate)]`.
//!
//! `ui/fail/*.rs` must fail to compile with exactly the errors in the `.stderr` file
//! beside each (regenerate with `TRYBUILD=overwrite` and read every diff);
//! `ui/pass/*.rs` must compile and their `main` must run without panicking.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*.rs");
    cases.pass("ui/pass/*.rs");
}
