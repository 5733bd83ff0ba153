package io.segmat.query;

import java.util.Locale;
import java.util.Optional;

/** The type of a custom field, as SendGrid names them: Text, Number, Date. */
public enum FieldType {

	TEXT("Text", 'T'), NUMBER("Number", 'N'), DATE("Date", 'D');

	private final String sendGridName;

	private final char idLetter;

	FieldType(String sendGridName, char idLetter) {
		this.sendGridName = sendGridName;
		this.idLetter = idLetter;
	}

	/** The name SendGrid's API uses, and {@code custom_field.field_type} stores. */
	public String sendGridName() {
		return this.sendGridName;
	}

	/** The letter that ends a field id of this type ({@code e3_D}). */
	char idLetter() {
		return this.idLetter;
	}

	/** Reads a user's {@code field_type}, in any letter case. */
	public static Optional<FieldType> parse(String name) {
		if (name == null) {
			return Optional.empty();
		}
		for (FieldType type : values()) {
			if (type.sendGridName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
				return Optional.of(type);
			}
		}
		return Optional.empty();
	}

	/** Reads the {@code field_type} column of {@code custom_field}. */
	public static FieldType fromStored(String stored) {
		for (FieldType type : values()) {
			if (type.sendGridName.equals(stored)) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown custom field type " + stored);
	}

	static FieldType fromIdLetter(char letter) {
		for (FieldType type : values()) {
			if (type.idLetter == letter) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown field id letter " + letter);
	}

}
