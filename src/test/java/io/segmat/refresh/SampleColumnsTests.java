package io.segmat.refresh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.segmat.contacts.ContactJson;
import io.segmat.query.ContactColumn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample shows a subset of the contact's columns in SendGrid's shape; every one of
 * them is one that {@link ContactColumn} describes.
 */
class SampleColumnsTests {

	@Test
	void everySampledFieldIsAContactColumnOrTheCustomFields() {
		Set<String> fields = Arrays.stream(ContactColumn.values())
			.map(ContactColumn::fieldName)
			.collect(Collectors.toSet());

		List<String> keys = all(Pattern.compile("^\\s*'([a-z_0-9]+)',", Pattern.MULTILINE));

		assertThat(keys).isNotEmpty()
			.allMatch((key) -> fields.contains(key) || key.equals("id") || key.equals("custom_fields"));
	}

	@Test
	void everyColumnTheSampleReadsIsADescribedColumn() {
		Set<String> columns = Arrays.stream(ContactColumn.values())
			.flatMap((column) -> column.tableColumn().stream())
			.collect(Collectors.toSet());

		List<String> read = all(Pattern.compile("\\bc\\.([a-z_0-9]+)"));

		assertThat(read).isNotEmpty()
			.allMatch((column) -> columns.contains(column) || column.equals("contact_key")
					|| column.equals("custom_fields"));
	}

	private static List<String> all(Pattern pattern) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(ContactJson.SAMPLE_OBJECT);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

}
