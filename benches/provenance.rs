//! `cargo bench --bench provenance`: the same figures as `verso bench provenance`.

fn main() {
    let mut out = std::io::stdout().lock();
    if let Err(error) = verso::bench::provenance(&verso::bench::data_dir(), &mut out) {
        panic!("{error}");
    }
}
