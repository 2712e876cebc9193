/**
 * Training: losses, optimisers (SGD with momentum, Adam, AdamW) with per-parameter state keyed by stable names,
 * learning-rate schedules, the mini-batch {@link io.isotropic.train.Trainer} with listeners, and evaluation.
 * Depends on {@code nn}, {@code data}, {@code spi}, {@code tensor} (its seeded streams); used by {@code adapt} (which
 * transforms optimiser state) and the cli, and does not depend on {@code adapt}.
 */
package io.isotropic.train;
