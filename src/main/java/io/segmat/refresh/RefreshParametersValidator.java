package io.segmat.refresh;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/** A missing or malformed parameter stops the launch before anything runs (exit 2). */
final class RefreshParametersValidator implements JobParametersValidator {

	static final int MAX_THREADS = 64;

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		String slot = parameters.getString(RefreshParameters.SLOT);
		if (slot == null || slot.isBlank()) {
			throw new InvalidJobParametersException("the parameter 'slot' is required, e.g. slot=2026-11-28T21:45:00Z");
		}
		check(RefreshParameters.SLOT, slot);
		String asOf = parameters.getString(RefreshParameters.AS_OF);
		if (asOf == null) {
			throw new InvalidJobParametersException("the parameter 'asOf' is required");
		}
		check(RefreshParameters.AS_OF, asOf);
		Long threads = parameters.getLong(RefreshParameters.THREADS);
		if (threads == null || threads < 1 || threads > MAX_THREADS) {
			throw new InvalidJobParametersException(
					"the parameter 'threads' must be a number from 1 to " + MAX_THREADS + ", not " + threads);
		}
	}

	private static void check(String name, String value) throws InvalidJobParametersException {
		try {
			RefreshParameters.parseInstant(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobParametersException("the parameter '" + name + "': " + ex.getMessage());
		}
	}

}
