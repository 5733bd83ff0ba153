package io.segmat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options {@code bin/segmat} starts a command with: which commands run on the
 * JIT's first tier only. A stand-in {@code java} first on the PATH prints what it was
 * given, so nothing starts.
 */
class LauncherScriptTests {

	private static final String FIRST_TIER_ONLY = "-XX:TieredStopAtLevel=1";

	@TempDir
	Path bin;

	@Test
	void aRefreshRunsOnTheFirstTierOnly() throws Exception {
		// when a refresh, as cron starts it, and a small command are launched
		String refresh = launch("refresh", "--slot-interval", "15m");
		String list = launch("fields", "list");

		// then both run on the first tier, with their arguments passed on
		assertThat(refresh).contains(FIRST_TIER_ONLY).endsWith("refresh --slot-interval 15m");
		assertThat(list).contains(FIRST_TIER_ONLY).endsWith("fields list");
	}

	@Test
	void commandsThatMoveRowsThroughTheJvmOrServeKeepBothTiers() throws Exception {
		// when commands that import, export, deliver or serve are launched
		List<String> launched = List.of(launch("contacts", "import", "contacts.csv"),
				launch("contacts", "export", "--format", "csv"), launch("changes", "deliver"), launch("serve"),
				launch("demo"));

		// then none is held to the first tier
		assertThat(launched).allSatisfy((arguments) -> assertThat(arguments).doesNotContain(FIRST_TIER_ONLY));
	}

	/** Runs bin/segmat with the stand-in java; returns the arguments java was given. */
	private String launch(String... arguments) throws IOException, InterruptedException {
		Path java = this.bin.resolve("java");
		if (!Files.exists(java)) {
			Files.writeString(java, "#!/bin/sh\necho \"$*\"\n", StandardCharsets.UTF_8);
			Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		List<String> command = new ArrayList<>(List.of("sh", "bin/segmat"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PATH", this.bin + ":" + System.getenv("PATH"));
		builder.environment().remove("SEGMAT_JAVA_OPTS");
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

}
