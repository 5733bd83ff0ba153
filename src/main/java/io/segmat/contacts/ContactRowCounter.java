package io.segmat.contacts;

import io.segmat.ingest.ImportTally;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Counts each row as the step takes it, in the step's thread and so in step with its
 * commits, and filters the rejected ones out of the chunk, reported with their line, so
 * the good rows of the same chunk still land.
 */
class ContactRowCounter implements ItemProcessor<CheckedRow, ContactRow> {

	static final String READ = "read";

	static final String SKIPPED = "skipped";

	private final ImportTally tally;

	ContactRowCounter(ImportTally tally) {
		this.tally = tally;
	}

	@Override
	public ContactRow process(CheckedRow checked) {
		this.tally.increment(READ);
		if (checked.error() != null) {
			this.tally.reject(SKIPPED, checked.line(), checked.field(), checked.error());
			return null;
		}
		return checked.row();
	}

}
