package io.isotropic.adapt;

import io.isotropic.linalg.HouseholderBasis;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A staged restructuring of one network (and optionally its optimiser): parameters and optimiser moments are read
 * as double-precision working copies, transformed, and written back only by {@link #commit()}, which converts to
 * the network's dtype and replaces everything at once. Until then nothing observable changes, so a failed
 * operation leaves network and optimiser untouched.
 */
final class StagedChange {
    private final IsotropicMlp net;
    private final Optimizer opt;
    private final Backend be;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor[]> moments = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();
    /** Element-wise squares of the rotations applied to second moments, computed once per rotation. */
    private final Map<Tensor, Tensor> squares = new IdentityHashMap<>();

    StagedChange(IsotropicMlp net, Optimizer opt) {
        this.net = net;
        this.opt = opt;
        this.be = net.backend();
    }

    Backend backend() {
        return be;
    }

    /** Working F64 copy of a parameter (staged value if already edited). */
    Tensor param(String name) {
        Tensor t = params.get(name);
        if (t != null) {
            return t;
        }
        for (Parameter p : net.parameters()) {
            if (p.name().equals(name)) {
                return p.value().to(DType.F64);
            }
        }
        throw new IllegalArgumentException("no parameter named " + name);
    }

    void put(String name, Tensor f64) {
        params.put(name, f64);
    }

    /** Working F64 copies of the optimiser moments of a parameter ({first, second}, entries may be null), or null. */
    private Tensor[] moments(String name) {
        if (opt == null) {
            return null;
        }
        Tensor[] m = moments.get(name);
        if (m != null) {
            return m;
        }
        ParameterState s = opt.states().get(name);
        if (s == null) {
            return null;
        }
        m = new Tensor[] {s.first() == null ? null : s.first().to(DType.F64),
                s.second() == null ? null : s.second().to(DType.F64)};
        moments.put(name, m);
        steps.put(name, s.step());
        return m;
    }

    // ---------------------------------------------------------------- transforms of a parameter and its state

    /** {@code P <- O P} for a matrix or vector parameter (rows rotated); moments: m <- O m, v <- (O.O) v. */
    void leftMultiply(String name, Tensor o) {
        put(name, left(o, param(name)));
        leftMultiplyState(name, o);
    }

    /**
     * The optimiser-state part of {@link #leftMultiply} alone, for a parameter whose rotated value the caller
     * assigns exactly (e.g. {@code S Q^T} for {@code R^T W}): skips the product whose result would be overwritten.
     */
    void leftMultiplyState(String name, Tensor o) {
        Tensor[] m = moments(name);
        if (m != null) {
            if (m[0] != null) {
                m[0] = left(o, m[0]);
            }
            if (m[1] != null) {
                m[1] = left(squared(o), m[1]);
            }
        }
    }

    /** {@code P <- P O} for a matrix parameter (columns rotated); moments: m <- m O, v <- v (O.O). */
    void rightMultiply(String name, Tensor o) {
        put(name, be.matmul(param(name), o));
        rightMultiplyState(name, o);
    }

    /** The optimiser-state part of {@link #rightMultiply} alone (see {@link #leftMultiplyState}). */
    void rightMultiplyState(String name, Tensor o) {
        Tensor[] m = moments(name);
        if (m != null) {
            if (m[0] != null) {
                m[0] = be.matmul(m[0], o);
            }
            if (m[1] != null) {
                m[1] = be.matmul(m[1], squared(o));
            }
        }
    }

    /**
     * {@code P <- B^T P} for a Householder basis B (rows rotated): first moments by the reflections, second
     * moments by {@code (B^T.B^T)} in its low-rank form ({@link HouseholderBasis#squaredLeftTranspose}).
     */
    void leftRotate(String name, HouseholderBasis b) {
        put(name, b.leftTranspose(param(name)));
        Tensor[] m = moments(name);
        if (m != null) {
            if (m[0] != null) {
                m[0] = b.leftTranspose(m[0]);
            }
            if (m[1] != null) {
                m[1] = b.squaredLeftTranspose(m[1]);
            }
        }
    }

    /** {@code P <- P B} for a Householder basis B (columns rotated); moments as in {@link #leftRotate}. */
    void rightRotate(String name, HouseholderBasis b) {
        put(name, b.right(param(name)));
        Tensor[] m = moments(name);
        if (m != null) {
            if (m[0] != null) {
                m[0] = b.right(m[0]);
            }
            if (m[1] != null) {
                m[1] = b.squaredRight(m[1]);
            }
        }
    }

    /** Replaces a parameter's value without touching its optimiser state (additive updates, section 8). */
    void assign(String name, Tensor f64) {
        put(name, f64);
    }

    /** Appends {@code k} rows (matrix) or entries (vector) to a parameter (given values, or zeros); zeros to its moments. */
    void appendRows(String name, int k, Tensor newRows) {
        resize(name, Resizing.appendRows(param(name), k, newRows), t -> Resizing.appendRows(t, k, null));
    }

    /** Appends {@code k} columns to a matrix parameter (given values, or zeros) and zero columns to its moments. */
    void appendColumns(String name, int k, Tensor newColumns) {
        resize(name, Resizing.appendColumns(param(name), k, newColumns), t -> Resizing.appendColumns(t, k, null));
    }

    /** Deletes the last {@code k} rows (matrix) or entries (vector) of a parameter and its moments. */
    void dropRows(String name, int k) {
        Tensor p = param(name);
        dropRows(name, (p.rank() == 1 ? p.size() : p.rows()) - k, k);
    }

    /** Deletes {@code k} rows (matrix) or entries (vector) from {@code offset} on, of a parameter and its moments. */
    void dropRows(String name, int offset, int k) {
        resize(name, Resizing.dropRows(param(name), offset, k), t -> Resizing.dropRows(t, offset, k));
    }

    /** Deletes the last {@code k} columns of a matrix parameter and its moments. */
    void dropColumns(String name, int k) {
        dropColumns(name, param(name).cols() - k, k);
    }

    /** Deletes {@code k} columns from {@code offset} on, of a matrix parameter and its moments. */
    void dropColumns(String name, int offset, int k) {
        resize(name, Resizing.dropColumns(param(name), offset, k), t -> Resizing.dropColumns(t, offset, k));
    }

    /** Stages a parameter's new value and applies the same change of shape to each of its moments. */
    private void resize(String name, Tensor value, java.util.function.UnaryOperator<Tensor> onMoment) {
        put(name, value);
        Tensor[] m = moments(name);
        if (m != null) {
            for (int i = 0; i < 2; i++) {
                if (m[i] != null) {
                    m[i] = onMoment.apply(m[i]);
                }
            }
        }
    }

    private Tensor left(Tensor o, Tensor p) {
        if (p.rank() == 1) {
            return be.matmul(o, p.reshape(p.size(), 1)).reshape(o.rows());
        }
        return be.matmul(o, p);
    }

    /** {@code O.O} (element-wise), computed once per rotation tensor of this edit (rotations are not mutated). */
    private Tensor squared(Tensor o) {
        return squares.computeIfAbsent(o, t -> {
            Tensor s = t.copy();
            double[] d = s.f64();
            for (int i = 0; i < d.length; i++) {
                d[i] *= d[i];
            }
            return s;
        });
    }

    /** Converts every staged tensor to the network's dtype and replaces parameters, then optimiser states. */
    void commit() {
        DType dt = net.dtype();
        Map<String, Tensor> converted = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            converted.put(e.getKey(), e.getValue().to(dt));
        }
        Map<String, ParameterState> newStates = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor[]> e : moments.entrySet()) {
            Tensor[] m = e.getValue();
            newStates.put(e.getKey(), new ParameterState(m[0] == null ? null : m[0].to(dt),
                    m[1] == null ? null : m[1].to(dt), steps.get(e.getKey())));
        }
        net.replaceParameters(converted); // validates; throws before any change
        for (Map.Entry<String, ParameterState> e : newStates.entrySet()) {
            opt.putState(e.getKey(), e.getValue());
        }
    }
}
