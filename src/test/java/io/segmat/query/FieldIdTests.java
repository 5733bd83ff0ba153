package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FieldIdTests {

	@Test
	void anIdReadsBackAsItWasWritten() {
		FieldId id = FieldId.of(12, FieldType.DATE);

		assertThat(id).hasToString("e12_D");
		assertThat(FieldId.parse("e12_D")).contains(id);
	}

	@Test
	void theLetterGivesTheType() {
		assertThat(FieldId.parse("e1_T")).map(FieldId::type).contains(FieldType.TEXT);
		assertThat(FieldId.parse("e1_N")).map(FieldId::type).contains(FieldType.NUMBER);
	}

	@Test
	void namesAndNearMissesAreNotIds() {
		assertThat(FieldId.isFieldId("first_name")).isFalse();
		assertThat(FieldId.isFieldId("e1_X")).isFalse();
		assertThat(FieldId.isFieldId("E1_T")).isFalse();
		assertThat(FieldId.isFieldId("e_T")).isFalse();
		assertThat(FieldId.isFieldId("e1_T'; DROP TABLE contact; --")).isFalse();
		assertThat(FieldId.isFieldId(null)).isFalse();
	}

}
