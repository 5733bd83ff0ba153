package io.segmat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options {@code bin/segmat} starts a command with: which commands run on the
 * JIT's first tier only, and when the class data sharing archive is left out. A stand-in
 * {@code java} first on the PATH prints what it was given, so nothing starts.
 */
class LauncherScriptTests {

	private static final String FIRST_TIER_ONLY = "-XX:TieredStopAtLevel=1";

	private static final String ARCHIVE = "-XX:SharedArchiveFile=";

	@TempDir
	Path bin;

	@TempDir
	Path root;

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

	@Test
	void aBuiltLauncherStartsFromItsArchive() throws Exception {
		// given a build whose archive is newer than its jar
		Path launcher = builtCopy();

		// when a refresh is launched with no agent
		String refresh = launch(launcher, Map.of(), "refresh");

		// then it starts from the extracted jar with the archive
		assertThat(refresh).contains(ARCHIVE).contains("segmat-app/segmat.jar").endsWith("refresh");
	}

	@Test
	void anAgentOrAFlightRecordingStartsWithoutTheArchive() throws Exception {
		// given a build whose archive is newer than its jar
		Path launcher = builtCopy();

		// when commands are launched with an agent or a recording in each variable the
		// JVM reads options from
		List<String> launched = List.of(
				launch(launcher, Map.of("SEGMAT_JAVA_OPTS", "-Xmx512m -javaagent:/opt/apm/agent.jar"), "refresh"),
				launch(launcher, Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=r.jfr"), "refresh"),
				launch(launcher, Map.of("JDK_JAVA_OPTIONS", "-agentpath:/opt/apm/libagent.so"), "fields", "list"));

		// then none uses the archive (OpenJDK 17 crashes on its classes then), and each
		// runs the jar itself
		assertThat(launched).allSatisfy((arguments) -> assertThat(arguments).doesNotContain(ARCHIVE)
			.contains(this.root.resolve("target/segmat.jar").toString()));
	}

	/**
	 * A copy of bin/segmat in a root of its own, beside a jar and, newer than it, an
	 * extracted jar's archive, as make build leaves them.
	 */
	private Path builtCopy() throws IOException {
		Path launcher = this.root.resolve("bin/segmat");
		Files.createDirectories(launcher.getParent());
		Files.copy(Path.of("bin/segmat"), launcher);
		Path jar = Files.createDirectories(this.root.resolve("target")).resolve("segmat.jar");
		Files.writeString(jar, "");
		Path app = Files.createDirectories(this.root.resolve("target/segmat-app"));
		Files.writeString(app.resolve("segmat.jar"), "");
		Path archive = Files.writeString(app.resolve("segmat.jsa"), "");
		Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() - 60_000));
		return launcher;
	}

	/** Runs bin/segmat with the stand-in java; returns the arguments java was given. */
	private String launch(String... arguments) throws IOException, InterruptedException {
		return launch(Path.of("bin/segmat"), Map.of(), arguments);
	}

	/**
	 * Runs {@code launcher} with the stand-in java and the given variables, none other
	 * the JVM reads options from; returns the arguments java was given.
	 */
	private String launch(Path launcher, Map<String, String> variables, String... arguments)
			throws IOException, InterruptedException {
		Path java = this.bin.resolve("java");
		if (!Files.exists(java)) {
			Files.writeString(java, "#!/bin/sh\necho \"$*\"\n", StandardCharsets.UTF_8);
			Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PATH", this.bin + ":" + System.getenv("PATH"));
		builder.environment().keySet().removeAll(List.of("SEGMAT_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
		builder.environment().putAll(variables);
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

}
