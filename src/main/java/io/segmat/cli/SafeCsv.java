package io.segmat.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.segmat.CsvCells;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * What the command line prints as CSV (a membership, a change feed): RFC 4180, CRLF
 * between records, a cell holding a comma, a quote, a CR or a LF quoted, and, unless told
 * otherwise, formula cells neutralized ({@link CsvCells}).
 */
final class SafeCsv {

	private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
		.setRecordSeparator("\r\n")
		.setQuoteMode(QuoteMode.MINIMAL)
		.get();

	private final CSVPrinter printer;

	private final boolean escapeFormulas;

	SafeCsv(Appendable out, boolean escapeFormulas, String... header) {
		this.escapeFormulas = escapeFormulas;
		try {
			this.printer = new CSVPrinter(out, FORMAT.builder().setHeader(header).get());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One record; a null cell is empty. */
	void print(String... cells) {
		try {
			for (String value : cells) {
				this.printer.print(cell(value));
			}
			this.printer.println();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void flush() {
		try {
			this.printer.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String cell(String value) {
		if (value == null) {
			return "";
		}
		return this.escapeFormulas ? CsvCells.formulaSafe(value) : value;
	}

}
