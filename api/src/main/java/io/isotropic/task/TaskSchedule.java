package io.isotropic.task;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which tasks are active when, as plain data: phases sorted by their first epoch. At the start of a phase's first
 * epoch, {@link Tasks#beginEpoch} appends the phase's active tasks that the network does not have yet, removes the
 * tasks the phase lists under {@code remove}, and deactivates every other task it still has (a deactivated task keeps
 * its blocks and weights, with weight 0 in the objective, until a later phase activates or removes it).
 *
 * @param phases the phases; the first starts at epoch 0, first epochs strictly increase
 */
public record TaskSchedule(List<Phase> phases) {
    /**
     * One phase of a schedule.
     *
     * @param fromEpoch the phase's first epoch (0-based), {@code >= 0}
     * @param active names of the tasks trained in the phase (at least one)
     * @param remove names of tasks removed from the network at the phase's start (none of them active)
     */
    public record Phase(int fromEpoch, List<String> active, List<String> remove) {
        /**
         * Validates the phase.
         *
         * @throws NullPointerException if a list or name is null
         * @throws IllegalArgumentException if the first epoch is negative, no task is active, a name repeats, or a
         *         task is both active and removed
         */
        public Phase {
            active = List.copyOf(active);
            remove = List.copyOf(remove == null ? List.of() : remove);
            if (fromEpoch < 0) {
                throw new IllegalArgumentException("TaskSchedule: phase starts at epoch " + fromEpoch + "; need >= 0");
            }
            if (active.isEmpty()) {
                throw new IllegalArgumentException("TaskSchedule: the phase from epoch " + fromEpoch
                        + " has no active task");
            }
            Set<String> seen = new HashSet<>();
            for (String n : active) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("TaskSchedule: task '" + n + "' is listed twice in the phase "
                            + "from epoch " + fromEpoch);
                }
            }
            for (String n : remove) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("TaskSchedule: task '" + n + "' is both active and removed (or "
                            + "removed twice) in the phase from epoch " + fromEpoch);
                }
            }
        }

        /**
         * A phase that removes nothing.
         *
         * @param fromEpoch the first epoch
         * @param active the active tasks
         * @return the phase
         */
        public static Phase of(int fromEpoch, String... active) {
            return new Phase(fromEpoch, List.of(active), List.of());
        }

        /**
         * The same phase, also removing tasks at its start.
         *
         * @param names tasks to remove
         * @return the new phase
         */
        public Phase removing(String... names) {
            List<String> r = new ArrayList<>(remove);
            r.addAll(List.of(names));
            return new Phase(fromEpoch, active, r);
        }
    }

    /**
     * Validates the schedule.
     *
     * @throws NullPointerException if the list or a phase is null
     * @throws IllegalArgumentException if there is no phase, the first does not start at epoch 0, or first epochs do
     *         not strictly increase
     */
    public TaskSchedule {
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("TaskSchedule: need at least one phase");
        }
        if (phases.get(0).fromEpoch() != 0) {
            throw new IllegalArgumentException("TaskSchedule: the first phase starts at epoch "
                    + phases.get(0).fromEpoch() + "; it must start at epoch 0");
        }
        for (int i = 1; i < phases.size(); i++) {
            if (phases.get(i).fromEpoch() <= phases.get(i - 1).fromEpoch()) {
                throw new IllegalArgumentException("TaskSchedule: phase " + i + " starts at epoch "
                        + phases.get(i).fromEpoch() + ", not after phase " + (i - 1) + " (epoch "
                        + phases.get(i - 1).fromEpoch() + ")");
            }
        }
    }

    /**
     * A schedule of the given phases.
     *
     * @param phases the phases
     * @return the schedule
     */
    public static TaskSchedule of(Phase... phases) {
        return new TaskSchedule(List.of(phases));
    }

    /**
     * The phase an epoch belongs to.
     *
     * @param epoch the epoch, {@code >= 0}
     * @return the last phase starting at or before it
     * @throws IllegalArgumentException if the epoch is negative
     */
    public Phase phaseAt(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("TaskSchedule.phaseAt: epoch " + epoch + " is negative");
        }
        Phase p = phases.get(0);
        for (Phase q : phases) {
            if (q.fromEpoch() <= epoch) {
                p = q;
            }
        }
        return p;
    }

    /**
     * Checks every name against the known tasks.
     *
     * @param known names of the tasks the schedule may refer to
     * @throws IllegalArgumentException naming the first unknown task and the known ones
     */
    public void requireKnown(Collection<String> known) {
        Objects.requireNonNull(known, "TaskSchedule.requireKnown: known is null");
        for (Phase p : phases) {
            for (String n : p.active()) {
                check(n, p, known);
            }
            for (String n : p.remove()) {
                check(n, p, known);
            }
        }
    }

    private static void check(String name, Phase p, Collection<String> known) {
        if (!known.contains(name)) {
            throw new IllegalArgumentException("TaskSchedule: the phase from epoch " + p.fromEpoch()
                    + " names unknown task '" + name + "'; known tasks: " + known);
        }
    }
}
