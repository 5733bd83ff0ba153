package io.segmat.query;

import java.util.List;

/**
 * A SELECT returning the column {@code contact_key}, with its positional parameters in
 * order.
 */
public record ContactSelection(String sql, List<Object> parameters) {

	public ContactSelection {
		parameters = List.copyOf(parameters);
	}

}
