"""Does the cost of one article grow linearly with its size? Time and peak memory per size.

    .venv/bin/python benchmarks/scaling.py                  # long ×1, ×10, ×100; 2k, 20k, 100k short lines
    .venv/bin/python benchmarks/scaling.py --long 1 10 --lines 2000

Each size runs in a fresh process (so its peak resident set is its own) that
builds one article and does what `thongke annotate --format json` does:
annotate, then serialise the SPEC object. "long ×N" is every article of
corpus/samples joined, N times over; "N short lines" is N lines cut from
those articles' sentences, one figure-bearing clause per line. Per size it
prints seconds, seconds per MB relative to the smallest size (1.00 is linear)
and peak RSS.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
_CLAUSE = regex.compile(r"[^.;\n]*\d[^.;\n]*[.;]")


def _samples() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))]


def long_article(times: int) -> str:
    return "\n\n".join(_samples() * times)


def short_lines(count: int) -> str:
    clauses = [c.strip() for text in _samples() for c in _CLAUSE.findall(text) if len(c.strip()) > 20]
    return "\n".join(clauses[i % len(clauses)] for i in range(count))


def run_one(kind: str, size: int) -> None:
    """In the child: build, annotate, serialise; print one JSON line of figures."""
    sys.path.insert(0, str(ROOT))
    from pipeline.nlp.annotate import annotate
    from schemas import Article

    text = long_article(size) if kind == "long" else short_lines(size)
    annotate(Article(doc="warm-up", text=short_lines(5), source="-"))  # models load outside the timing
    started = time.perf_counter()
    result = annotate(Article(doc=f"{kind}-{size}", text=text, source="-"))
    json.dumps(result.to_json_dict(), ensure_ascii=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"mb": len(text.encode()) / 1e6, "seconds": seconds, "rss": peak, "records": len(result.records)}))


def measure(kind: str, size: int) -> dict:
    child = subprocess.run([sys.executable, __file__, "--one", kind, str(size)], capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise SystemExit(f"{kind} {size}: failed\n{child.stderr[-2000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=int, nargs="*", default=[1, 10, 100], help="multiples of the long article")
    parser.add_argument("--lines", type=int, nargs="*", default=[2000, 20000, 100000], help="counts of short lines")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one[0], int(args.one[1]))
        return
    print(f"{'input':>16} {'MB':>8} {'seconds':>9} {'s/MB vs first':>14} {'peak RSS':>10} {'records':>8}")
    for kind, sizes in (("long", args.long), ("lines", args.lines)):
        first: float | None = None
        for size in sizes:
            got = measure(kind, size)
            per_mb = got["seconds"] / got["mb"]
            first = first or per_mb
            label = f"long ×{size}" if kind == "long" else f"{size:,} lines"
            print(f"{label:>16} {got['mb']:8.2f} {got['seconds']:9.1f} {per_mb / first:14.2f} "
                  f"{got['rss'] / 2**20:8.0f} MiB {got['records']:8}", flush=True)


if __name__ == "__main__":
    main()
