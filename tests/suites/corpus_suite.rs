//! The bad-input corpus inside WebAssembly: the same cases and runner as `tests/bad_inputs.rs`.

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn bad_input_corpus_in_wasm() {
    let files = [
        ("tokens.json", include_str!("../bad-inputs/tokens.json")),
        ("jwks.json", include_str!("../bad-inputs/jwks.json")),
        ("policies.json", include_str!("../bad-inputs/policies.json")),
        ("users.json", include_str!("../bad-inputs/users.json")),
        ("records.json", include_str!("../bad-inputs/records.json")),
    ];
    let cases: usize = files.iter().map(|(file, text)| crate::common::run_corpus(file, text).len()).sum();
    assert!(cases >= 300, "the corpus shrank to {cases} cases");
}
