package io.segmat.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadReaderTests {

	@TempDir
	Path dir;

	@Test
	void itemsComeInTheSourcesOrderPreparedInTheReadingThread() throws Exception {
		// given
		ReadAheadReader<SourceRecord, String> reader = reader(lines(5),
				(record) -> record.value().get("n").asInt() + "@" + Thread.currentThread().getName());
		reader.open(new ExecutionContext());

		// when
		List<String> items = readAll(reader);
		reader.close();

		// then
		assertThat(items).containsExactly("1@segmat-read-ahead", "2@segmat-read-ahead", "3@segmat-read-ahead",
				"4@segmat-read-ahead", "5@segmat-read-ahead");
	}

	@Test
	void aRestartResumesAfterTheItemsTheStepTookNotThoseReadAhead() throws Exception {
		// given a reader that has read ahead past the two items taken before its position
		// was saved
		Path file = lines(50);
		ReadAheadReader<SourceRecord, Integer> first = reader(file, (record) -> record.value().get("n").asInt());
		ExecutionContext context = new ExecutionContext();
		first.open(context);
		first.read();
		first.read();
		first.update(context);
		first.close();

		// when
		ReadAheadReader<SourceRecord, Integer> restarted = reader(file, (record) -> record.value().get("n").asInt());
		restarted.open(context);
		List<Integer> rest = readAll(restarted);
		restarted.close();

		// then
		assertThat(rest).hasSize(48).first().isEqualTo(3);
	}

	@Test
	void aFailureInTheReadingThreadSurfacesAtItsItem() throws Exception {
		// given
		ReadAheadReader<SourceRecord, Integer> reader = reader(lines(5), (record) -> {
			int n = record.value().get("n").asInt();
			if (n == 3) {
				throw new IllegalStateException("row 3 is cursed");
			}
			return n;
		});
		reader.open(new ExecutionContext());

		// when
		Integer one = reader.read();
		Integer two = reader.read();

		// then
		assertThat(List.of(one, two)).containsExactly(1, 2);
		assertThatThrownBy(reader::read).isInstanceOf(IllegalStateException.class).hasMessage("row 3 is cursed");
		assertThat(reader.read()).isNull();
		reader.close();
	}

	private <T> ReadAheadReader<SourceRecord, T> reader(Path file, Function<SourceRecord, T> prepare) {
		return new ReadAheadReader<>(JsonRecordReader.NAME, new JsonRecordReader(file), prepare, 2);
	}

	private Path lines(int count) throws IOException {
		StringBuilder text = new StringBuilder();
		for (int n = 1; n <= count; n++) {
			text.append("{\"n\":").append(n).append("}\n");
		}
		return Files.writeString(this.dir.resolve("records.ndjson"), text);
	}

	private static <T> List<T> readAll(ReadAheadReader<SourceRecord, T> reader) throws Exception {
		List<T> items = new ArrayList<>();
		T item;
		while ((item = reader.read()) != null) {
			items.add(item);
		}
		return items;
	}

}
