/**
 * Sweeps: a grid or list of training configurations ({@link io.isotropic.cli.sweep.SweepSpec}, a JSON file)
 * expanded into runs ({@link io.isotropic.cli.sweep.RunSpec}), each trained with its own seed through the
 * {@code train} command's code path ({@link io.isotropic.cli.sweep.TrainRunJob}) by a
 * {@link io.isotropic.cli.sweep.SweepExecutor} (the built-in local pool, or Spark from the {@code spark} module,
 * found by {@link java.util.ServiceLoader}), and gathered into one table with plots
 * ({@link io.isotropic.cli.sweep.SweepReport}). The executors run any {@link io.isotropic.cli.sweep.SweepJob}, so
 * the experiments' repeats and grid cells can go through them as well.
 */
package io.isotropic.cli.sweep;
