package io.isotropic.persist;

import io.isotropic.train.Adam;
import io.isotropic.train.LearningRateSchedule;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Sgd;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A serialisable description of an optimiser and its learning-rate schedule (schedules are functions, so files
 * store their parameters instead).
 *
 * @param kind adamw, adam or sgd
 * @param lr base learning rate
 * @param weightDecay weight decay (decoupled for adamw)
 * @param momentum SGD momentum
 * @param schedule constant or cosine
 * @param totalSteps annealing length of the cosine schedule
 * @param minLr final rate of the cosine schedule
 */
public record OptimizerSpec(String kind, double lr, double weightDecay, double momentum, String schedule,
                            long totalSteps, double minLr) {

    /**
     * Builds a fresh optimiser (no state).
     *
     * @return the optimiser
     * @throws IllegalArgumentException for an unknown kind or schedule, or out-of-range values
     */
    public Optimizer build() {
        LearningRateSchedule s = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LearningRateSchedule.constant(lr);
            case "cosine" -> LearningRateSchedule.cosine(lr, Math.max(1, totalSteps), minLr);
            default -> throw new IllegalArgumentException("unknown schedule '" + schedule + "'; use constant or cosine");
        };
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "adamw" -> new Adam(s, 0.9, 0.999, 1e-8, weightDecay, true);
            case "adam" -> new Adam(s, 0.9, 0.999, 1e-8, weightDecay, false);
            case "sgd" -> new Sgd(s, momentum, weightDecay, false);
            default -> throw new IllegalArgumentException("unknown optimizer '" + kind + "'; use adamw, adam or sgd");
        };
    }

    /**
     * Whether the optimiser keeps a first-moment (momentum) tensor per parameter.
     *
     * @return true for Adam, and SGD with momentum
     */
    public boolean hasFirstMoment() {
        return !kind.equalsIgnoreCase("sgd") || momentum != 0;
    }

    /**
     * Whether the optimiser keeps a second-moment tensor per parameter.
     *
     * @return true for Adam and AdamW
     */
    public boolean hasSecondMoment() {
        return !kind.equalsIgnoreCase("sgd");
    }

    /**
     * The spec as file metadata.
     *
     * @return string map
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("optimizer", kind);
        m.put("lr", Double.toString(lr));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("momentum", Double.toString(momentum));
        m.put("schedule", schedule);
        m.put("total_steps", Long.toString(totalSteps));
        m.put("min_lr", Double.toString(minLr));
        return m;
    }

    /**
     * Reads a spec from file metadata and checks that it builds.
     *
     * @param m the metadata
     * @param source the file, for messages
     * @return the spec
     * @throws ModelFormatException if a field is missing, malformed or out of range
     */
    public static OptimizerSpec fromMetadata(Map<String, String> m, String source) throws ModelFormatException {
        Metadata md = new Metadata(m, source);
        OptimizerSpec spec = new OptimizerSpec(md.req("optimizer"), md.real("lr", 0, Double.MAX_VALUE),
                md.real("weight_decay", 0, Double.MAX_VALUE), md.real("momentum", 0, 1),
                md.req("schedule"), md.integer("total_steps", 0, Long.MAX_VALUE),
                md.real("min_lr", 0, Double.MAX_VALUE));
        try {
            spec.build();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": optimiser metadata: " + e.getMessage());
        }
        return spec;
    }
}
