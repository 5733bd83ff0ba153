package io.segmat.query;

/** The type of a custom field, as SendGrid names them: Text, Number, Date. */
public enum FieldType {

	TEXT, NUMBER, DATE;

	/**
	 * Reads the {@code field_type} column of {@code custom_field} ("Text", "Number",
	 * "Date").
	 */
	static FieldType fromStored(String stored) {
		return switch (stored) {
			case "Text" -> TEXT;
			case "Number" -> NUMBER;
			case "Date" -> DATE;
			default -> throw new IllegalArgumentException("unknown custom field type " + stored);
		};
	}

}
