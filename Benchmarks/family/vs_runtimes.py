#!/usr/bin/env python3
"""The Inception family side by side (issue 22): whole imported models with their own weights, ours
against onnxruntime and ncnn on the same weights and input.

For each model (family_check.MODELS: timm, torchvision, facenet-pytorch; randomly initialised with
batchnorm statistics randomised, seeded, so every engine gets the same weights):
  1. One torch module, exported to ONNX (`torch.onnx.export(dynamo=False)`, as family_check.py does)
     and, where pnnx converts it, to ncnn's .param/.bin (`pnnx.export`): one set of weights for all.
  2. Outputs on one seeded input: `inception-explorer run MODEL.onnx --input x.npy --save DIR` and
     ncnn against onnxruntime, max |y - ort| / max |ort| (ours must stay within 1e-4).
  3. Timing, alternating rounds: each round runs every engine at each thread count, the engines in a
     rotated order, each for the median of --runs passes (after warm-up passes); ours is
     `bench MODEL.onnx --json --threads T --iterations N --min-time 0 --no-peak` (auto algorithm
     choice, cached per machine). Reported per engine and thread count: the best of the rounds, and
     the ratios of the bests (ours / onnxruntime, ours / ncnn: below 1 means ours is faster).
  4. With --profile DIR, one `bench MODEL.onnx --profile` per model and thread count there: where our
     pass goes, op by op.

onnxruntime: intra-op threads T, inter-op 1, sequential, all graph optimisations. ncnn: its defaults
(Winograd and packing on; fp16 storage off so its error is comparable), T threads.

Needs /work/venv (torch, timm, onnx, onnxruntime 1.32, ncnn, pnnx; facenet-pytorch and pretrainedmodels
installed --no-deps) and a release build: swift build -c release --product inception-explorer
Usage: python3 Benchmarks/family/vs_runtimes.py [--model NAME]... [--threads 1,2] [--rounds 3] [--runs 10]
                                               [--out DIR] [--json FILE] [--markdown FILE] [--profile DIR]
Run it under `flock /work/bench.lock` on a shared machine, and say so beside the numbers.
"""
import argparse, datetime, json, os, subprocess, sys, warnings
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import family_check  # noqa: E402  (MODELS, randomize_bn, cpu_name: one definition of each model)
from engines import median_ms, ort_session, ours_ms  # noqa: E402  (how each engine is timed)

warnings.filterwarnings("ignore")
TOL = 1e-4


def build(name):
    import torch
    torch.manual_seed(0)
    _, make, chw = family_check.MODELS[name]
    m = make().eval()
    family_check.randomize_bn(m)
    return m, chw


def export_onnx(m, chw, path):
    import torch
    if not os.path.exists(path):
        torch.onnx.export(m, (torch.randn(1, *chw),), path, dynamo=False)


def export_ncnn(m, chw, work, name):
    """pnnx's .param/.bin of the module, or (None, the reason) when it does not convert."""
    import torch
    param = os.path.join(work, name + ".ncnn.param")
    binfile = os.path.join(work, name + ".ncnn.bin")
    if not (os.path.exists(param) and os.path.exists(binfile)):
        try:
            import pnnx
            pnnx.export(m, os.path.join(work, name + ".pt"), (torch.randn(1, *chw),))
        except Exception as e:  # pnnx refuses or crashes on the module
            return None, f"pnnx: {str(e).splitlines()[0] if str(e) else type(e).__name__}"
    if not (os.path.exists(param) and os.path.exists(binfile)):
        return None, "pnnx wrote no ncnn files"
    return (param, binfile), None


def ncnn_net(files, threads):
    import ncnn
    net = ncnn.Net()
    net.opt.num_threads = threads
    net.opt.use_fp16_storage = False
    net.opt.use_fp16_packed = False
    net.opt.use_fp16_arithmetic = False
    net.load_param(files[0])
    net.load_model(files[1])
    return net


def ncnn_run(net, x):
    import ncnn
    ex = net.create_extractor()
    ex.input("in0", ncnn.Mat(x[0]))
    _, y = ex.extract("out0")
    return np.array(y)


def rel(y, ref):
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    ref = np.asarray(ref, dtype=np.float64).reshape(-1)
    return float(np.abs(y - ref).max() / max(np.abs(ref).max(), 1e-300))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=family_check.BIN)
    ap.add_argument("--model", action="append", choices=list(family_check.MODELS))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out", default=os.path.join(family_check.ROOT, "bench-out", "family"))
    ap.add_argument("--no-ncnn", action="store_true")
    ap.add_argument("--json", help="write every round's times and the ratios here")
    ap.add_argument("--markdown", help="write the results table here")
    ap.add_argument("--profile", help="write `bench --profile` of each model and thread count into this directory")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    names = args.model or ["googlenet", "inception_v3", "inception_v4", "inception_resnet_v2", "legacy_xception",
                           "xception41"]
    os.makedirs(args.out, exist_ok=True)

    cases = []
    for name in names:
        m, chw = build(name)
        path = os.path.join(args.out, name + ".onnx")
        export_onnx(m, chw, path)
        ncnn_files, ncnn_note = (None, "not asked") if args.no_ncnn else export_ncnn(m, chw, args.out, name)
        x = np.random.default_rng(0).standard_normal((1,) + tuple(chw)).astype(np.float32)
        xin = os.path.join(args.out, name + ".x.npy")
        np.save(xin, x)
        sess = ort_session(path, 1)
        ref = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        del sess
        save = os.path.join(args.out, name + ".run")
        r = subprocess.run([args.bin, "run", path, "--input", xin, "--save", save], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{name}: ours refused: {r.stderr.strip().splitlines()[0] if r.stderr.strip() else r.returncode}")
            continue
        ours_err = rel(np.load(os.path.join(save, "output.npy")), ref)
        ncnn_err = None
        if ncnn_files:
            try:
                ncnn_err = rel(ncnn_run(ncnn_net(ncnn_files, 1), x), ref)
            except Exception as e:
                ncnn_files, ncnn_note = None, f"ncnn run: {e}"
        print(f"{name}: ours vs onnxruntime {ours_err:.1e}" + (" (over 1e-4!)" if ours_err > TOL else "")
              + (f"; ncnn vs onnxruntime {ncnn_err:.1e}" if ncnn_err is not None else f"; ncnn: {ncnn_note}"), flush=True)
        cases.append(dict(name=name, path=path, x=x, ncnn=ncnn_files, ncnn_note=ncnn_note, ours_err=ours_err,
                          ncnn_err=ncnn_err, times={}))

    engines = ["ort", "ncnn", "ours"]
    for rnd in range(args.rounds):
        for case in cases:
            for t in threads:
                order = engines[rnd % 3:] + engines[:rnd % 3]
                for e in order:
                    if e == "ort":
                        sess = ort_session(case["path"], t)
                        feed = {sess.get_inputs()[0].name: case["x"]}
                        ms = median_ms(lambda: sess.run(None, feed), args.runs)
                        del sess
                    elif e == "ncnn":
                        if not case["ncnn"]:
                            continue
                        net = ncnn_net(case["ncnn"], t)
                        ms = median_ms(lambda: ncnn_run(net, case["x"]), args.runs)
                        del net
                    else:
                        ms = ours_ms(args.bin, case["path"], t, args.runs)
                    case["times"].setdefault(f"{e}@{t}", []).append(ms)
                line = "  ".join(f"{e} {case['times'][f'{e}@{t}'][-1]:.1f}" for e in engines if f"{e}@{t}" in case["times"])
                print(f"round {rnd + 1} {case['name']} {t}T: {line} ms", flush=True)

    rows = []
    for case in cases:
        for t in threads:
            best = {e: min(case["times"][f"{e}@{t}"]) for e in engines if f"{e}@{t}" in case["times"]}
            row = dict(model=case["name"], threads=t, best_ms=best, ours_err=case["ours_err"], ncnn_err=case["ncnn_err"],
                       ncnn_note=case["ncnn_note"], ours_over_ort=best["ours"] / best["ort"],
                       ours_over_ncnn=best["ours"] / best["ncnn"] if "ncnn" in best else None)
            rows.append(row)
            print(f"{case['name']} {t}T: ours {best['ours']:.1f} ms, onnxruntime {best['ort']:.1f} ms"
                  + (f", ncnn {best['ncnn']:.1f} ms" if "ncnn" in best else "")
                  + f"; ours/ort {row['ours_over_ort']:.2f}"
                  + (f", ours/ncnn {row['ours_over_ncnn']:.2f}" if row["ours_over_ncnn"] else ""))
    meta = dict(cpu=family_check.cpu_name(), date=str(datetime.date.today()), rounds=args.rounds, runs=args.runs,
                command=" ".join(sys.argv))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(meta=meta, rows=rows, times={c["name"]: c["times"] for c in cases}), f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"Machine: {meta['cpu']}; {meta['date']}; best of {args.rounds} alternating rounds, each the median "
                    f"of {args.runs} passes; `{meta['command']}`\n\n")
            f.write("| model | threads | ours ms | onnxruntime ms | ncnn ms | ours / onnxruntime | ours / ncnn | "
                    "ours vs ort error | ncnn vs ort error |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
            for r in rows:
                b = r["best_ms"]
                f.write(f"| {r['model']} | {r['threads']} | {b['ours']:.1f} | {b['ort']:.1f} | "
                        f"{('%.1f' % b['ncnn']) if 'ncnn' in b else '-'} | {r['ours_over_ort']:.2f} | "
                        f"{('%.2f' % r['ours_over_ncnn']) if r['ours_over_ncnn'] else '-'} | {r['ours_err']:.1e} | "
                        f"{('%.1e' % r['ncnn_err']) if r['ncnn_err'] is not None else (r['ncnn_note'] or '-')} |\n")
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
        for case in cases:
            for t in threads:
                out = subprocess.run([args.bin, "bench", case["path"], "--profile", "--threads", str(t), "--no-peak",
                                      "--iterations", str(args.runs), "--min-time", "0"],
                                     capture_output=True, text=True).stdout
                with open(os.path.join(args.profile, f"{case['name']}.{t}T.txt"), "w") as f:
                    f.write(out)


if __name__ == "__main__":
    main()
