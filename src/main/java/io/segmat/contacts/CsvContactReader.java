package io.segmat.contacts;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.segmat.fields.ReservedField;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.SourceRecord;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads a contacts CSV (RFC 4180: commas, double quotes, quotes doubled inside quotes,
 * line breaks inside quotes) whose header names reserved and custom fields, and turns
 * each row into the NDJSON contact shape so one validator serves both formats.
 * <p>
 * An empty cell means the row leaves that field out (CSV cannot tell "empty" from
 * "absent", and clearing every blank cell would wipe data that a partial CSV never meant
 * to touch). {@code list_ids} and {@code alternate_emails} cells hold {@code ;}-separated
 * values.
 */
class CsvContactReader extends AbstractItemCountingItemStreamItemReader<SourceRecord> {

	/** Its name in a step's ExecutionContext. */
	static final String NAME = "csvContactReader";

	private final Path file;

	private BufferedReader in;

	private List<String> header;

	private String headerError;

	private long lineNumber;

	private int pending = -2;

	CsvContactReader(Path file) {
		this.file = file;
		setName(NAME);
	}

	@Override
	protected void doOpen() throws IOException {
		this.in = Files.newBufferedReader(this.file, StandardCharsets.UTF_8);
		this.lineNumber = 1;
		if (peek() == '\uFEFF') {
			next();
		}
		Row row = readRow();
		if (row == null || row.error() != null) {
			this.headerError = (row == null) ? "the file is empty" : "header: " + row.error();
			return;
		}
		List<String> names = new ArrayList<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String cell : row.cells()) {
			String name = cell.trim();
			Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), names.size() + 1);
			if (first != null) {
				// field names compare case-insensitively; which of two values would win
				// is
				// a guess the file's author should not have to make
				this.headerError = "header: column '" + name + "' appears twice (columns " + first + " and "
						+ (names.size() + 1) + ")";
				return;
			}
			names.add(name);
		}
		this.header = names;
	}

	@Override
	protected SourceRecord doRead() throws IOException {
		if (this.header == null) {
			if (this.headerError == null) {
				return null;
			}
			// Reported once, as the only record, so the import explains why nothing was
			// read.
			String error = this.headerError;
			this.headerError = null;
			return SourceRecord.unreadable(1, error);
		}
		Row row;
		do {
			row = readRow();
		}
		while (row != null && row.error() == null && row.cells().size() == 1 && row.cells().get(0).isBlank());
		if (row == null) {
			return null;
		}
		if (row.error() != null) {
			return SourceRecord.unreadable(row.line(), row.error());
		}
		if (row.cells().size() != this.header.size()) {
			return SourceRecord.unreadable(row.line(), "malformed CSV: the row has " + row.cells().size()
					+ " values but the header has " + this.header.size());
		}
		return SourceRecord.of(row.line(), toContact(row.cells()));
	}

	private ObjectNode toContact(List<String> cells) {
		ObjectNode contact = ImportJson.MAPPER.createObjectNode();
		ObjectNode custom = null;
		for (int i = 0; i < cells.size(); i++) {
			String name = this.header.get(i);
			String value = cells.get(i);
			if (value.isEmpty()) {
				continue;
			}
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.equals("list_ids") || lower.equals("alternate_emails")) {
				ArrayNode values = contact.putArray(lower);
				for (String part : value.split(";", -1)) {
					if (!part.isBlank()) {
						values.add(part.trim());
					}
				}
			}
			else if (ReservedField.isReserved(name)) {
				contact.put(lower, value);
			}
			else {
				if (custom == null) {
					custom = contact.putObject("custom_fields");
				}
				custom.put(name, value);
			}
		}
		return contact;
	}

	/** One CSV record, or why it is malformed; null at the end of the file. */
	private Row readRow() throws IOException {
		if (peek() == -1) {
			return null;
		}
		long start = this.lineNumber;
		List<String> cells = new ArrayList<>();
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		boolean afterQuote = false;
		String error = null;
		while (true) {
			int c = next();
			if (quoted) {
				if (c == -1) {
					return new Row(start, null, "malformed CSV: a quoted value is not closed");
				}
				if (c == '"') {
					if (peek() == '"') {
						next();
						cell.append('"');
					}
					else {
						quoted = false;
						afterQuote = true;
					}
				}
				else {
					cell.append((char) c);
				}
				continue;
			}
			if (c == -1 || c == '\n' || c == '\r') {
				if (c == '\r' && peek() == '\n') {
					next();
				}
				cells.add(cell.toString());
				return new Row(start, cells, error);
			}
			if (c == ',') {
				cells.add(cell.toString());
				cell.setLength(0);
				afterQuote = false;
			}
			else if (c == '"' && cell.isEmpty() && !afterQuote) {
				quoted = true;
			}
			else if (afterQuote || c == '"') {
				// Keep reading to the end of the record so the next one starts in the
				// right place.
				if (error == null) {
					error = "malformed CSV: unexpected character after a quoted value or a stray quote in column "
							+ (cells.size() + 1);
				}
				cell.append((char) c);
			}
			else {
				cell.append((char) c);
			}
		}
	}

	private int peek() throws IOException {
		if (this.pending == -2) {
			this.pending = this.in.read();
		}
		return this.pending;
	}

	private int next() throws IOException {
		int c = peek();
		this.pending = -2;
		if (c == '\n') {
			this.lineNumber++;
		}
		else if (c == '\r' && peek() != '\n') {
			this.lineNumber++;
		}
		return c;
	}

	@Override
	protected void doClose() throws IOException {
		if (this.in != null) {
			this.in.close();
			this.in = null;
		}
		this.header = null;
		this.headerError = null;
		this.pending = -2;
	}

	private record Row(long line, List<String> cells, String error) {
	}

}
