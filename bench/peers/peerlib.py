"""Shared harness of the peer programs: mirrors the JMH cases of a result file, times a peer JMH-like and writes
its results in JMH's JSON record format, so that io.isotropic.bench.report reads them beside the backends.

A peer program (numpy_peers.py, torch_peers.py) is run as

    python3 PEER.py --jmh bench/results/quick-....json --out bench/results/quick-....peer-NAME.json --threads N

It times every case of the JMH file that it knows how to do (same benchmark, sizes, dtype and thread count),
with JMH's warm-up and measurement settings of that case, after checking its own result once (as the
benchmarks' @Setup checks do): a wrong result raises and the peer writes no number.
"""

import json
import math
import os
import platform
import statistics
import sys
import time

# two-sided 99.9% Student t quantiles (JMH reports the half-width of the 99.9% confidence interval)
_T9995 = {1: 636.62, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781,
          10: 4.587, 11: 4.437, 12: 4.318, 13: 4.221, 14: 4.140, 15: 4.073, 20: 3.850, 25: 3.725, 30: 3.646}


def t_quantile(df):
    """The 99.9% two-sided Student t quantile for df degrees of freedom (tabulated, conservative between)."""
    for d in sorted(_T9995):
        if df <= d:
            return _T9995[d]
    return 3.291


def seconds(text):
    """Parses a JMH time such as '1 s', '600 ms', '100 ms'."""
    value, unit = text.split()
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0}[unit]
    return float(value) * scale


class CheckFailed(AssertionError):
    """A peer's own result is wrong: no number may be reported for it."""


def require(ok, message):
    """Raises CheckFailed with the message unless ok."""
    if not ok:
        raise CheckFailed("peer check failed: " + message)


def measure(op, fresh=None, warmup_iterations=0, warmup_time=0.0, iterations=1, iteration_time=0.1):
    """JMH-like average time of op() in seconds: warm-up iterations, then measurement iterations of
    iteration_time each, every call timed alone; fresh() (not timed) prepares each call when given, as JMH's
    @Setup(Level.Invocation). Returns (mean of the iteration means, 99.9% half-width or NaN, iteration means)."""
    def iteration(duration):
        start = time.perf_counter()
        spent = 0.0
        calls = 0
        while calls == 0 or time.perf_counter() - start < duration:
            arg = fresh() if fresh is not None else None
            t0 = time.perf_counter()
            op(arg) if fresh is not None else op()
            spent += time.perf_counter() - t0
            calls += 1
        return spent / calls
    for _ in range(warmup_iterations):
        iteration(warmup_time)
    means = [iteration(iteration_time) for _ in range(max(1, iterations))]
    score = statistics.fmean(means)
    error = float("nan")
    if len(means) > 1:
        error = t_quantile(len(means) - 1) * statistics.stdev(means) / math.sqrt(len(means))
    return score, error, means


def loaded_blas():
    """The BLAS and LAPACK shared objects mapped into this process (after a product and an SVD have run)."""
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if any(k in name for k in ("blas", "lapack", "mkl", "blis")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def reference_blas(libs):
    """True if the mapped BLAS is Debian's reference (Netlib) BLAS rather than an optimised one."""
    return any("/blas/libblas" in l or "/lapack/liblapack" in l for l in libs) and not any(
        "openblas" in l or "mkl" in l or "blis" in l for l in libs)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


class Run:
    """The JMH cases a peer mirrors and the records it writes."""

    def __init__(self, name, argv):
        import argparse
        p = argparse.ArgumentParser(description="a peer of the JMH benchmarks: " + name)
        p.add_argument("--jmh", required=True, help="JMH JSON result file whose cases to mirror")
        p.add_argument("--out", required=True, help="peer JSON to write")
        p.add_argument("--threads", type=int, required=True, help="threads of the run (isotropic.threads)")
        p.add_argument("--only-threads", type=int, default=None, help=argparse.SUPPRESS)
        self.args = p.parse_args(argv)
        if self.args.threads < 1:
            raise SystemExit(name + ": --threads must be >= 1, got %d" % self.args.threads)
        with open(self.args.jmh) as f:
            self.jmh = json.load(f)
        if not isinstance(self.jmh, list):
            raise SystemExit(name + ": " + self.args.jmh + " is not a JMH JSON result array")
        self.name = name
        self.records = []
        self.checks = []

    def cases(self, benchmarks):
        """The distinct (benchmark, params without backend, settings) of the JMH file among benchmarks."""
        seen = set()
        for r in self.jmh:
            if r.get("benchmark") not in benchmarks:
                continue
            params = {k: v for k, v in r.get("params", {}).items() if k != "backend"}
            key = (r["benchmark"], tuple(sorted(params.items())))
            if key in seen:
                continue
            seen.add(key)
            yield r["benchmark"], params, r

    def threads_of(self, params):
        """Threads of a case: its 'threads' parameter (0 = the run's), else the run's."""
        t = int(params.get("threads", "0"))
        return t if t > 0 else self.args.threads

    def record(self, benchmark, params, settings, score, error, means, backend):
        unit_scale = 1e6  # us/op
        self.records.append({
            "jmhVersion": "peer", "benchmark": benchmark, "mode": "avgt", "threads": 1,
            "forks": settings.get("forks", 1), "jvm": sys.executable, "jvmArgs": [],
            "jdkVersion": "python " + platform.python_version(), "vmName": "CPython",
            "vmVersion": platform.python_version(),
            "warmupIterations": settings.get("warmupIterations", 0),
            "warmupTime": settings.get("warmupTime", "0 s"),
            "measurementIterations": settings.get("measurementIterations", 1),
            "measurementTime": settings.get("measurementTime", "100 ms"),
            "params": dict(params, backend=backend),
            "primaryMetric": {"score": score * unit_scale,
                              "scoreError": "NaN" if math.isnan(error) else error * unit_scale,
                              "scoreUnit": "us/op", "rawData": [[m * unit_scale for m in means]]},
            "secondaryMetrics": {}})

    def time_case(self, benchmark, params, settings, backend, op, fresh=None):
        score, error, means = measure(op, fresh, settings.get("warmupIterations", 0),
                                      seconds(settings.get("warmupTime", "0 s")),
                                      settings.get("measurementIterations", 1),
                                      seconds(settings.get("measurementTime", "100 ms")))
        self.record(benchmark, params, settings, score, error, means, backend)
        print("%s: %s %s %.4g ms" % (self.name, benchmark.rsplit(".", 2)[-2] + "." + benchmark.rsplit(".", 1)[-1],
                                    params, score * 1e3), file=sys.stderr)

    def write(self, info):
        info = dict(info, cpu=cpu_model(), threads=self.args.threads, python=sys.executable + " "
                    + platform.python_version(), checks=self.checks)
        with open(self.args.out, "w") as f:
            json.dump({"peer": info, "results": self.records}, f, indent=1)


def skipped(out, name, label, reason):
    """Writes a peer file that says the peer was skipped and why (the report prints the reason)."""
    with open(out, "w") as f:
        json.dump({"peer": {"name": name, "label": label, "skipped": reason}, "results": []}, f, indent=1)
