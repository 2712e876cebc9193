/**
 * The {@code isotropic} command-line tool (picocli): the subcommands {@code train}, {@code restructure},
 * {@code evaluate}, {@code predict}, {@code inspect}, {@code import}, {@code convert}, {@code export},
 * {@code experiment} and {@code backends}. Depends on the api, on {@code persist} (model files, checkpoints, run
 * directories, the import of plain MLPs), on {@code onnx} (export) and its own subpackages; backends arrive at run
 * time, and nothing depends on this package but its subpackage {@code experiments}, which reuses its common options.
 */
package io.isotropic.cli;
