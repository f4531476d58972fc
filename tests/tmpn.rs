mod common;
#[test]
fn n() {
    let r = common::run(include_str!("../examples/policies/commusoft.json"), include_str!("../examples/policies/commusoft.users.json"), include_str!("conformance/commusoft.json"));
    match r { Ok(n) => println!("{n} ok"), Err(e) => panic!("{e}") }
}
