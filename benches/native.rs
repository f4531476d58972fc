//! Native benchmarks (a plain harness, no extra dependencies): key check, route, snapshot issue and
//! verify (load), on the NeptuneCRM policy. Run: `cargo bench --bench native`. Prints the median of
//! interleaved batches per operation; wall-clock numbers, for reports only (tests never assert timings).

use std::hint::black_box;
use std::time::Instant;

use rolegate::compile::Compiler;
use rolegate::issue::SigningKey;
use rolegate::policy::User;
use rolegate::{Clock, Gate, GateOptions, Keyring};

type Op<'a> = (&'static str, Box<dyn FnMut() -> bool + 'a>);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::args().any(|a| a == "--quick");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies");
    let compiler = Compiler::from_json(&std::fs::read_to_string(format!("{dir}/neptunecrm.json"))?)?;
    let users: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/neptunecrm.users.json"))?)?;
    let user = User::from_json(&users.get("consultant").ok_or("no consultant")?.to_string())?;
    let key = SigningKey::from_seed("bench-key", [9; 32]);
    let now = 1_700_000_000.0;
    let token = key.sign(&compiler.claims(&user, "app", now, now + 600.0, 1)?)?;
    let mut options = GateOptions::new(Keyring::from_jwks(&SigningKey::jwks(&[&key]))?, "app");
    options.clock = Clock::fixed(now + 1.0);
    let mut gate = Gate::new(options.clone())?;
    gate.load(&token)?;
    let id = gate.id("page.jobs.view");
    let gate = gate;
    let mut loader = Gate::new(options)?;

    let mut ops: Vec<Op<'_>> = vec![
        ("key check allow (string)", Box::new(|| gate.can(black_box("page.jobs.view")))),
        ("key check deny (string)", Box::new(|| gate.can(black_box("page.admin.view")))),
        ("key check (id)", Box::new(|| gate.can_id(black_box(id)))),
        ("route allow", Box::new(|| gate.route(black_box("/customers/42")).allow)),
        ("route deny", Box::new(|| gate.route(black_box("/admin/users")).allow)),
        (
            "snapshot issue (compile + sign)",
            Box::new(|| {
                compiler.claims(&user, "app", now, now + 600.0, 1).and_then(|c| key.sign(&c)).is_ok()
            }),
        ),
        ("verify + load snapshot", Box::new(|| loader.load(black_box(&token)).is_ok())),
    ];
    let (rounds, target) = if quick { (3, 0.002) } else { (21, 0.02) };
    let mut batch = Vec::new();
    for (_, f) in ops.iter_mut() {
        let mut n: u64 = 1;
        loop {
            let t = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            let s = t.elapsed().as_secs_f64();
            if s >= target || n > 1 << 30 {
                batch.push((n as f64 * target / s.max(1e-9)).max(1.0) as u64);
                break;
            }
            n *= 4;
        }
    }
    let mut samples = vec![Vec::new(); ops.len()];
    for _ in 0..rounds {
        for ((_, f), (n, out)) in ops.iter_mut().zip(batch.iter().zip(samples.iter_mut())) {
            let t = Instant::now();
            for _ in 0..*n {
                black_box(f());
            }
            out.push(t.elapsed().as_secs_f64() * 1e9 / *n as f64);
        }
    }
    println!("{:<34} {:>12}", "operation (NeptuneCRM consultant)", "median ns");
    for ((name, _), mut s) in ops.iter().zip(samples) {
        s.sort_by(f64::total_cmp);
        let median = s.get(s.len() / 2).copied().unwrap_or(f64::NAN);
        println!("{name:<34} {median:>12.1}");
    }
    Ok(())
}
