package io.segmat.contacts;

/**
 * A contact row checked by {@link ContactValidator}: in storage form, or rejected with
 * its reason.
 */
record CheckedRow(long line, ContactRow row, String error) {

	static CheckedRow valid(ContactRow row) {
		return new CheckedRow(row.line(), row, null);
	}

	static CheckedRow rejected(long line, String error) {
		return new CheckedRow(line, null, error);
	}

}
