"""How the family benchmarks run each engine, in one place, so every script times them alike.

- `ort_session`: onnxruntime with intra-op threads T, inter-op 1, sequential execution and all
  graph optimisations (its NCHWc convs with fused activations and sums, as a real session runs);
  `profile_prefix` turns its node profiler on.
- `median_ms`: warm-up calls (a fifth of the runs, at least 2), then the median of `runs` timed calls.
- `ours_ms`: our `bench --json` median with the same warm-up and pass count (`--min-time 0`, no
  peak measurement).
"""
import json, statistics, subprocess, time


def warmup_runs(runs):
    return max(2, runs // 5)


def ort_session(path, threads, profile_prefix=None):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if profile_prefix:
        so.enable_profiling = True
        so.profile_file_prefix = profile_prefix
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def median_ms(fn, runs):
    for _ in range(warmup_runs(runs)):
        fn()
    t = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        fn()
        t.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(t)


def ours_ms(binary, path, threads, runs):
    cmd = [binary, "bench", path, "--json", "--threads", str(threads), "--iterations", str(runs), "--min-time", "0",
           "--warmup", str(warmup_runs(runs)), "--no-peak"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[0])["median_ms"]
