#!/usr/bin/env bash
# Times pySBD (from PyPI) and Verso on the same English news text and prints
# the throughput ratio. Run `cargo bench --bench segment` first: it writes
# target/bench/segment-en.txt. pySBD is installed into target/pysbd-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
sample=target/bench/segment-en.txt
[ -f "$sample" ] || { echo "run 'cargo bench --bench segment' first ($sample is missing)" >&2; exit 1; }
if [ ! -x target/pysbd-venv/bin/python ]; then
  python3 -m venv target/pysbd-venv
  target/pysbd-venv/bin/pip install --quiet pysbd==0.3.4
fi
cargo build --release --quiet
pysbd=$(target/pysbd-venv/bin/python - "$sample" <<'PY'
import sys, time, pysbd
text = open(sys.argv[1], encoding="utf-8").read()
paragraphs = [p for p in text.split("\n\n") if p.strip()]
seg = pysbd.Segmenter(language="en", clean=False)
start = time.perf_counter()
count = sum(len(seg.segment(p)) for p in paragraphs)
seconds = time.perf_counter() - start
mb = len(text.encode("utf-8")) / 1e6
print(f"{mb / seconds:.3f} {count} {seconds:.2f}")
PY
)
read -r pysbd_mbps pysbd_count pysbd_seconds <<<"$pysbd"
verso_line=$(target/release/verso segment "$sample" --lang en --stats 2>&1 >/dev/null)
verso_mbps=$(sed -E 's/.* = ([0-9.]+) MB\/s.*/\1/' <<<"$verso_line")
echo "pySBD 0.3.4: ${pysbd_mbps} MB/s (${pysbd_count} sentences in ${pysbd_seconds} s)"
echo "verso      : ${verso_line}"
python3 -c "print(f'verso / pySBD throughput: {float(\"$verso_mbps\") / float(\"$pysbd_mbps\"):.0f}x')"
