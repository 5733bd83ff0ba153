package io.segmat.ingest;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper imports use: exact decimals, and one value per NDJSON line. */
public final class ImportJson {

	public static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	/** For the elements of one array: more of the array follows each one. */
	static final ObjectReader ELEMENT = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	/**
	 * For a request body on its way into a file job: all ASCII, so that every string
	 * reaches the checks as it was sent, a lone surrogate too, which has no UTF-8 form.
	 */
	public static final ObjectWriter ASCII_LINE = MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

	private ImportJson() {
	}

	/**
	 * A parser's complaint without its source excerpt, which would repeat the row back at
	 * the user.
	 */
	public static String describe(JacksonException ex) {
		String message = ex.getOriginalMessage();
		if (message == null || message.isBlank()) {
			return "malformed JSON";
		}
		int newline = message.indexOf('\n');
		return "malformed JSON: " + (newline >= 0 ? message.substring(0, newline) : message);
	}

}
