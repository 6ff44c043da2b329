#!/usr/bin/env python3
"""Three engines side by side: ours, onnxruntime and ncnn on the same inception-layout/1 nodes
(blocks or whole networks), the same weights and input, every output checked against a float64
reference, then timed in alternating rounds at 1 and 2 threads.

For each case:
  1. `inception-explorer run LAYOUT --block PATH --save DIR --algo ALGO` writes input.npy,
     output.npy and every conv/linear weight (batchnorm folded in), named by node path.
  2. The same node becomes an ONNX graph (`vs_onnxruntime.build_model`) and an ncnn .param/.bin
     written here from the layout JSON (Convolution with fused ReLU, Pooling with pad_mode 0 = ceil /
     1 = floor, LRN, Concat, Split where a blob feeds several layers, InnerProduct, Softmax), and a
     float64 reference runs in torch (`torch.nn.functional`, double precision).
  3. Each engine's output against the float64 reference: max |y - ref| / max |ref| (ours must stay
     within 1e-4). ncnn runs with its defaults (Winograd on, fp16 storage where the CPU allows).
  4. Rounds alternate ORT, ncnn and our `bench --json --threads T --algo ALGO` at each T, so all see
     the same machine load; each round is the median of --runs passes per engine. Reported per
     engine: the median over rounds and the best round, ratios of medians (ours/ORT, ours/ncnn:
     below 1 means ours is faster), and the median of the per-round ratios (r/ORT, r/ncnn): on a
     host whose speed swings from minute to minute, engines timed seconds apart in one round see
     closer conditions than the medians of separate engines do.

Cases "googlenet-nolrn:" are GoogLeNet with its two LRN layers removed (ORT's LRN is slow and
torchvision's GoogLeNet has none); 5x5 convs stay 5x5 ("true 5x5").

Needs /work/venv-style Python with numpy, onnx, onnxruntime, torch, ncnn; a release build:
  swift build -c release --product inception-explorer
Usage: python3 Benchmarks/vs_ort_ncnn.py [--rounds 5] [--runs 50] [--threads 1,2] [--algo auto]
                                        [--only inception_3a] [--case LAYOUT:PATH]
                                        [--choices FILE] [--rounds-json FILE]
Run it under `flock /work/bench.lock` on a shared machine.
"""
import argparse, json, os, platform, statistics, struct, subprocess, sys, tempfile, time
import numpy as np
import ncnn
import onnxruntime as ort
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vs_onnxruntime import ROOT, build_model, layout_json, pair, resolve, session, ort_median  # noqa: E402

DEFAULT_CASES = [
    ("builtin:googlenet", "inception_3a"), ("builtin:googlenet", "inception_4e"), ("builtin:googlenet", "inception_5b"),
    ("builtin:inception-v3", "Mixed_5b"), ("builtin:inception-v3", "Mixed_6b"), ("builtin:inception-v3", "Mixed_7b"),
    ("googlenet-nolrn", ""), ("builtin:inception-v3", ""),
]


def conv_geometry(layer):
    kh, kw = pair(layer["kernel"], 1)
    sh, sw = pair(layer.get("stride"), 1)
    pad = layer.get("pad", 0)
    ph, pw = ((kh - 1) // 2, (kw - 1) // 2) if pad == "same" else pair(pad, 0)
    return kh, kw, sh, sw, ph, pw


def load(dir, path, kind):
    f = os.path.join(dir, path.replace("/", ".") + f".{kind}.npy")
    return np.load(f) if os.path.exists(f) else None


class Float64Reference:
    """The node in torch, float64, from the layout JSON and the saved weights."""

    def __init__(self, weights_dir):
        self.dir = weights_dir

    def layers(self, layers, prefix, x):
        for i, layer in enumerate(layers):
            name = layer.get("name", str(i))
            x = self.layer(layer, f"{prefix}/{name}" if prefix else name, x)
        return x

    def layer(self, layer, path, x):
        op = layer["op"]
        if op == "conv":
            kh, kw, sh, sw, ph, pw = conv_geometry(layer)
            w = torch.from_numpy(load(self.dir, path, "weight").astype(np.float64))
            b = load(self.dir, path, "bias")
            y = F.conv2d(x, w, None if b is None else torch.from_numpy(b.astype(np.float64)), (sh, sw), (ph, pw))
            return F.relu(y) if layer.get("activation", "relu") == "relu" else y
        if op in ("maxpool", "avgpool"):
            k = pair(layer["kernel"], 1)
            s = pair(layer.get("stride"), layer["kernel"])
            p = pair(layer.get("pad"), 0)
            ceil = layer.get("ceil", False)
            if op == "maxpool":
                return F.max_pool2d(x, k, s, p, ceil_mode=ceil)
            return F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=layer.get("count_pad", True))
        if op == "globalavgpool":
            return x.mean(dim=(2, 3), keepdim=True)
        if op == "lrn":
            return F.local_response_norm(x, layer.get("size", 5), layer.get("alpha", 1e-4), layer.get("beta", 0.75),
                                         layer.get("k", 1.0))
        if op == "linear":
            w = torch.from_numpy(load(self.dir, path, "weight").astype(np.float64))
            b = load(self.dir, path, "bias")
            y = F.linear(x.flatten(1), w, None if b is None else torch.from_numpy(b.astype(np.float64)))
            return F.relu(y) if layer.get("activation", "none") == "relu" else y
        if op == "softmax":
            return torch.softmax(x.flatten(1), dim=1).reshape(x.shape)
        if op in ("dropout", "aux"):
            return x
        if op == "inception":
            return torch.cat([self.layers(b["layers"], f"{path}/{b.get('name', str(j))}", x)
                              for j, b in enumerate(layer["branches"])], dim=1)
        raise SystemExit(f"{path}: unknown op {op}")


class NcnnBuilder:
    """ncnn .param lines and .bin bytes for a list of layout layers (Split inserted afterwards)."""

    def __init__(self, weights_dir):
        self.dir = weights_dir
        self.layers_out = []  # (type, name, inputs, outputs, params)
        self.bin = bytearray()
        self.count = 0

    def fresh(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def add(self, kind, inputs, params):
        name = self.fresh(kind.lower())
        self.layers_out.append((kind, name, list(inputs), [name], params))
        return name

    def data(self, array, tagged):
        if tagged:
            self.bin += struct.pack("<I", 0)  # raw float32
        self.bin += np.ascontiguousarray(array, dtype="<f4").tobytes()

    def layers(self, layers, prefix, x, flat=False):
        for i, layer in enumerate(layers):
            name = layer.get("name", str(i))
            x, flat = self.layer(layer, f"{prefix}/{name}" if prefix else name, x, flat)
        return x, flat

    def layer(self, layer, path, x, flat):
        op = layer["op"]
        if op == "conv":
            kh, kw, sh, sw, ph, pw = conv_geometry(layer)
            w = load(self.dir, path, "weight")
            b = load(self.dir, path, "bias")
            relu = 1 if layer.get("activation", "relu") == "relu" else 0
            params = f"0={w.shape[0]} 1={kw} 11={kh} 3={sw} 13={sh} 4={pw} 14={ph} 15={pw} 16={ph} " \
                     f"5={0 if b is None else 1} 6={w.size} 9={relu}"
            self.data(w, True)
            if b is not None:
                self.data(b, False)
            return self.add("Convolution", [x], params), False
        if op in ("maxpool", "avgpool"):
            kh, kw = pair(layer["kernel"], 1)
            sh, sw = pair(layer.get("stride"), layer["kernel"])
            ph, pw = pair(layer.get("pad"), 0)
            mode = 0 if layer.get("ceil", False) else 1
            params = f"0={0 if op == 'maxpool' else 1} 1={kw} 11={kh} 2={sw} 12={sh} 3={pw} 13={ph} 14={pw} 15={ph} 5={mode}"
            if op == "avgpool":
                params += f" 6={1 if layer.get('count_pad', True) else 0}"
            return self.add("Pooling", [x], params), False
        if op == "globalavgpool":
            return self.add("Pooling", [x], "0=1 4=1"), True
        if op == "lrn":
            return self.add("LRN", [x], f"0=0 1={layer.get('size', 5)} 2={layer.get('alpha', 1e-4)} "
                                        f"3={layer.get('beta', 0.75)} 4={layer.get('k', 1.0)}"), flat
        if op == "linear":
            w = load(self.dir, path, "weight")
            b = load(self.dir, path, "bias")
            relu = 1 if layer.get("activation", "none") == "relu" else 0
            self.data(w, True)
            if b is not None:
                self.data(b, False)
            return self.add("InnerProduct", [x], f"0={w.shape[0]} 1={0 if b is None else 1} 2={w.size} 9={relu}"), True
        if op == "softmax":
            if not flat:
                x = self.add("Flatten", [x], "")
            return self.add("Softmax", [x], "0=0 1=1"), True
        if op in ("dropout", "aux"):
            return x, flat
        if op == "inception":
            outs = [self.layers(b["layers"], f"{path}/{b.get('name', str(j))}", x)[0]
                    for j, b in enumerate(layer["branches"])]
            return self.add("Concat", outs, "0=0"), False
        raise SystemExit(f"{path}: unknown op {op}")

    def param_text(self, input_shape):
        c, h, w = input_shape
        layers = [("Input", "in0", [], ["in0"], f"0={w} 1={h} 2={c}")] + self.layers_out
        consumers = {}
        for _, _, ins, _, _ in layers:
            for b in ins:
                consumers[b] = consumers.get(b, 0) + 1
        out, seen = [], {}
        for kind, name, ins, outs, params in layers:
            renamed = []
            for b in ins:
                if consumers[b] > 1:
                    seen[b] = seen.get(b, 0) + 1
                    renamed.append(f"{b}_s{seen[b] - 1}")
                else:
                    renamed.append(b)
            out.append((kind, name, renamed, outs, params))
            for b in outs:
                if consumers.get(b, 0) > 1:
                    out.append(("Split", f"split_{b}", [b], [f"{b}_s{i}" for i in range(consumers[b])], ""))
        blobs = sum(len(o[3]) for o in out)
        lines = ["7767517", f"{len(out)} {blobs}"]
        for kind, name, ins, outs, params in out:
            lines.append(f"{kind:16} {name:24} {len(ins)} {len(outs)} {' '.join(ins + outs)} {params}".rstrip())
        return "\n".join(lines) + "\n"


def ncnn_net(param, binfile, threads):
    net = ncnn.Net()
    net.opt.num_threads = threads
    net.load_param(param)
    net.load_model(binfile)
    return net


def ncnn_run(net, x, out_name, threads):
    ex = net.create_extractor()  # threads: net.opt.num_threads
    ex.input("in0", ncnn.Mat(x))
    _, y = ex.extract(out_name)
    return y


def ncnn_median(net, x, out_name, threads, runs):
    for _ in range(max(3, runs // 10)):
        ncnn_run(net, x, out_name, threads)
    t = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        ncnn_run(net, x, out_name, threads)
        t.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(t)


def ours_bench(binary, layout, path, threads, runs, algo):
    cmd = [binary, "bench", layout, "--json", "--threads", str(threads), "--iterations", str(runs), "--min-time", "0",
           "--warmup", str(max(3, runs // 10)), "--no-peak", "--algo", algo]
    if path:
        cmd += ["--block", path]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[0])


def rel_err(y, ref):
    y = np.asarray(y, dtype=np.float64).reshape(ref.shape)
    return float(np.abs(y - ref).max() / max(np.abs(ref).max(), 1e-300))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/inception-explorer"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--algo", default="auto")
    ap.add_argument("--only", help="run only cases whose label contains this")
    ap.add_argument("--case", action="append", help="LAYOUT:PATH (repeatable; replaces the defaults)")
    ap.add_argument("--choices", help="write each case's per-layer algorithm choices (our bench JSON) to this file")
    ap.add_argument("--rounds-json", help="write every round's median ms per case, thread count and engine to this "
                                          "file (to tell a slow round of one engine from a slow machine)")
    args = ap.parse_args()
    cases = [tuple(c.rsplit(":", 1)) for c in args.case] if args.case else DEFAULT_CASES
    threads = [int(t) for t in args.threads.split(",")]
    torch.set_num_threads(1)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs; onnxruntime {ort.__version__}, ncnn {ncnn.__version__}, torch {torch.__version__}; "
          f"ours --algo {args.algo}; batch 1; {args.rounds} alternating rounds, each the median of {args.runs} runs")
    print("errors: max |y - ref| / max |ref| against a float64 torch reference")
    header = (f"{'case':26} {'T':>1} {'ORT ms':>8} {'ncnn ms':>8} {'ours ms':>8} {'/ORT':>5} {'/ncnn':>5} {'r/ORT':>5} {'r/ncnn':>6}  "
              f"{'best: ORT':>9} {'ncnn':>7} {'ours':>7}  {'err ORT':>7} {'ncnn':>7} {'ours':>7}")
    print(header)
    print("-" * len(header))
    sys.stdout.flush()
    choices, rounds = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        for layout, path in cases:
            label = layout.replace("builtin:", "") + ":" + (path or "(network)")
            if args.only and args.only not in label:
                continue
            if layout == "googlenet-nolrn":
                doc = layout_json("builtin:googlenet")
                doc["layers"] = [l for l in doc["layers"] if l["op"] != "lrn"]
                doc["name"] = doc.get("name", "googlenet") + " (no LRN)"
                layout = os.path.join(scratch, "googlenet-nolrn.json")
                with open(layout, "w") as f:
                    json.dump(doc, f)
            else:
                doc = layout_json(layout)
            with tempfile.TemporaryDirectory() as work:
                subprocess.run([args.bin, "run", layout] + (["--block", path] if path else [])
                               + ["--save", work, "--seed", "0", "--algo", args.algo],
                               check=True, capture_output=True, text=True)
                x = np.load(os.path.join(work, "input.npy"))
                ours_out = np.load(os.path.join(work, "output.npy"))
                layers, prefix = resolve(doc, path)
                with torch.no_grad():
                    ref = Float64Reference(work).layers(layers, prefix, torch.from_numpy(x.astype(np.float64))).numpy()
                blob = build_model(doc, path, work, x.shape)
                feed = {"x": x}
                nb = NcnnBuilder(work)
                out_name, _ = nb.layers(layers, prefix, "in0")
                param, binfile = os.path.join(work, "net.param"), os.path.join(work, "net.bin")
                with open(param, "w") as f:
                    f.write(nb.param_text(x.shape[1:]))
                with open(binfile, "wb") as f:
                    f.write(nb.bin)
                x3 = np.ascontiguousarray(x[0])
                nets = {t: ncnn_net(param, binfile, t) for t in threads}
                sessions = {t: session(blob, t) for t in threads}
                err_ort = rel_err(sessions[threads[0]].run(None, feed)[0], ref)
                err_ncnn = rel_err(np.array(ncnn_run(nets[threads[0]], x3, out_name, threads[0])), ref)
                err_ours = rel_err(ours_out, ref)
                o = {t: [] for t in threads}
                n = {t: [] for t in threads}
                us = {t: [] for t in threads}
                for _ in range(args.rounds):
                    for t in threads:
                        o[t].append(ort_median(sessions[t], feed, args.runs))
                        n[t].append(ncnn_median(nets[t], x3, out_name, t, args.runs))
                        r = ours_bench(args.bin, layout, path, t, args.runs, args.algo)
                        us[t].append(r["median_ms"])
                        choices[f"{label} T{t}"] = r["algorithms"]
                for t in threads:
                    rounds[f"{label} T{t}"] = {"ort": o[t], "ncnn": n[t], "ours": us[t]}
                    mo, mn, mu = (statistics.median(v[t]) for v in (o, n, us))
                    ro = statistics.median(u / v for u, v in zip(us[t], o[t]))
                    rn = statistics.median(u / v for u, v in zip(us[t], n[t]))
                    print(f"{label:26} {t:>1} {mo:8.3f} {mn:8.3f} {mu:8.3f} {mu / mo:5.2f} {mu / mn:5.2f} {ro:5.2f} {rn:6.2f}  "
                          f"{min(o[t]):9.3f} {min(n[t]):7.3f} {min(us[t]):7.3f}  "
                          f"{err_ort:7.1e} {err_ncnn:7.1e} {err_ours:7.1e}")
                    sys.stdout.flush()
                if err_ours > 1e-4:
                    print(f"{label}: ours is off the float64 reference by {err_ours:.2e} > 1e-4")
    if args.choices:
        with open(args.choices, "w") as f:
            json.dump(choices, f, indent=1)
    if args.rounds_json:
        with open(args.rounds_json, "w") as f:
            json.dump(rounds, f, indent=1)


if __name__ == "__main__":
    main()
