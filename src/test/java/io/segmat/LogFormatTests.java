package io.segmat;

import java.net.URL;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What segmat's logback.xml writes for a failure, with and without SEGMAT_DEBUG. */
class LogFormatTests {

	@AfterEach
	void clearProperty() {
		System.clearProperty(Segmat.LOG_EXCEPTIONS);
	}

	@Test
	void withoutDebugAFailureIsItsMessageAlone() throws Exception {
		String line = format(null);

		assertThat(line).contains("ERROR").contains("step failed").doesNotContain("\tat ").doesNotContain("relation");
		assertThat(line.lines()).hasSize(1);
	}

	@Test
	void withDebugTheStackTraceFollows() throws Exception {
		String line = format("%ex");

		assertThat(line).contains("step failed").contains("relation \"x\" does not exist").contains("\tat ");
	}

	private static String format(String exceptions) throws Exception {
		if (exceptions != null) {
			System.setProperty(Segmat.LOG_EXCEPTIONS, exceptions);
		}
		LoggerContext context = new LoggerContext();
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(context);
		URL config = LogFormatTests.class.getClassLoader().getResource("logback.xml");
		configurator.doConfigure(config);
		ConsoleAppender<?> appender = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("STDERR");
		@SuppressWarnings("unchecked")
		Encoder<Object> encoder = (Encoder<Object>) appender.getEncoder();
		LoggingEvent event = new LoggingEvent("x", context.getLogger("io.segmat.Test"), Level.ERROR, "step failed",
				new IllegalStateException("ERROR: relation \"x\" does not exist"), null);
		String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
		context.stop();
		return text;
	}

}
