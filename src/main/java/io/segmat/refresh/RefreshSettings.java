package io.segmat.refresh;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tunables of the refresh, bound from {@code segmat.refresh.*} (or SEGMAT_REFRESH_* in
 * the environment).
 *
 * @param evaluationInterval how long after its last evaluation a segment whose
 * dependencies changed, or whose query reads the clock, is evaluated again
 * @param statementTimeout the longest any statement of one segment's evaluation may run
 * (its membership statement, its sample, and the step's updates before its commit)
 * @param threads the default number of segments evaluated in parallel
 * @param maxSampleInterval the longest the count-and-sample refresh backs off to
 * @param incrementalMaxFraction above this share of all contacts changed since a
 * segment's last evaluation, it is evaluated in full rather than for the changed contacts
 * only
 * @param incrementalMinimum however small the table, this many changed contacts are still
 * evaluated incrementally
 */
@ConfigurationProperties("segmat.refresh")
public record RefreshSettings(Duration evaluationInterval, Duration statementTimeout, Integer threads,
		Duration maxSampleInterval, Double incrementalMaxFraction, Long incrementalMinimum) {

	public RefreshSettings {
		evaluationInterval = (evaluationInterval != null) ? evaluationInterval : Duration.ofHours(1);
		statementTimeout = (statementTimeout != null) ? statementTimeout : Duration.ofMinutes(5);
		threads = (threads != null) ? threads : 2;
		maxSampleInterval = (maxSampleInterval != null) ? maxSampleInterval : Duration.ofHours(24);
		incrementalMaxFraction = (incrementalMaxFraction != null) ? incrementalMaxFraction : 0.05;
		incrementalMinimum = (incrementalMinimum != null) ? incrementalMinimum : 1000L;
	}

}
