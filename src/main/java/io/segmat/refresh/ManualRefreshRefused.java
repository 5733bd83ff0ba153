package io.segmat.refresh;

import java.util.UUID;

/**
 * Published when a manual refresh is refused for a quota, for whoever counts them (the
 * metrics); the refusal itself is the {@link io.segmat.LimitExceededException} the caller
 * receives.
 *
 * @param segmentId the segment whose refresh was refused
 */
public record ManualRefreshRefused(UUID segmentId) {
}
