package io.segmat.query;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom field's id, {@code e<number>_<T|N|D>}: the key of its value in
 * {@code contact.custom_fields}. segmat makes every id itself, so one that parses here is
 * also safe to write into SQL as a literal or a quoted identifier.
 */
public record FieldId(long number, FieldType type) {

	private static final Pattern FORM = Pattern.compile("e([0-9]{1,18})_([TND])");

	private static final Pattern ANY_CASE = Pattern.compile("e[0-9]+_[TND]", Pattern.CASE_INSENSITIVE);

	public FieldId {
		if (number < 0) {
			throw new IllegalArgumentException("a field id's number is not negative: " + number);
		}
	}

	/** The id of the {@code number}th field made, of this type. */
	public static FieldId of(long number, FieldType type) {
		return new FieldId(number, type);
	}

	/** The id {@code text} spells, if it is one. */
	public static Optional<FieldId> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		Matcher matcher = FORM.matcher(text);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional
			.of(new FieldId(Long.parseLong(matcher.group(1)), FieldType.fromIdLetter(matcher.group(2).charAt(0))));
	}

	/**
	 * Whether {@code text} reads as a field id in any letter case: names compare
	 * case-insensitively, so such a name would be taken for an id.
	 */
	public static boolean hasIdForm(String text) {
		return text != null && ANY_CASE.matcher(text).matches();
	}

	/** Whether {@code text} is a field id, rather than a reserved column's name. */
	public static boolean isFieldId(String text) {
		return parse(text).isPresent();
	}

	@Override
	public String toString() {
		return "e" + this.number + "_" + this.type.idLetter();
	}

}
