package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTests {

	@Test
	void quotesBackticksAndBracketsAreTakenOff() {
		assertThat(Identifiers.unquote("\"Email\"")).isEqualTo("Email");
		assertThat(Identifiers.unquote("`email`")).isEqualTo("email");
		assertThat(Identifiers.unquote("[email]")).isEqualTo("email");
		assertThat(Identifiers.unquote("email")).isEqualTo("email");
	}

	@Test
	void anExcerptIsOneLineOfAtMostSixtyCharacters() {
		assertThat(Identifiers.shorten("a\n\tb")).isEqualTo("a b");
		assertThat(Identifiers.shorten("x".repeat(100))).hasSize(60).endsWith("...");
	}

}
