package io.isotropic.cli;

import io.isotropic.data.Dataset;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.task.Task;
import io.isotropic.task.TaskSchedule;
import io.isotropic.task.Tasks;
import io.isotropic.train.Curriculum;
import io.isotropic.train.Loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code train} run trains on: one data set ({@code --dataset}), or tasks that come and go ({@code --tasks}).
 * Before a network exists it gives the widths of its input and output layers and the steps of the run; bound to a
 * network it is the run's {@link Curriculum}, with the standardisation and layout a checkpoint records.
 */
abstract class Source {
    /** Checkpoint metadata key of a multi-task run's layout (a JSON array of bound tasks and their blocks). */
    static final String LAYOUT_KEY = "tasks_layout";

    abstract int inputs();

    abstract int outputs();

    /** Optimiser steps of epochs {@code 0 .. epochs-1} (the learning-rate schedule's length). */
    abstract long totalSteps(int epochs, int batch);

    /**
     * Binds to a network.
     *
     * @param net the network (fresh, or restored from a checkpoint)
     * @param checkpointInfo the restored checkpoint's metadata (a multi-task run's layout), or null for a fresh one
     */
    abstract Bound bind(IsotropicMlp net, Map<String, String> checkpointInfo);

    /** A source bound to its network. */
    interface Bound {
        Curriculum curriculum();

        /** The input standardisation to save with the model (one per input feature), or null. */
        Standardiser standardiser();

        Map<String, String> checkpointInfo();

        long stepsPerEpoch(int epoch, int batch);

        /** The schedule's phase of an epoch, or -1 for a single data set. */
        int phaseOf(int epoch);

        String describeTraining();

        String describeTest();
    }

    static Source of(DataOptions.Loaded d) {
        return new Source() {
            @Override
            int inputs() {
                return d.train().featureCount();
            }

            @Override
            int outputs() {
                return d.train().classes();
            }

            @Override
            long totalSteps(int epochs, int batch) {
                return (long) epochs * ((d.train().size() + batch - 1) / batch);
            }

            @Override
            Bound bind(IsotropicMlp net, Map<String, String> info) {
                Curriculum c = Curriculum.of(d.train(), d.test(), Loss.CROSS_ENTROPY);
                return new Bound() {
                    @Override
                    public Curriculum curriculum() {
                        return c;
                    }

                    @Override
                    public Standardiser standardiser() {
                        return d.standardiser();
                    }

                    @Override
                    public Map<String, String> checkpointInfo() {
                        return Map.of();
                    }

                    @Override
                    public long stepsPerEpoch(int epoch, int batch) {
                        return (d.train().size() + batch - 1) / batch;
                    }

                    @Override
                    public int phaseOf(int epoch) {
                        return -1;
                    }

                    @Override
                    public String describeTraining() {
                        return d.train().toString();
                    }

                    @Override
                    public String describeTest() {
                        return d.test().toString();
                    }
                };
            }
        };
    }

    static Source of(TaskFile file, Map<String, TaskFile.Loaded> loaded) {
        TaskSchedule schedule = file.schedule();
        List<String> first = schedule.phaseAt(0).active();
        return new Source() {
            @Override
            int inputs() {
                return first.stream().mapToInt(n -> loaded.get(n).task().features()).sum();
            }

            @Override
            int outputs() {
                return first.stream().mapToInt(n -> loaded.get(n).task().classes()).sum();
            }

            @Override
            long totalSteps(int epochs, int batch) {
                long s = 0;
                for (int e = 0; e < epochs; e++) {
                    s += file.stepsOf(e, loaded, batch);
                }
                return s;
            }

            @Override
            Bound bind(IsotropicMlp net, Map<String, String> info) {
                Tasks ts = info == null || !info.containsKey(LAYOUT_KEY)
                        ? Tasks.start(net, first.stream().map(n -> loaded.get(n).task()).toArray(Task[]::new))
                        : Tasks.bind(net, layout(info.get(LAYOUT_KEY), loaded));
                List<Task> later = new ArrayList<>();
                for (TaskFile.Loaded l : loaded.values()) {
                    if (!ts.contains(l.task().name())) {
                        later.add(l.task());
                    }
                }
                ts.follow(schedule, later.toArray(Task[]::new));
                return new Bound() {
                    @Override
                    public Curriculum curriculum() {
                        return ts;
                    }

                    @Override
                    public Standardiser standardiser() {
                        // each task's block standardised with its own statistics; no task's inputs are unchanged
                        int n0 = net.widths()[0];
                        double[] mean = new double[n0];
                        double[] inv = new double[n0];
                        Arrays.fill(inv, 1.0);
                        for (Tasks.Placement p : ts.placements()) {
                            Standardiser s = loaded.get(p.task().name()).standardiser();
                            System.arraycopy(s.mean(), 0, mean, p.inputOffset(), s.mean().length);
                            System.arraycopy(s.invStd(), 0, inv, p.inputOffset(), s.invStd().length);
                        }
                        return new Standardiser(mean, inv);
                    }

                    @Override
                    public Map<String, String> checkpointInfo() {
                        com.fasterxml.jackson.databind.node.ArrayNode a = TrainCommand.JSON.createArrayNode();
                        for (Tasks.Placement p : ts.placements()) {
                            com.fasterxml.jackson.databind.node.ObjectNode o = a.addObject();
                            o.put("name", p.task().name());
                            o.put("input_offset", p.inputOffset());
                            o.put("output_offset", p.outputOffset());
                            o.put("active", p.active());
                        }
                        return Map.of(LAYOUT_KEY, a.toString());
                    }

                    @Override
                    public long stepsPerEpoch(int epoch, int batch) {
                        return file.stepsOf(epoch, loaded, batch);
                    }

                    @Override
                    public int phaseOf(int epoch) {
                        return schedule.phases().indexOf(schedule.phaseAt(epoch));
                    }

                    @Override
                    public String describeTraining() {
                        StringBuilder sb = new StringBuilder(loaded.size() + " tasks (");
                        for (TaskFile.Loaded l : loaded.values()) {
                            Dataset d = l.task().train();
                            sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(l.task().name()).append(' ')
                                    .append(d.size()).append(" x ").append(d.featureCount()).append(" -> ")
                                    .append(d.classes());
                        }
                        return sb.append("), ").append(schedule.phases().size()).append(" phases").toString();
                    }

                    @Override
                    public String describeTest() {
                        Map<String, Integer> sizes = new LinkedHashMap<>();
                        loaded.values().forEach(l -> sizes.put(l.task().name(), l.task().test().size()));
                        return "per task " + sizes;
                    }
                };
            }
        };
    }

    /** The placements recorded in a checkpoint, with the tasks' data. */
    private static List<Tasks.Placement> layout(String json, Map<String, TaskFile.Loaded> loaded) {
        List<Tasks.Placement> out = new ArrayList<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode p : TrainCommand.JSON.readTree(json)) {
                TaskFile.Loaded l = loaded.get(p.path("name").asText());
                if (l == null) {
                    throw new IllegalArgumentException("the checkpoint binds task '" + p.path("name").asText()
                            + "', which the recorded task file does not define");
                }
                out.add(new Tasks.Placement(l.task(), p.path("input_offset").asInt(), p.path("output_offset").asInt(),
                        p.path("active").asBoolean()));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the checkpoint's task layout is not valid JSON: "
                    + e.getOriginalMessage());
        }
        return out;
    }
}
