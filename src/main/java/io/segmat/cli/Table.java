package io.segmat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * A plain aligned text table for people; --json variants serve scripts. Cells are
 * {@link Printable}: a value cannot move the cursor or break a row.
 */
final class Table {

	private Table() {
	}

	static void print(PrintWriter out, List<Map<String, Object>> rows, List<String> columns) {
		int[] widths = new int[columns.size()];
		for (int i = 0; i < columns.size(); i++) {
			widths[i] = columns.get(i).length();
			for (Map<String, Object> row : rows) {
				widths[i] = Math.max(widths[i], text(row.get(columns.get(i))).length());
			}
		}
		StringBuilder header = new StringBuilder();
		for (int i = 0; i < columns.size(); i++) {
			header.append(pad(columns.get(i), widths[i], i == columns.size() - 1));
		}
		out.println(header.toString().stripTrailing());
		for (Map<String, Object> row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < columns.size(); i++) {
				line.append(pad(text(row.get(columns.get(i))), widths[i], i == columns.size() - 1));
			}
			out.println(line.toString().stripTrailing());
		}
		out.flush();
	}

	private static String pad(String text, int width, boolean last) {
		return last ? text : String.format("%-" + width + "s  ", text);
	}

	private static String text(Object value) {
		return Printable.of(value);
	}

}
