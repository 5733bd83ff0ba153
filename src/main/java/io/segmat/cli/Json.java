package io.segmat.cli;

import java.io.PrintWriter;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Command results on stdout, as pretty JSON that scripts can pipe. */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private Json() {
	}

	static void print(PrintWriter out, Object value) {
		out.println(MAPPER.writeValueAsString(value));
		out.flush();
	}

}
