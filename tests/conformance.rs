//! The conformance files of the four seed products, run natively (the same runner runs in wasm).

#![cfg(feature = "issuer")]

#[path = "common/conformance.rs"]
mod common;

macro_rules! product {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            let n = common::run(
                include_str!(concat!("../examples/policies/", $name, ".json")),
                include_str!(concat!("../examples/policies/", $name, ".users.json")),
                include_str!(concat!("conformance/", $name, ".json")),
            )
            .unwrap_or_else(|e| panic!("{}:\n{e}", $name));
            println!("{}: {n} cases passed", $name);
            assert!(n >= 40, "{}: only {n} cases", $name);
        }
    };
}

product!(commusoft, "commusoft");
product!(property, "property");
product!(reconpro, "reconpro");
product!(neptunecrm, "neptunecrm");
