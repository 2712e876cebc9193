/**
 * Tasks that come and go on one live network (method.md sections 6.3 and 11.3): a {@link io.isotropic.task.Task}
 * (training and test data, a loss and a weight), {@link io.isotropic.task.Tasks} (the tasks bound to a network, each
 * with an input block and an output head, appended, removed, activated and deactivated between any two steps, with
 * the optimiser's state following every change) and {@link io.isotropic.task.TaskSchedule} (phases as plain data).
 * {@code Tasks} is a {@link io.isotropic.train.Curriculum}, so the one {@link io.isotropic.train.Trainer} trains it.
 * Depends on {@code train}, {@code adapt}, {@code nn}, {@code data}, {@code tensor}.
 */
package io.isotropic.task;
