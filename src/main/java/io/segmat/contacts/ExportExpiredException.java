package io.segmat.contacts;

import java.time.Instant;
import java.util.UUID;

/** A download of an export whose files have expired: the API answers 410 Gone. */
public class ExportExpiredException extends RuntimeException {

	public ExportExpiredException(UUID id, Instant expiredAt) {
		super("export " + id + " expired at " + ContactShape.timestamp(expiredAt)
				+ "; its files are deleted: export again");
	}

}
