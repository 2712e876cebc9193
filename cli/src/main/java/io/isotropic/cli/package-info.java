/**
 * The {@code isotropic} command-line tool (picocli): the subcommands {@code train}, {@code restructure},
 * {@code evaluate}, {@code predict}, {@code inspect}, {@code experiment} and {@code backends}. Depends on the api,
 * on {@code persist} (model files, checkpoints, run directories) and its own subpackages; backends arrive at run
 * time, and nothing depends on this package but its subpackage {@code experiments}, which reuses its common options.
 */
package io.isotropic.cli;
