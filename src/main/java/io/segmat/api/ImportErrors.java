package io.segmat.api;

import java.util.List;

import io.segmat.ingest.RowError;

/**
 * What an import status's {@code errors_url} answers: the first errored contacts
 * (ImportTally keeps {@value io.segmat.ingest.ImportTally#MAX_ERRORS}; errored_count
 * counts them all), each in SendGrid's error shape. {@code field} names the contact by
 * its index in the request and the field at fault, {@code contacts[3].first_name}, or by
 * its line when the import was a file ({@code line 4.first_name}).
 */
record ImportErrors(List<ImportError> errors) {

	static ImportErrors of(List<RowError> errors, boolean fromRequest) {
		return new ImportErrors(errors.stream().map((error) -> {
			String contact = fromRequest ? "contacts[" + (error.line() - 1) + "]" : "line " + error.line();
			return new ImportError((error.field() != null) ? contact + "." + error.field() : contact, error.reason());
		}).toList());
	}

	record ImportError(String field, String message) {
	}

}
