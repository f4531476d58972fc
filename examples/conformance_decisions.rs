//! Prints the native answer to every conformance case as JSON lines, for the Node parity test
//! (`tests/js/parity.test.mjs`), which computes the same through the npm package and compares:
//! `cargo run --example conformance_decisions --features issuer > native.jsonl`.

#[path = "../tests/common/conformance.rs"]
mod common;

const PRODUCTS: [(&str, &str, &str); 4] = [
    (
        include_str!("policies/commusoft.json"),
        include_str!("policies/commusoft.users.json"),
        include_str!("../tests/conformance/commusoft.json"),
    ),
    (
        include_str!("policies/neptunecrm.json"),
        include_str!("policies/neptunecrm.users.json"),
        include_str!("../tests/conformance/neptunecrm.json"),
    ),
    (
        include_str!("policies/property.json"),
        include_str!("policies/property.users.json"),
        include_str!("../tests/conformance/property.json"),
    ),
    (
        include_str!("policies/reconpro.json"),
        include_str!("policies/reconpro.users.json"),
        include_str!("../tests/conformance/reconpro.json"),
    ),
];

fn main() -> std::process::ExitCode {
    for (policy, users, cases) in PRODUCTS {
        match common::decisions(policy, users, cases) {
            Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
            Err(e) => {
                eprintln!("conformance_decisions: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
