package io.segmat.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTests {

	@Test
	void controlCharactersBecomeVisibleEscapes() {
		String hostile = "a\u001bb\u0007c\rd\ne\tf\u0000g\u007fh\u009bi\u2028j\u2029k\u202al\u202em\u2066n\u2069o";

		String printable = Printable.of(hostile);

		assertThat(printable)
			.isEqualTo("a\\eb\\ac\\rd\\ne\\tf\\0g\\u007fh\\u009bi\\u2028j\\u2029k\\u202al\\u202em\\u2066n\\u2069o");
	}

	@Test
	void ordinaryTextIsUntouched() {
		String text = "Zoë's café, 東京 \uD83D\uDE00 <b>\\e</b>";

		assertThat(Printable.of(text)).isSameAs(text);
		assertThat(Printable.of(null)).isEmpty();
	}

	@Test
	void linesKeepTheirLineFeedsOnly() {
		String plan = "Seq Scan\u001b[2J\n  Filter: (x = 'a\rb')";

		assertThat(Printable.lines(plan)).isEqualTo("Seq Scan\\e[2J\n  Filter: (x = 'a\\rb')");
	}

}
