package io.segmat;

import java.util.Locale;

import io.segmat.cli.SegmatCommand;

/** The executable jar's entry point. */
public final class Segmat {

	private Segmat() {
	}

	/** The system property logback.xml reads for the exception part of a log line. */
	static final String LOG_EXCEPTIONS = "segmat.log.exceptions";

	/** The system property logback.xml reads for the format: text, ecs or logstash. */
	static final String LOG_FORMAT = "segmat.log.format";

	/** The JSON members application.properties leaves out of a log line. */
	static final String LOG_JSON_HIDDEN = "segmat.log.json-hidden";

	public static void main(String[] args) {
		// before anything logs, so logback reads them when it configures itself
		String format = System.getenv("SEGMAT_LOG_FORMAT");
		if (format != null && !configureLogFormat(format)) {
			System.err.println("error: SEGMAT_LOG_FORMAT must be text, json or logstash");
			System.exit(2);
		}
		if (System.getenv("SEGMAT_DEBUG") != null) {
			System.setProperty(LOG_EXCEPTIONS, "%ex");
			System.setProperty(LOG_JSON_HIDDEN, "");
		}
		System.exit(SegmatCommand.execute(args, System.getenv()));
	}

	/**
	 * Tells logback the format of {@code SEGMAT_LOG_FORMAT}: text (the default), json
	 * (Elastic Common Schema) or logstash.
	 * @return false when the format is none of those
	 */
	static boolean configureLogFormat(String format) {
		String structured = switch (format.trim().toLowerCase(Locale.ROOT)) {
			case "", "text" -> "text";
			case "json", "ecs" -> "ecs";
			case "logstash" -> "logstash";
			default -> null;
		};
		if (structured == null) {
			return false;
		}
		System.setProperty(LOG_FORMAT, structured);
		return true;
	}

}
