package io.segmat.metrics;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Spring Boot properties that turn metrics on: for {@code serve}, the management
 * server with health and the Prometheus scrape; for a short-lived command run with
 * {@code SEGMAT_PUSHGATEWAY_URL}, Boot's Pushgateway push on shutdown. Anything else
 * starts none of it.
 */
public final class Metrics {

	/** The property every metrics-related configuration is conditional on. */
	static final String ENABLED = "segmat.metrics.enabled";

	/** The variable naming the Pushgateway, {@code http(s)://host:port}. */
	public static final String PUSHGATEWAY_URL_VARIABLE = "SEGMAT_PUSHGATEWAY_URL";

	/** The grouping key's instance; one per installation (or account), not per pod. */
	public static final String PUSHGATEWAY_INSTANCE_VARIABLE = "SEGMAT_PUSHGATEWAY_INSTANCE";

	static final String DEFAULT_INSTANCE = "segmat";

	/**
	 * The commands that run a job and push their figures; their job label is
	 * {@code segmat-} and the command's words joined by dashes.
	 */
	private static final Set<String> PUSHING_COMMANDS = Set.of("refresh", "run", "restart", "contacts import",
			"contacts delete", "events import");

	private static final String PUSHGATEWAY = "management.prometheus.metrics.export.pushgateway.";

	private Metrics() {
	}

	/**
	 * {@code serve}'s management server: health (liveness; readiness with the database)
	 * and the Prometheus scrape on their own port, outside the API's key and off the API
	 * port.
	 */
	public static Map<String, Object> forServe(int managementPort) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(ENABLED, true);
		properties.put("management.server.port", managementPort);
		properties.put("management.endpoints.web.exposure.include", "health,prometheus");
		properties.put("management.endpoint.health.probes.enabled", true);
		properties.put("management.endpoint.health.group.liveness.include", "livenessState");
		properties.put("management.endpoint.health.group.readiness.include", "readinessState,db");
		// Which check failed, not why: details (the database's product, its error) stay
		// hidden.
		properties.put("management.endpoint.health.group.readiness.show-components", "always");
		return properties;
	}

	/**
	 * What a command needs: with {@code SEGMAT_PUSHGATEWAY_URL} set and a command that
	 * runs a job, metrics and a push of them when the command's context closes; otherwise
	 * nothing.
	 * @param command the command's words after {@code segmat}, such as
	 * {@code contacts import}
	 * @throws IllegalArgumentException when the URL is not {@code http(s)://host:port}
	 */
	public static Map<String, Object> forCommand(String command, Map<String, String> env) {
		String url = env.get(PUSHGATEWAY_URL_VARIABLE);
		if (url == null || url.isBlank() || !PUSHING_COMMANDS.contains(command)) {
			return Map.of();
		}
		URI address = pushgateway(url.trim());
		String instance = env.getOrDefault(PUSHGATEWAY_INSTANCE_VARIABLE, DEFAULT_INSTANCE);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(ENABLED, true);
		properties.put(PUSHGATEWAY + "enabled", true);
		properties.put(PUSHGATEWAY + "scheme", address.getScheme());
		properties.put(PUSHGATEWAY + "address",
				address.getHost() + ":" + ((address.getPort() != -1) ? address.getPort() : defaultPort(address)));
		properties.put(PUSHGATEWAY + "job", "segmat-" + command.replace(' ', '-'));
		properties.put(PUSHGATEWAY + "grouping-key.instance", instance.isBlank() ? DEFAULT_INSTANCE : instance);
		// PUT replaces the group's figures with this run's: a metric the run did not
		// record does not linger from an earlier one.
		properties.put(PUSHGATEWAY + "shutdown-operation", "put");
		// The text format, which people and tests can read; the Pushgateway takes both.
		properties.put(PUSHGATEWAY + "format", "text");
		return properties;
	}

	private static URI pushgateway(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(PUSHGATEWAY_URL_VARIABLE + " '" + url + "' is not a URL", ex);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		boolean bare = uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath());
		if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare
				|| uri.getQuery() != null || uri.getUserInfo() != null) {
			throw new IllegalArgumentException(
					PUSHGATEWAY_URL_VARIABLE + " must be http://host:port or https://host:port, not '" + url + "'");
		}
		return uri;
	}

	private static int defaultPort(URI uri) {
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
