#!/usr/bin/env python3
"""The per-layer conv algorithm choices of `--algo auto` as a markdown table: for every conv with a
Winograd candidate, each candidate's median ms (timed at plan time, alternating rounds) and its
measured error against the direct conv (max |d| / max |y|, bound 1e-5), and the winner. A close
call (candidates within 50% alone) was decided inside whole passes: "alone / **in pass**" ms, and
"(in pass)" beside the winner.

Plans with a fresh algorithm cache (a temporary XDG_CACHE_HOME), so every candidate is timed.
Usage: python3 Benchmarks/algorithm_choices.py LAYOUT [--threads 1] [--bin .build/release/inception-explorer]
Run it under `flock /work/bench.lock` on a shared machine (release build).
"""
import argparse, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("layout")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/inception-explorer"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, XDG_CACHE_HOME=cache)
        out = subprocess.run([args.bin, "bench", args.layout, "--json", "--no-peak", "--iterations", "1", "--min-time", "0",
                              "--threads", str(args.threads), "--algo", "auto"],
                             capture_output=True, text=True, check=True, env=env).stdout
    r = json.loads(out.splitlines()[0])
    names = ["direct", "winograd F(2,3)", "winograd F(4,3)", "winograd F(6,3)", "winograd F(2,5)", "winograd F(4,5)",
             "winograd F(2,7)", "winograd F(4,7)"]
    seen = [n for n in names if any(c["algorithm"] == n for a in r["algorithms"] for c in a.get("candidates", []))]
    short = lambda n: n.replace("winograd ", "")
    print(f"| layer | chosen | " + " | ".join(f"{short(n)} ms (err)" for n in seen) + " |")
    print("|---|---|" + "---:|" * len(seen))
    counts = {}
    for a in r["algorithms"]:
        counts[a["algorithm"]] = counts.get(a["algorithm"], 0) + 1
        cands = {c["algorithm"]: c for c in a.get("candidates", [])}
        if not cands:
            continue
        cells = []
        for n in seen:
            c = cands.get(n)
            if c is None:
                cells.append("-")
            else:
                ms = f"{c['ms']:.3f}" if "ms" in c else ("over bound" if not c["keeps_bound"] else "-")
                if "pass_ms" in c:
                    ms += f" / **{c['pass_ms']:.3f}**"
                cells.append(ms + ("" if n == "direct" else f" ({c['error']:.1e})"))
        chosen = short(a["algorithm"]) + (" (cached: a conv above has this shape)" if a.get("cached") else "") \
            + (" (in pass)" if a.get("decided_in_pass") else "")
        print(f"| {a['path']} | {chosen} | " + " | ".join(cells) + " |")
    print()
    print(f"{args.layout}, {args.threads} thread(s): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    sys.exit(main())
