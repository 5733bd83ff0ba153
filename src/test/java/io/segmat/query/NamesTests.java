package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTests {

	@Test
	void quotesBackticksAndBracketsAreTakenOff() {
		assertThat(Names.unquote("\"Email\"")).isEqualTo("Email");
		assertThat(Names.unquote("`email`")).isEqualTo("email");
		assertThat(Names.unquote("[email]")).isEqualTo("email");
		assertThat(Names.unquote("email")).isEqualTo("email");
	}

	@Test
	void anExcerptIsOneLineOfAtMostSixtyCharacters() {
		assertThat(Names.shorten("a\n\tb")).isEqualTo("a b");
		assertThat(Names.shorten("x".repeat(100))).hasSize(60).endsWith("...");
	}

}
