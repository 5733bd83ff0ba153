package io.segmat.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.segmat.metrics.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * {@code segmat serve}: the SendGrid-compatible HTTP API, until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = { "Serve the SendGrid-compatible HTTP API.",
		"Keys: SEGMAT_API_KEYS (comma-separated); with none, a key is generated and printed once.",
		"Health (/actuator/health, .../liveness, .../readiness) and /actuator/prometheus: on the management port." })
final class ServeCommand extends DatabaseCommand {

	static final String MANAGEMENT_PORT_VARIABLE = "SEGMAT_MANAGEMENT_PORT";

	static final int DEFAULT_MANAGEMENT_PORT = 8081;

	@Option(names = "--port", defaultValue = "8080", description = "the port (default: ${DEFAULT-VALUE})")
	int port;

	@Option(names = "--management-port", paramLabel = "PORT",
			description = "the port of health and the Prometheus scrape, never behind the API key "
					+ "(default: SEGMAT_MANAGEMENT_PORT, else 8081)")
	Integer managementPort;

	@Override
	WebApplicationType webApplicationType() {
		return WebApplicationType.SERVLET;
	}

	@Override
	Map<String, Object> properties() {
		int management = managementPort();
		if (management == this.port && this.port != 0) {
			throw new IllegalArgumentException("--management-port must differ from --port (" + this.port
					+ "): the scrape and health stay off the API port");
		}
		Map<String, Object> properties = new HashMap<>(Metrics.forServe(management));
		properties.put("server.port", this.port);
		return properties;
	}

	private int managementPort() {
		if (this.managementPort != null) {
			return this.managementPort;
		}
		String configured = root().env().get(MANAGEMENT_PORT_VARIABLE);
		if (configured == null || configured.isBlank()) {
			return DEFAULT_MANAGEMENT_PORT;
		}
		try {
			return Integer.parseInt(configured.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(MANAGEMENT_PORT_VARIABLE + " '" + configured + "' is not a port number");
		}
	}

	@Override
	int run(CommandContext context) {
		CountDownLatch closed = new CountDownLatch(1);
		context.context().addApplicationListener((ContextClosedEvent event) -> closed.countDown());
		Environment environment = context.context().getEnvironment();
		context.err()
			.println("segmat API listening on port " + environment.getProperty("local.server.port", "" + this.port)
					+ ", health and metrics on port "
					+ environment.getProperty("local.management.port", "" + managementPort()));
		context.err().flush();
		try {
			closed.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return ExitCodes.OK;
	}

}
