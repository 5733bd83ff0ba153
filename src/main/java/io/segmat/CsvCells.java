package io.segmat;

/**
 * The formula-safety rule every CSV segmat writes follows. Most exports are opened in a
 * spreadsheet, which runs a cell starting with {@code = + - @}, tab or CR as a formula
 * (OWASP's "CSV injection"): such a cell gets a leading {@code '}, which spreadsheets
 * read as "text".
 */
public final class CsvCells {

	private CsvCells() {
	}

	/** The value as a spreadsheet may open it; null is an empty cell. */
	public static String formulaSafe(String value) {
		if (value == null) {
			return "";
		}
		return isFormula(value) ? "'" + value : value;
	}

	public static boolean isFormula(String value) {
		if (value.isEmpty()) {
			return false;
		}
		char first = value.charAt(0);
		return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
	}

}
