package io.segmat.contacts;

import java.nio.file.Files;
import java.nio.file.Path;

import io.segmat.ingest.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

class CsvContactReaderTests {

	@TempDir
	Path dir;

	@Test
	void aHeaderThatRepeatsAColumnRefusesTheFile() throws Exception {
		// given
		Path file = Files.writeString(this.dir.resolve("c.csv"), "email,first_name,EMAIL\na@x.io,A,b@x.io\n");
		CsvContactReader reader = new CsvContactReader(file);

		// when
		reader.open(new ExecutionContext());
		SourceRecord first = reader.read();
		SourceRecord second = reader.read();
		reader.close();

		// then
		assertThat(first.readable()).isFalse();
		assertThat(first.line()).isEqualTo(1);
		assertThat(first.error()).isEqualTo("header: column 'EMAIL' appears twice (columns 1 and 3)");
		assertThat(second).isNull();
	}

	@Test
	void aHeaderOfDistinctColumnsReadsTheRows() throws Exception {
		Path file = Files.writeString(this.dir.resolve("c.csv"), "email,first_name\na@x.io,A\n");
		CsvContactReader reader = new CsvContactReader(file);

		reader.open(new ExecutionContext());
		SourceRecord row = reader.read();
		reader.close();

		assertThat(row.readable()).isTrue();
		assertThat(row.line()).isEqualTo(2);
		assertThat(row.value().get("email").asString()).isEqualTo("a@x.io");
	}

}
