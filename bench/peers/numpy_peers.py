"""LAPACK/OpenBLAS through NumPy as the peer of the kernel benchmarks: GemmBenchmark.gemm (C = A B, numpy.matmul,
i.e. BLAS ?gemm), SvdBenchmark.svd (numpy.linalg.svd(full_matrices=True), LAPACK ?gesdd with square factors) and
SvdBenchmark.singularValues (numpy.linalg.svd(compute_uv=False), ?gesdd without vectors), at the sizes, dtypes and
thread counts of the JMH run (OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set per case before NumPy is loaded, so
each thread count runs in its own process). Each case checks its result first, with the tolerances of the
benchmarks' checks. Usage: see peerlib.py.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

NAME = "numpy"
GEMM = "io.isotropic.bench.GemmBenchmark.gemm"
SVD = "io.isotropic.bench.SvdBenchmark.svd"
VALUES = "io.isotropic.bench.SvdBenchmark.singularValues"


def gamma(k, u):
    return k * u / (1 - k * u)


def check_gemm(np, a, b, c, dtype):
    """c = a b within 2 gamma_(k+2) |A||B| (K01), checked on 16 spread rows against extended precision."""
    n, k = a.shape
    rows = sorted(set(int(r * (n - 1) / 15) for r in range(16))) if n > 16 else list(range(n))
    hi = np.longdouble
    ref = a[rows].astype(hi) @ b.astype(hi)
    mag = np.abs(a[rows]).astype(hi) @ np.abs(b).astype(hi)
    u = np.finfo(dtype).eps / 2
    err = np.abs(c[rows].astype(hi) - ref)
    bound = 2 * gamma(k + 2, u) * mag
    worst = int(np.argmax(err - bound))
    peerlib.require(bool(np.all(err <= bound)), "gemm %s n=%d: element %s off by %g > %g" % (
        dtype.__name__, n, np.unravel_index(worst, err.shape), float(err.flat[worst]), float(bound.flat[worst])))


def check_svd(np, a, u_, s, vt, dtype):
    """LAPACK's bounds: |A - U S V^T|_F <= 30 max(m, n) eps |A|_F, |Q^T Q - I|_max <= 30 n eps, ordering."""
    m, n = a.shape
    eps = np.finfo(dtype).eps
    a64, u64, s64, v64 = (x.astype(np.float64) for x in (a, u_, s, vt))
    norm = np.linalg.norm(a64)
    res = np.linalg.norm(a64 - (u64[:, :len(s)] * s64) @ v64[:len(s)])
    peerlib.require(res <= 30 * max(m, n) * eps * norm, "svd %s %dx%d residual %g" % (dtype.__name__, m, n, res))
    for q, name in ((u64, "U"), (v64, "V")):
        orth = np.max(np.abs(q.T @ q - np.eye(q.shape[0])))
        peerlib.require(orth <= 30 * q.shape[0] * eps, "svd %s: %s orthogonality %g" % (dtype.__name__, name, orth))
    peerlib.require(bool(np.all(s64[:-1] >= s64[1:]) and s64[-1] >= 0), "svd: values not ordered")


def worker(run, threads):
    import numpy as np
    records = []
    for bench, params, settings in run.cases((GEMM, SVD, VALUES)):
        if run.threads_of(params) != threads:
            continue
        n = int(params["n"])
        dtype = {"F64": np.float64, "F32": np.float32}[params["dtype"]]
        if bench == GEMM:
            a = np.random.default_rng(11).standard_normal((n, n)).astype(dtype)
            b = np.random.default_rng(12).standard_normal((n, n)).astype(dtype)
            c = np.empty((n, n), dtype)
            np.matmul(a, b, out=c)
            check_gemm(np, a, b, c, dtype)
            run.time_case(bench, params, settings, NAME, lambda: np.matmul(a, b, out=c))
        else:
            a = np.random.default_rng(41).standard_normal((n, n)).astype(dtype)
            u_, s, vt = np.linalg.svd(a, full_matrices=True)
            check_svd(np, a, u_, s, vt, dtype)
            if bench == SVD:
                run.time_case(bench, params, settings, NAME, lambda: np.linalg.svd(a, full_matrices=True))
            else:
                only = np.linalg.svd(a, compute_uv=False)
                weyl = 30 * n * np.finfo(dtype).eps * np.linalg.norm(a.astype(np.float64))
                peerlib.require(float(np.max(np.abs(only.astype(np.float64) - s.astype(np.float64)))) <= 2 * weyl,
                                "singular values alone differ from the full SVD's by more than twice the Weyl bound")
                run.time_case(bench, params, settings, NAME, lambda: np.linalg.svd(a, compute_uv=False))
        run.checks.append("%s n=%s %s threads=%d" % (bench.rsplit(".", 1)[-1], n, params["dtype"], threads))
    records.extend(run.records)
    return records


def info(np):
    cfg = {}
    try:
        cfg = np.show_config(mode="dicts") or {}
    except TypeError:  # NumPy 1.x has no mode argument
        cfg = {}
    blas = cfg.get("Build Dependencies", {}).get("blas", {})
    libs = peerlib.loaded_blas()
    if blas.get("name"):
        label = ("%s %s" % (blas.get("name"), blas.get("version", ""))).strip()
    else:
        label = ", ".join(os.path.basename(l) for l in libs) or "unknown BLAS"
    return {"name": NAME, "label": "NumPy %s (%s)" % (np.__version__, label), "numpy": np.__version__,
            "blas": label, "blas_libraries": libs, "reference_blas": peerlib.reference_blas(libs)}


def main(argv):
    run = peerlib.Run(NAME, argv)
    if run.args.only_threads is not None:  # a worker: NumPy is loaded here, with the thread count already set
        records = worker(run, run.args.only_threads)
        import numpy as np
        with open(run.args.out, "w") as f:
            json.dump({"records": records, "checks": run.checks, "info": info(np)}, f)
        return
    wanted = sorted({run.threads_of(p) for _, p, _ in run.cases((GEMM, SVD, VALUES))})
    merged = {"checks": [], "info": None}
    for t in wanted:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t))
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            part = tmp.name
        try:
            subprocess.run([sys.executable, os.path.abspath(__file__), "--jmh", run.args.jmh, "--out", part,
                            "--threads", str(run.args.threads), "--only-threads", str(t)], env=env, check=True)
            with open(part) as f:
                got = json.load(f)
        finally:
            os.unlink(part)
        run.records.extend(got["records"])
        merged["checks"].extend(got["checks"])
        merged["info"] = got["info"]
    run.checks = merged["checks"]
    if merged["info"] is None:
        import numpy as np
        merged["info"] = info(np)
    run.write(merged["info"])


if __name__ == "__main__":
    main(sys.argv[1:])
