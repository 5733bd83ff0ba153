package io.segmat.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads JSON records from a file holding either one JSON value a line (NDJSON) or one
 * JSON array, whichever the first non-blank character says. Each record carries the line
 * it starts on.
 * <p>
 * Restart position is the item count kept by the base class: on restart the records
 * before it are read again and dropped, which costs a re-parse but needs no byte offsets.
 */
public class JsonRecordReader extends AbstractItemCountingItemStreamItemReader<SourceRecord> {

	/** Its name in a step's ExecutionContext. */
	public static final String NAME = "jsonRecordReader";

	private final Path file;

	private BufferedReader lines;

	private JsonParser array;

	private long lineNumber;

	private long leadingLines;

	private boolean finished;

	public JsonRecordReader(Path file) {
		this.file = file;
		setName(NAME);
	}

	@Override
	protected void doOpen() throws IOException {
		PushbackReader reader = new PushbackReader(Files.newBufferedReader(this.file, StandardCharsets.UTF_8), 1);
		int first = skipBlank(reader);
		if (first != -1) {
			reader.unread(first);
		}
		if (first == '[') {
			// The blank lines before the array were consumed above; the parser counts
			// from its '['.
			this.array = ImportJson.MAPPER.createParser((Reader) reader);
			this.array.nextToken();
		}
		else {
			this.lines = new BufferedReader(reader);
		}
	}

	private int skipBlank(PushbackReader reader) throws IOException {
		int c = reader.read();
		if (c == '\uFEFF') {
			c = reader.read();
		}
		while (c != -1 && Character.isWhitespace(c)) {
			if (c == '\n') {
				this.leadingLines++;
			}
			c = reader.read();
		}
		this.lineNumber = this.leadingLines;
		return c;
	}

	@Override
	protected SourceRecord doRead() throws IOException {
		if (this.finished) {
			return null;
		}
		return (this.array != null) ? readArrayElement() : readLine();
	}

	private SourceRecord readLine() throws IOException {
		String text;
		while ((text = this.lines.readLine()) != null) {
			this.lineNumber++;
			if (!text.isBlank()) {
				try {
					return SourceRecord.of(this.lineNumber, ImportJson.MAPPER.readTree(text));
				}
				catch (JacksonException ex) {
					return SourceRecord.unreadable(this.lineNumber, ImportJson.describe(ex));
				}
			}
		}
		this.finished = true;
		return null;
	}

	private SourceRecord readArrayElement() {
		long line = this.leadingLines + 1;
		try {
			JsonToken token = this.array.nextToken();
			line = this.leadingLines + this.array.currentTokenLocation().getLineNr();
			if (token == null || token == JsonToken.END_ARRAY) {
				this.finished = true;
				return null;
			}
			return SourceRecord.of(line, ImportJson.ELEMENT.readTree(this.array));
		}
		catch (JacksonException ex) {
			// Past a syntax error inside one array there is no telling where the next
			// element starts.
			this.finished = true;
			long at = (ex.getLocation() != null && ex.getLocation().getLineNr() > 0)
					? this.leadingLines + ex.getLocation().getLineNr() : line;
			return SourceRecord.unreadable(at, ImportJson.describe(ex) + " (the rest of the array was not read)");
		}
	}

	@Override
	protected void doClose() throws IOException {
		if (this.array != null) {
			this.array.close();
			this.array = null;
		}
		if (this.lines != null) {
			this.lines.close();
			this.lines = null;
		}
		this.finished = false;
		this.lineNumber = 0;
		this.leadingLines = 0;
	}

}
