package io.segmat.changes;

import java.nio.ByteBuffer;
import java.util.Base64;

import io.segmat.InvalidInputException;

/**
 * A place in one segment's feed: after change {@code seq}, or, inside the expansion of
 * the 'initial' row {@code seq}, after member {@code contactKey}. As a cursor it is
 * base64url of the three numbers: opaque to readers, and the same place whenever it is
 * read.
 *
 * @param segmentKey the segment, so that a cursor of another segment is refused
 * @param seq the last change passed
 * @param contactKey {@link #WHOLE} once change {@code seq} is wholly passed
 */
record FeedPosition(int segmentKey, long seq, long contactKey) {

	static final long WHOLE = Long.MAX_VALUE;

	private static final int BYTES = Integer.BYTES + 2 * Long.BYTES;

	static FeedPosition after(int segmentKey, long seq) {
		return new FeedPosition(segmentKey, seq, WHOLE);
	}

	/**
	 * Inside the expansion of the 'initial' row {@code seq}, after member {@code key}.
	 */
	FeedPosition inside(long key) {
		return new FeedPosition(this.segmentKey, this.seq, key);
	}

	boolean whole() {
		return this.contactKey == WHOLE;
	}

	String cursor() {
		ByteBuffer bytes = ByteBuffer.allocate(BYTES)
			.putInt(this.segmentKey)
			.putLong(this.seq)
			.putLong(this.contactKey);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
	}

	/**
	 * @throws InvalidInputException naming {@code field} when the text is no cursor of
	 * this segment's feed
	 */
	static FeedPosition parse(String cursor, int segmentKey, String field) {
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(cursor);
		}
		catch (IllegalArgumentException ex) {
			bytes = new byte[0];
		}
		if (bytes.length != BYTES) {
			throw new InvalidInputException(field, "'" + cursor + "' is not a cursor segmat gave");
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		FeedPosition position = new FeedPosition(buffer.getInt(), buffer.getLong(), buffer.getLong());
		if (position.segmentKey != segmentKey) {
			throw new InvalidInputException(field, "the cursor belongs to another segment's changes");
		}
		if (position.seq < 0 || position.contactKey < 0) {
			throw new InvalidInputException(field, "'" + cursor + "' is not a cursor segmat gave");
		}
		return position;
	}

}
