package io.segmat.cli;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.event.ContextClosedEvent;

/**
 * {@code segmat serve}: the SendGrid-compatible HTTP API, until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = { "Serve the SendGrid-compatible HTTP API.",
		"Keys: SEGMAT_API_KEYS (comma-separated); with none, a key is generated and printed once." })
final class ServeCommand extends DatabaseCommand {

	@Option(names = "--port", defaultValue = "8080", description = "the port (default: ${DEFAULT-VALUE})")
	int port;

	@Override
	WebApplicationType webApplicationType() {
		return WebApplicationType.SERVLET;
	}

	@Override
	Map<String, Object> properties() {
		return Map.of("server.port", this.port);
	}

	@Override
	int run(CommandContext context) {
		CountDownLatch closed = new CountDownLatch(1);
		context.context().addApplicationListener((ContextClosedEvent event) -> closed.countDown());
		context.err().println("segmat API listening on port " + this.port);
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
