"""Where extraction stands: every hand-annotated set scored in one table.

    .venv/bin/python benchmarks/score.py            # the table (make score)
    .venv/bin/python benchmarks/score.py --errors   # and each set's errors, to stderr

Sets in ../shared (the seeds and the real development set, read from files and
as a feed) are scored when ../shared is beside the repository and skipped
otherwise; the samples and dev2 are ours. The scorer is ../shared/gold/score.py,
run on `thongke extract` output exactly as the README shows.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "gold" / "score.py"
SETS = (  # name, gold, what `thongke extract` reads
    ("seeds", SHARED / "gold" / "seeds.jsonl", SHARED / "seeds"),
    ("real (files)", SHARED / "real" / "gold.jsonl", SHARED / "real" / "articles"),
    ("real (feed)", SHARED / "real" / "gold.jsonl", SHARED / "real" / "articles.jsonl"),
    ("samples", ROOT / "tests" / "fixtures" / "samples_gold.jsonl", ROOT / "corpus" / "samples"),
    ("dev2", ROOT / "tests" / "fixtures" / "dev2_gold.jsonl", ROOT / "tests" / "fixtures" / "dev2"),
)
ATTRIBUTES = ("measure", "qualifier", "target", "province", "level", "period")


def score(gold: Path, source: Path, errors: bool) -> dict:
    thongke = Path(sys.executable).parent / "thongke"
    extracted = subprocess.run([str(thongke), "extract", str(source), "--format", "jsonl"],
                               capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as pred:
        pred.write(extracted)
        pred.flush()
        args = [sys.executable, str(SCORER), str(gold), pred.name, "--json"] + (["--show-errors"] if errors else [])
        lines = subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()
    if errors:
        print("\n".join(lines[:-1]), file=sys.stderr)
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print each set's errors to stderr")
    args = parser.parse_args()
    if not SCORER.is_file():
        sys.exit(f"make score: {SCORER} is missing (the scorer lives in ../shared beside the repository)")
    header = ["set", "records", "P", "R", "F1", "strict-F1", *ATTRIBUTES]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, gold, source in SETS:
        if not gold.is_file() or not source.exists():
            print(f"| {name} | (not here) |" + " |" * (len(header) - 2))
            continue
        if args.errors:
            print(f"\n## {name}", file=sys.stderr)
        result = score(gold, source, args.errors)
        accuracy = [f"{v:.3f}" if v is not None else "–" for v in (result["accuracy"][a] for a in ATTRIBUTES)]
        cells = [name, str(result["gold"]), *(f"{result[k]:.3f}" for k in ("precision", "recall", "f1", "strict_f1")), *accuracy]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
