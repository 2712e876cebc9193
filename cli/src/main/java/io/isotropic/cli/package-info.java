/**
 * The {@code isotropic} command-line tool (picocli): subcommands for listing backends and, as they land,
 * training, restructuring, evaluation and the experiments. Depends on the api; backends arrive at run time.
 */
package io.isotropic.cli;
