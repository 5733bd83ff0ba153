package io.segmat;

import java.io.IOException;
import java.io.UncheckedIOException;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The one encoder of segmat's stderr: its {@code pattern} for the text format (the
 * default), or Spring Boot's structured logging for {@code json} (Elastic Common Schema)
 * and {@code logstash}, one JSON object a line. One appender whose encoder chooses,
 * rather than an appender per format: logback warns of an appender it does not use, and
 * prints its warnings to stdout, which belongs to the command's results.
 * <p>
 * Boot's structured encoder reads its settings from the Spring Environment, which it
 * finds in logback's context once Boot has configured logging. A command logs before that
 * (while it starts the embedded database); until then the settings come from the system
 * properties, the environment and application.properties.
 */
public class LogEncoder extends EncoderBase<ILoggingEvent> {

	private String pattern;

	private String format = "text";

	private Encoder<ILoggingEvent> delegate;

	public void setPattern(String pattern) {
		this.pattern = pattern;
	}

	public void setFormat(String format) {
		this.format = format;
	}

	@Override
	public void start() {
		this.delegate = "text".equals(this.format) ? text() : structured();
		super.start();
	}

	private Encoder<ILoggingEvent> text() {
		PatternLayoutEncoder text = new PatternLayoutEncoder();
		text.setContext(getContext());
		text.setPattern(this.pattern);
		text.start();
		return text;
	}

	private Encoder<ILoggingEvent> structured() {
		if (getContext().getObject(Environment.class.getName()) == null) {
			getContext().putObject(Environment.class.getName(), beforeSpring());
		}
		StructuredLogEncoder structured = new StructuredLogEncoder();
		structured.setContext(getContext());
		structured.setFormat(this.format);
		structured.start();
		return structured;
	}

	private static Environment beforeSpring() {
		StandardEnvironment environment = new StandardEnvironment();
		try {
			environment.getPropertySources()
				.addLast(new ResourcePropertySource("segmat", "classpath:application.properties"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read application.properties", ex);
		}
		return environment;
	}

	@Override
	public byte[] headerBytes() {
		return this.delegate.headerBytes();
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		return this.delegate.encode(event);
	}

	@Override
	public byte[] footerBytes() {
		return this.delegate.footerBytes();
	}

	@Override
	public void stop() {
		if (this.delegate != null) {
			this.delegate.stop();
		}
		super.stop();
	}

}
