package io.segmat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What segmat's logback.xml writes for a failure, with and without SEGMAT_DEBUG, as text
 * and as JSON (SEGMAT_LOG_FORMAT).
 */
class LogFormatTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, String> REFRESH_CONTEXT = Map.of("job_execution_id", "42", "segment_id",
			"7f1e1c44-4c1f-4d6c-9a0e-1b2c3d4e5f60");

	@AfterEach
	void clearProperties() {
		System.clearProperty(Segmat.LOG_EXCEPTIONS);
		System.clearProperty(Segmat.LOG_FORMAT);
		System.clearProperty(Segmat.LOG_JSON_HIDDEN);
	}

	@Test
	void withoutDebugAFailureIsItsMessageAlone() throws Exception {
		String line = format();

		assertThat(line).contains("ERROR").contains("step failed").doesNotContain("\tat ").doesNotContain("relation");
		assertThat(line.lines()).hasSize(1);
	}

	@Test
	void withDebugTheStackTraceFollows() throws Exception {
		System.setProperty(Segmat.LOG_EXCEPTIONS, "%ex");

		String line = format();

		assertThat(line).contains("step failed").contains("relation \"x\" does not exist").contains("\tat ");
	}

	@Test
	void jsonIsOneEcsObjectALineWithTheRefreshContextAndWithoutTheException() throws Exception {
		assertThat(Segmat.configureLogFormat("json")).isTrue();

		String line = format();

		assertThat(line.lines()).hasSize(1);
		JsonNode json = JSON.readTree(line);
		assertThat(json.path("message").asString()).isEqualTo("step failed");
		assertThat(json.path("log").path("level").asString()).isEqualTo("ERROR");
		assertThat(json.path("ecs").path("version").isMissingNode()).isFalse();
		assertThat(json.path("service").path("name").asString()).isEqualTo("segmat");
		assertThat(json.path("job_execution_id").asString()).isEqualTo("42");
		assertThat(json.path("segment_id").asString()).isEqualTo(REFRESH_CONTEXT.get("segment_id"));
		assertThat(line).doesNotContain("relation").doesNotContain("\\tat ");
	}

	@Test
	void jsonWithDebugCarriesTheStackTrace() throws Exception {
		Segmat.configureLogFormat("json");
		System.setProperty(Segmat.LOG_JSON_HIDDEN, "");

		JsonNode json = JSON.readTree(format());

		assertThat(json.path("error").path("stack_trace").asString()).contains("relation \"x\" does not exist")
			.contains("\tat ");
	}

	@Test
	void logstashIsTheOtherJsonFormat() throws Exception {
		Segmat.configureLogFormat("logstash");

		String line = format();

		JsonNode json = JSON.readTree(line);
		assertThat(json.path("@timestamp").isMissingNode()).isFalse();
		assertThat(json.path("message").asString()).isEqualTo("step failed");
		assertThat(json.path("level").asString()).isEqualTo("ERROR");
		assertThat(json.path("segment_id").asString()).isEqualTo(REFRESH_CONTEXT.get("segment_id"));
		assertThat(line).doesNotContain("relation").doesNotContain("stack_trace");
	}

	@Test
	void anUnknownFormatIsRefused() {
		assertThat(Segmat.configureLogFormat("xml")).isFalse();
		assertThat(System.getProperty(Segmat.LOG_FORMAT)).isNull();
	}

	/**
	 * Configures logback as a command starts, before Spring: a fresh context from
	 * logback.xml, with no warning (logback would print its warnings to stdout).
	 */
	private static String format() throws Exception {
		LoggerContext context = new LoggerContext();
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(context);
		URL config = LogFormatTests.class.getClassLoader().getResource("logback.xml");
		configurator.doConfigure(config);
		assertThat(context.getStatusManager().getCopyOfStatusList()).extracting(Status::getLevel)
			.allMatch((level) -> level == Status.INFO);
		ConsoleAppender<?> appender = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("STDERR");
		@SuppressWarnings("unchecked")
		Encoder<Object> encoder = (Encoder<Object>) appender.getEncoder();
		LoggingEvent event = new LoggingEvent("x", context.getLogger("io.segmat.Test"), Level.ERROR, "step failed",
				new IllegalStateException("ERROR: relation \"x\" does not exist"), null);
		event.setMDCPropertyMap(REFRESH_CONTEXT);
		String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
		context.stop();
		return text;
	}

}
