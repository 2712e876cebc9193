package io.isotropic.cli.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * One run of a sweep: a configuration trained with one seed, as the arguments of {@code isotropic train}.
 *
 * @param id stable identifier (a file name): a digest of the configuration's options and backend, then
 *           {@code -s<seed>}; the same run has the same id in every sweep that contains it
 * @param configId the configuration's identifier (shared by its repeats)
 * @param label the configuration's label
 * @param configIndex the configuration's position in the sweep
 * @param repeat the repeat's position, {@code 0 .. repeats-1}
 * @param seed the seed ({@code --seed} and {@code --init-seed})
 * @param trainArguments the arguments of {@code train} without {@code --out} (the executor adds a directory)
 */
public record RunSpec(String id, String configId, String label, int configIndex, int repeat, long seed,
                      List<String> trainArguments) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the id is not a file name of {@code [A-Za-z0-9._-]} or a field is missing
     */
    public RunSpec {
        if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("RunSpec: id must be a file name of [A-Za-z0-9._-], got '" + id + "'");
        }
        if (configId == null || label == null || trainArguments == null) {
            throw new IllegalArgumentException("RunSpec " + id + ": configId, label and trainArguments are required");
        }
        trainArguments = List.copyOf(trainArguments);
    }
}
