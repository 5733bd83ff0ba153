package io.segmat.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.segmat.CsvCells;
import io.segmat.segments.SegmentMembers.Member;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * A membership as RFC 4180 CSV: CRLF between records, a cell holding a comma, a quote, a
 * CR or a LF quoted, and, unless told otherwise, formula cells neutralized
 * ({@link CsvCells}).
 */
final class MembersCsv {

	static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
		.setRecordSeparator("\r\n")
		.setQuoteMode(QuoteMode.MINIMAL)
		.setHeader("contact_id", "email", "first_name", "last_name")
		.get();

	private final CSVPrinter printer;

	private final boolean escapeFormulas;

	MembersCsv(Appendable out, boolean escapeFormulas) {
		this.escapeFormulas = escapeFormulas;
		try {
			this.printer = new CSVPrinter(out, FORMAT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void print(Member member) {
		try {
			this.printer.printRecord(cell(member.contactId()), cell(member.email()), cell(member.firstName()),
					cell(member.lastName()));
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
