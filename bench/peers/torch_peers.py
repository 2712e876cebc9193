"""PyTorch (CPU) as the peer of the network-level benchmarks, done the way the author's reference PyTorch code
does them (method.md): an isotropic-tanh MLP (section 3.1; psi TRAINABLE_DECAY, trainable o = exp(theta)) with
the parameter updates of sections 5.2 (left-partial diagonalisation), 6.1 (neurogenesis), 6.2
(neurodegeneration) and 9 (sparsification by full diagonalisation), each on a full SVD from
torch.linalg.svd(full_matrices=True) in the parameters' dtype, and the optimiser-state transforms of section 8
where the benchmark uses AdamW (torch.optim.AdamW, lr 1e-3, weight decay 1e-3, after two steps).

Mirrored cases (same sizes, dtypes, batch and optimiser as the JMH parameters; all threads of the run):
TrainingStepBenchmark.step, ForwardBenchmark.sequential, NeuroOpBenchmark.{neurogenesisRotated,
neurogenesisUnrotated, neurodegeneration}, SparsifyBenchmark.sparsify. Every operation that changes the network
acts on a fresh copy made outside the timed region, as the JMH benchmarks' @Setup(Level.Invocation) does; each
case checks its result once before it is timed (function preserved to float tolerance, widths, removed singular
value, diagonal layers, gradient against central differences). Usage: see peerlib.py.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

NAME = "pytorch"
PKG = "io.isotropic.bench."
STEP = PKG + "TrainingStepBenchmark.step"
FORWARD = PKG + "ForwardBenchmark.sequential"
GROW = PKG + "NeuroOpBenchmark.neurogenesisRotated"
GROW_PLAIN = PKG + "NeuroOpBenchmark.neurogenesisUnrotated"
PRUNE = PKG + "NeuroOpBenchmark.neurodegeneration"
SPARSIFY = PKG + "SparsifyBenchmark.sparsify"
EPS = 1e-3
PSI_DECAY = 0.1
LR = 1e-3
WD = 1e-3


def widths_of(spec):
    out = []
    for part in spec.split("-"):
        w, _, k = part.partition("x")
        out += [int(w)] * (int(k) if k else 1)
    return out


class Net:
    """Isotropic MLP of method.md 3.1 with psi TRAINABLE_DECAY and trainable o = exp(theta)."""

    def __init__(self, torch, widths, dtype, seed):
        self.t = torch
        g = torch.Generator().manual_seed(seed)
        L = len(widths) - 1
        self.W, self.b, self.psi, self.theta = [], [], [], []
        for l in range(L):
            std = (2.0 / (widths[l] + widths[l + 1])) ** 0.5  # Xavier normal
            self.W.append(torch.randn(widths[l + 1], widths[l], generator=g, dtype=torch.float64) * std)
            self.b.append(0.1 * torch.randn(widths[l + 1], generator=g, dtype=torch.float64))
        for l in range(1, L):  # psi_{l-1} lives in the space of z_l
            self.psi.append(0.1 * torch.randn(widths[l + 1], generator=g, dtype=torch.float64))
        for l in range(L - 1):
            self.theta.append(torch.tensor(0.05, dtype=torch.float64).log())
        for name in ("W", "b", "psi", "theta"):
            setattr(self, name, [p.to(dtype).requires_grad_() for p in getattr(self, name)])

    def params(self):
        return self.W + self.b + self.psi + self.theta

    def depth(self):
        return len(self.W)

    def widths(self):
        return [self.W[0].shape[1]] + [w.shape[0] for w in self.W]

    def forward(self, x):
        t = self.t
        h = x
        s = None
        L = self.depth()
        for l in range(L):
            z = h @ self.W[l].T + self.b[l]
            if l >= 1:
                z = z + s[:, None] * self.psi[l - 1]
            if l == L - 1:
                return z
            o = self.theta[l].exp()
            rho = (z * z).sum(1).add(o).abs().sqrt()
            small = (o.abs().sqrt().tanh() / o.abs().sqrt()) if float(o.abs()) > 0.01 else t.ones_like(rho)
            s = t.where(rho > EPS, rho.tanh() / rho.clamp_min(EPS), small)
            h = s[:, None] * z

    def loss(self, x, y):
        t = self.t
        logits = self.forward(x)
        return t.nn.functional.cross_entropy(logits, y) + PSI_DECAY * sum((p * p).sum() for p in self.psi)

    def copy(self, dtype=None):
        other = Net.__new__(Net)
        other.t = self.t
        for name in ("W", "b", "psi", "theta"):
            setattr(other, name, [p.detach().to(dtype or p.dtype).clone().requires_grad_()
                                  for p in getattr(self, name)])
        return other


def adamw(torch, net):
    return torch.optim.AdamW(net.params(), lr=LR, weight_decay=WD)


def warm(torch, net, steps, seed):
    """AdamW after `steps` steps on random batches of 32 (non-zero moments, as BenchNets.warmAdam)."""
    opt = adamw(torch, net)
    g = torch.Generator().manual_seed(seed)
    n0, classes = net.widths()[0], net.widths()[-1]
    for _ in range(steps):
        x = torch.randn(32, n0, generator=g, dtype=net.W[0].dtype)
        y = torch.randint(classes, (32,), generator=g)
        opt.zero_grad(set_to_none=True)
        net.loss(x, y).backward()
        opt.step()
    return opt


def copy_with_optimizer(torch, net, opt):
    """A copy of the network and of its AdamW (moments and step counts), as BenchNets.copy."""
    other = net.copy()
    if opt is None:
        return other, None
    o2 = adamw(torch, other)
    for p_old, p_new in zip(net.params(), other.params()):
        st = opt.state.get(p_old)
        if st:
            o2.state[p_new] = {k: (v.clone() if torch.is_tensor(v) else v) for k, v in st.items()}
    return other, o2


def replace(torch, net, opt, group, index, value, transform):
    """Sets parameter group[index] to value (a new tensor, possibly resized), swapping it in the optimiser's
    parameter list and moving its state through transform(m, v) -> (m', v') (method.md section 8)."""
    old = getattr(net, group)[index]
    new = value.detach().clone().requires_grad_()
    getattr(net, group)[index] = new
    if opt is not None:
        plist = opt.param_groups[0]["params"]
        plist[[i for i, p in enumerate(plist) if p is old][0]] = new
        st = opt.state.pop(old, None)
        if st:
            m, v = transform(st["exp_avg"], st["exp_avg_sq"])
            opt.state[new] = {"step": st["step"], "exp_avg": m, "exp_avg_sq": v}


def full_svd(torch, w):
    return torch.linalg.svd(w, full_matrices=True)


def neurogenesis(torch, net, opt, l, rotate, gen):
    """method.md 6.1 on layer l (one new neuron in hidden space l+1), states as section 8."""
    with torch.no_grad():
        W, Wn = net.W[l], net.W[l + 1]
        m, n = W.shape
        zero_row = torch.zeros(1, n, dtype=W.dtype)
        c = 0.01 * torch.randn(Wn.shape[0], 1, generator=gen, dtype=W.dtype)
        if rotate:
            R, S, Qt = full_svd(torch, W)
            k = min(m, n)
            sqt = torch.zeros(m, n, dtype=W.dtype)
            sqt[:k] = S[:, None] * Qt[:k]
            R2 = R * R
            rows = lambda x: R.T @ x  # noqa: E731
            rows_v = lambda x: R2.T @ x  # noqa: E731
        else:
            R = None
            sqt = W
            rows = rows_v = lambda x: x  # noqa: E731
        app_row = lambda x: torch.cat([x, torch.zeros(1, *x.shape[1:], dtype=x.dtype)])  # noqa: E731
        replace(torch, net, opt, "W", l, torch.cat([sqt, zero_row]),
                lambda mm, vv: (app_row(rows(mm)), app_row(rows_v(vv))))
        replace(torch, net, opt, "b", l, app_row(rows(net.b[l])),
                lambda mm, vv: (app_row(rows(mm)), app_row(rows_v(vv))))
        if l >= 1:
            replace(torch, net, opt, "psi", l - 1, app_row(rows(net.psi[l - 1])),
                    lambda mm, vv: (app_row(rows(mm)), app_row(rows_v(vv))))
        cols = (lambda x: x @ R) if rotate else (lambda x: x)
        cols_v = (lambda x: x @ (R * R)) if rotate else (lambda x: x)
        app_col = lambda x: torch.cat([x, torch.zeros(x.shape[0], 1, dtype=x.dtype)], 1)  # noqa: E731
        replace(torch, net, opt, "W", l + 1, torch.cat([cols(Wn), c], 1),
                lambda mm, vv: (app_col(cols(mm)), app_col(cols_v(vv))))


def neurodegeneration(torch, net, opt, l):
    """method.md 6.2 on layer l (the smallest singular direction of W_l removed), states as section 8."""
    with torch.no_grad():
        W, Wn = net.W[l], net.W[l + 1]
        m, n = W.shape
        R, S, Qt = full_svd(torch, W)
        k = min(m, n)
        sqt = torch.zeros(m, n, dtype=W.dtype)
        sqt[:k] = S[:, None] * Qt[:k]
        R2 = R * R
        bt = R.T @ net.b[l]
        b_star = bt[-1]
        wt = Wn @ R
        w_star = wt[:, -1].clone()
        replace(torch, net, opt, "W", l, sqt[:-1], lambda mm, vv: ((R.T @ mm)[:-1], (R2.T @ vv)[:-1]))
        replace(torch, net, opt, "b", l, bt[:-1], lambda mm, vv: ((R.T @ mm)[:-1], (R2.T @ vv)[:-1]))
        if l >= 1:
            replace(torch, net, opt, "psi", l - 1, (R.T @ net.psi[l - 1])[:-1],
                    lambda mm, vv: ((R.T @ mm)[:-1], (R2.T @ vv)[:-1]))
        replace(torch, net, opt, "W", l + 1, wt[:, :-1], lambda mm, vv: ((mm @ R)[:, :-1], (vv @ R2)[:, :-1]))
        net.theta[l].copy_((net.theta[l].exp() + b_star * b_star).log())  # o_l += b*^2 (not in the states)
        net.psi[l].add_(b_star * w_star)  # psi_l += b* W*: psi_l is the psi of z_(l+1)
        return S[-1]


def full_diagonalisation(torch, net, l):
    """method.md 5.3 on a hidden-to-hidden layer l, no optimiser (as section 9)."""
    with torch.no_grad():
        R, S, Qt = full_svd(torch, net.W[l])
        m, n = net.W[l].shape
        diag = torch.zeros(m, n, dtype=S.dtype)
        diag[range(min(m, n)), range(min(m, n))] = S
        net.W[l] = diag.requires_grad_()
        net.b[l] = (R.T @ net.b[l]).requires_grad_()
        net.psi[l - 1] = (R.T @ net.psi[l - 1]).requires_grad_()
        net.W[l - 1] = (Qt @ net.W[l - 1]).requires_grad_()
        net.b[l - 1] = (Qt @ net.b[l - 1]).requires_grad_()
        if l >= 2:
            net.psi[l - 2] = (Qt @ net.psi[l - 2]).requires_grad_()
        net.W[l + 1] = (net.W[l + 1] @ R).requires_grad_()


def sparsify(torch, net):
    layers = list(range(1, net.depth() - 1, 2))
    for l in layers:
        full_diagonalisation(torch, net, l)
    return layers


def invariance_tolerance(torch, net, y):
    """(4 L n u + 60 n u)(1 + |y|_inf), the oracle's invariance bound with the SVD in the dtype (as here)."""
    n = max(net.widths())
    u = torch.finfo(net.W[0].dtype).eps / 2
    return (4 * net.depth() * n * u + 60 * n * u) * (1 + float(y.abs().max()))


def check_invariant(torch, what, net, y0, y1):
    tol = invariance_tolerance(torch, net, y0)
    d = float((y1 - y0).abs().max())
    peerlib.require(y0.shape == y1.shape and d <= tol, "%s: logits changed by %g > %g" % (what, d, tol))


def main(argv):
    run = peerlib.Run(NAME, argv)
    threads = run.args.threads
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    # libgomp's default lets idle OpenMP threads spin; beside OpenBLAS's own threads on a 2-core machine that made a
    # 784-512-512-10 training step 20x slower with 2 threads than with 1 (380 against 16 ms, measured here), so
    # idle threads sleep unless the caller chose otherwise
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    # which BLAS torch really calls: run a product, then read the mapped libraries; time a gemm as a second sign
    a = torch.randn(512, 512, dtype=torch.float64)
    a @ a
    torch.linalg.svd(a[:64, :64])
    libs = peerlib.loaded_blas()
    import time
    t0 = time.perf_counter()
    for _ in range(3):
        a @ a
    gflops = 3 * 2 * 512 ** 3 / (time.perf_counter() - t0) / 1e9
    # Debian's torch calls the libblas.so.3 alternative: without libopenblas0-pthread that is the reference BLAS,
    # whose figures mean nothing. The mapped library says which; the speed of a gemm is a second sign (the
    # reference BLAS reaches about 1-2 GFLOP/s here, OpenBLAS ten times more per core), not proof on a busy machine
    ref = peerlib.reference_blas(libs)
    slow = gflops < 4.0
    cfg = torch.__config__.show()
    info = {"name": NAME, "label": "PyTorch %s (CPU)" % torch.__version__, "torch": torch.__version__,
            "blas_libraries": libs, "gemm_gflops_512_f64": round(gflops, 2), "reference_blas": ref, "gemm_slow": slow,
            "blas": ", ".join(os.path.basename(os.path.dirname(l)) + "/" + os.path.basename(l) for l in libs)
            or "BLAS_INFO " + (cfg.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in cfg else "?"),
            "torch_threads": torch.get_num_threads(), "omp_wait_policy": os.environ["OMP_WAIT_POLICY"]}
    try:
        import numpy
        info["numpy"] = numpy.__version__
    except ImportError:
        pass

    for bench, params, settings in run.cases((STEP, FORWARD, GROW, GROW_PLAIN, PRUNE, SPARSIFY)):
        dt = {"F64": torch.float64, "F32": torch.float32}[params["dtype"]]
        what = "%s %s" % (bench.rsplit(".", 2)[-2] + "." + bench.rsplit(".", 1)[-1], params)
        gen = torch.Generator().manual_seed(7)
        if bench == STEP:
            n, batch = int(params["n"]), int(params["batch"])
            net = Net(torch, [784, n, n, 10], dt, 11)
            x = torch.randn(batch, 784, generator=gen, dtype=dt)
            y = torch.randint(10, (batch,), generator=gen)
            check_gradient(torch, net, x, y, what)
            opt = adamw(torch, net)

            def step():
                opt.zero_grad(set_to_none=True)
                loss = net.loss(x, y)
                loss.backward()
                opt.step()
            before = float(net.loss(x, y))
            for _ in range(3):
                step()
            peerlib.require(float(net.loss(x, y)) < before, what + ": three AdamW steps did not lower the loss")
            run.time_case(bench, params, settings, NAME, step)
        elif bench == FORWARD:
            w, batch = widths_of(params["widths"]), int(params["batch"])
            net = Net(torch, w, dt, 17)
            x = torch.randn(batch, w[0], generator=gen, dtype=dt)
            with torch.no_grad():
                y = net.forward(x)
                y64 = net.copy(torch.float64).forward(x.double())
            check_invariant(torch, what + " vs float64", net, y64, y.double())

            def forward():
                with torch.no_grad():
                    net.forward(x)
            run.time_case(bench, params, settings, NAME, forward)
        elif bench in (GROW, GROW_PLAIN, PRUNE):
            n = int(params["n"])
            template = Net(torch, [784, n, n, 10], dt, 7)
            topt = warm(torch, template, 2, 8) if params.get("optimizer") == "adamw" else None
            x = torch.randn(64, 784, generator=gen, dtype=dt)
            with torch.no_grad():
                y = template.forward(x)
            net, opt = copy_with_optimizer(torch, template, topt)
            if bench == PRUNE:
                sv = torch.linalg.svdvals(template.W[0].detach())
                removed = float(neurodegeneration(torch, net, opt, 0))
                tol = 60 * max(n, 784) * torch.finfo(dt).eps * float(sv[0])
                peerlib.require(net.widths()[1] == n - 1 and abs(removed - float(sv[-1])) <= tol,
                                "%s: width %d, removed sigma %g, smallest %g" % (what, net.widths()[1], removed, sv[-1]))
                kept = torch.linalg.svdvals(net.W[0].detach())
                peerlib.require(float((kept - sv[:-1]).abs().max()) <= tol, what + ": kept spectrum changed")
            else:
                neurogenesis(torch, net, opt, 0, bench == GROW, gen)
                with torch.no_grad():
                    check_invariant(torch, what, net, y, net.forward(x))
                peerlib.require(net.widths()[1] == n + 1, what + ": width %d" % net.widths()[1])
                if opt is not None:
                    for l in (0, 1):
                        before = float((template.W[l] * topt.state[template.W[l]]["exp_avg"]).sum())
                        after = float((net.W[l] * opt.state[net.W[l]]["exp_avg"]).sum())
                        scale = float(template.W[l].norm() * topt.state[template.W[l]]["exp_avg"].norm())
                        u = torch.finfo(dt).eps / 2
                        peerlib.require(abs(after - before) <= (2 * u + 120 * max(n, 784) * u) * scale,
                                        "%s: <W_%d, m_%d> %g -> %g (moments not rotated?)" % (what, l, l, before, after))
            ops = {GROW: lambda c: neurogenesis(torch, c[0], c[1], 0, True, gen),
                   GROW_PLAIN: lambda c: neurogenesis(torch, c[0], c[1], 0, False, gen),
                   PRUNE: lambda c: neurodegeneration(torch, c[0], c[1], 0)}
            run.time_case(bench, params, settings, NAME, ops[bench],
                          fresh=lambda: copy_with_optimizer(torch, template, topt))
        elif bench == SPARSIFY:
            n = int(params["n"])
            template = Net(torch, [784] + [n] * 6 + [10], dt, 13)
            x = torch.randn(64, 784, generator=gen, dtype=dt)
            net = template.copy()
            with torch.no_grad():
                y = net.forward(x)
                layers = sparsify(torch, net)
                check_invariant(torch, what, net, y, net.forward(x))
            peerlib.require(layers == [1, 3, 5], what + ": diagonalised %s" % layers)
            for l in layers:
                w = net.W[l].detach()
                peerlib.require(bool((w - torch.diag(torch.diagonal(w)) == 0).all()), what + ": W_%d not diagonal" % l)
            run.time_case(bench, params, settings, NAME, lambda c: sparsify(torch, c), fresh=template.copy)
        run.checks.append(what)
    run.write(info)


def check_gradient(torch, net, x, y, what):
    """The autograd gradient of the largest entry of W_1 agrees with central differences of the float64 twin."""
    loss = net.loss(x, y)
    g = torch.autograd.grad(loss, net.W[1])[0]
    at = int(g.abs().argmax())
    twin = net.copy(torch.float64)
    h = 1e-4
    w = twin.W[1].detach()
    vals = []
    for sign in (1, -1):
        w.view(-1)[at] += sign * h
        with torch.no_grad():
            vals.append(float(twin.loss(x.double(), y)))
        w.view(-1)[at] -= sign * h
    fd = (vals[0] - vals[1]) / (2 * h)
    got = float(g.view(-1)[at])
    u = torch.finfo(x.dtype).eps / 2
    tol = 1e-6 * abs(fd) + 4 * net.depth() * max(net.widths()) * u * float(g.abs().max()) + 1e-9
    peerlib.require(abs(got - fd) <= tol, "%s: dL/dW_1[%d] %g, central difference %g" % (what, at, got, fd))


if __name__ == "__main__":
    main(sys.argv[1:])
