package io.segmat.metrics;

import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves the actuator's, Micrometer's and health's auto-configurations out of a context
 * that did not ask for metrics ({@link Metrics}): a {@code segments list} starts no meter
 * registry, binders, observation registry, health contributors or endpoints, which would
 * only cost it start-up time. Matched by package and name, so that what a later Boot adds
 * to those families stays out too.
 */
class ManagementAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	private static final Pattern MANAGEMENT = Pattern
		.compile("^org\\.springframework\\.boot\\.(?:actuate|micrometer|health)\\..*"
				+ "|^org\\.springframework\\.boot\\..*\\.(?:actuate|metrics|health|observation)\\..*"
				+ "|.*(?:Observation|Endpoint|Metrics|HealthContributor)AutoConfiguration$");

	private boolean enabled;

	@Override
	public void setEnvironment(Environment environment) {
		this.enabled = environment.getProperty(Metrics.ENABLED, Boolean.class, false);
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < matches.length; i++) {
			String name = autoConfigurationClasses[i];
			matches[i] = this.enabled || name == null || !MANAGEMENT.matcher(name).matches();
		}
		return matches;
	}

}
