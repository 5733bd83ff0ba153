package io.segmat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTests {

	@Test
	void aPlainNameIsAccepted() {
		assertThat(Names.problem("name", "UK gold", 100)).isEmpty();
	}

	@Test
	void emojiCountOneCharacterEach() {
		assertThat(Names.problem("name", "\uD83D\uDE00".repeat(3), 3)).isEmpty();
		assertThat(Names.problem("name", "\uD83D\uDE00".repeat(4), 3))
			.contains("name must be at most 3 characters, not 4");
	}

	@Test
	void controlCharactersAreRefusedWithTheirPlace() {
		assertThat(Names.problem("name", "ab\u001B[2J", 100))
			.contains("name must not contain control characters (found U+001B at character 3)");
		assertThat(Names.problem("name", "a\u0000", 100)).get().asString().contains("U+0000");
		assertThat(Names.problem("name", "a\nb", 100)).isPresent();
	}

	@Test
	void aLoneSurrogateIsRefused() {
		assertThat(Names.problem("name", "a\uD83Db", 100)).get().asString().contains("lone surrogate at character 2");
		assertThat(Names.problem("name", "a\uDE00", 100)).get().asString().contains("lone surrogate");
	}

	@Test
	void blankIsMissing() {
		assertThat(Names.problem("name", " \t ", 100)).contains("name is required");
		assertThat(Names.problem("name", null, 100)).contains("name is required");
	}

}
