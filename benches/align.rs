//! `cargo bench --bench align`: the same figures as `verso bench align`
//! (two 20,000-sentence documents). Run alone so the peak memory printed
//! is the aligner's.

fn main() {
    let mut out = std::io::stdout().lock();
    if let Err(error) = verso::bench::align(&verso::bench::data_dir(), &mut out) {
        panic!("{error}");
    }
}
