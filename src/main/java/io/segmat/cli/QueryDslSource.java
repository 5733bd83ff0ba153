package io.segmat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.segmat.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * {@code --query-dsl Q} or {@code --query-dsl-file F} ({@code -} for stdin): a query can
 * outgrow an argument.
 */
final class QueryDslSource {

	@Option(names = "--query-dsl", paramLabel = "Q", description = "the segment's query_dsl")
	String text;

	@Option(names = "--query-dsl-file", paramLabel = "F", description = "read query_dsl from a file, or - for stdin")
	String file;

	String read(InputStream stdin) {
		if (this.text != null) {
			return this.text;
		}
		try {
			return "-".equals(this.file) ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip()
					: Files.readString(Path.of(this.file), StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new InvalidInputException("query_dsl", "cannot read " + this.file + ": " + ex.getMessage());
		}
	}

}
