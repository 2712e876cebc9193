/**
 * The {@code isotropic} command-line tool (picocli): the subcommands {@code train}, {@code restructure},
 * {@code evaluate}, {@code predict}, {@code inspect}, {@code import}, {@code convert}, {@code export},
 * {@code experiment}, {@code sweep} and {@code backends}. Depends on the api, on {@code persist} (model files, checkpoints, run
 * directories, the import of plain MLPs), on {@code onnx} (export) and its own subpackages; backends arrive at run
 * time, and nothing depends on this package but its subpackages: {@code experiments}, which reuses its common options, and
 * {@code sweep}, which trains through {@link io.isotropic.cli.Training} (and whose executors the {@code spark}
 * module extends).
 */
package io.isotropic.cli;
