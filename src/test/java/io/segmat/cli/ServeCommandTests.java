package io.segmat.cli;

import java.util.Map;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve}'s ports, refused before anything starts. What the management port serves
 * is tested in io.segmat.metrics.ManagementServerTests.
 */
class ServeCommandTests {

	private final Cli cli = new Cli(TestDatabase.shared());

	@Test
	void theManagementPortMayNotBeTheApiPort() {
		Cli.Result result = this.cli.run("serve", "--port", "18080", "--management-port", "18080");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("--management-port must differ from --port (18080)");
	}

	@Test
	void aManagementPortFromTheEnvironmentMustBeANumber() {
		Cli.Result result = this.cli.runWith(Map.of(ServeCommand.MANAGEMENT_PORT_VARIABLE, "eighty"), "serve", "--port",
				"18080");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("SEGMAT_MANAGEMENT_PORT 'eighty' is not a port number");
	}

}
