//! The conformance files of the four seed products inside WebAssembly: the same runner as
//! `tests/conformance.rs` (compile → sign → load → ask), the same data.

use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! product {
    ($test:ident, $name:literal) => {
        #[wasm_bindgen_test]
        fn $test() {
            let n = crate::conformance::run(
                include_str!(concat!("../../examples/policies/", $name, ".json")),
                include_str!(concat!("../../examples/policies/", $name, ".users.json")),
                include_str!(concat!("../conformance/", $name, ".json")),
            )
            .unwrap_or_else(|e| panic!("{}:\n{e}", $name));
            assert!(n >= 40, "{}: only {n} cases", $name);
        }
    };
}

product!(conformance_commusoft, "commusoft");
product!(conformance_property, "property");
product!(conformance_reconpro, "reconpro");
product!(conformance_neptunecrm, "neptunecrm");
