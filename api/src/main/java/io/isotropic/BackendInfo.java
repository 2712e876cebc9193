package io.isotropic;

/**
 * What {@link Backends#describe()} reports about one discovered provider.
 *
 * @param name the provider's name
 * @param priority its priority (higher is preferred)
 * @param available whether its probe passed
 * @param reason the probe's reason
 * @param providerClass the provider's class name
 */
public record BackendInfo(String name, int priority, boolean available, String reason, String providerClass) {
}
